"""Reservations: hold available stock for a negotiation until release or expiry.

Each item is one conditional ``UPDATE stock_levels SET reserved = reserved + :q WHERE … AND
on_hand - reserved >= :q``: of many concurrent requests for the last units exactly as many
succeed as there are units. By default a reservation is all-or-nothing (the caller's
transaction rolls back on ``BIZ_STOCK_INSUFFICIENT``); ``allow_partial`` takes what is
available and reports the shortfall.

Expiry is swept and lazy: :func:`expire_due` releases every active reservation past its
``expires_at``. The ``stock.expire_reservations`` job runs it every minute for each tenant
:func:`tenants_with_due` names (:mod:`cloud.services.stock.jobs`), so stock comes back without a
read touching it; reserving and stock reads also run it first, so an expired hold never blocks
a sale between two sweeps.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cloud.models.catalog import Product, Q, available
from cloud.models.stock import StockLevel, StockReservation, StockReservationItem
from cloud.services.stock.errors import (
    ReservationClosed,
    ReservationNotFound,
    StockInsufficient,
)
from cloud.services.stock.levels import Actor, Reference, ensure_level, location, record_movement

__all__ = ["ReleaseResult", "ReserveItem", "ReserveResult", "expire_due", "release", "reserve",
           "tenants_with_due"]

_L = StockLevel.__table__
_MAX_PARTIAL_RETRIES = 5


@dataclass(frozen=True)
class ReserveItem:
    product: Product
    quantity: Decimal


@dataclass(frozen=True)
class ReservedLine:
    product_id: uuid.UUID
    sku: str
    requested: Decimal
    reserved: Decimal

    @property
    def shortfall(self) -> Decimal:
        return self.requested - self.reserved


@dataclass(frozen=True)
class ReserveResult:
    reservation: StockReservation
    lines: list[ReservedLine]
    warnings: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ReleaseResult:
    reservation: StockReservation
    lines: list[tuple[uuid.UUID, str, Decimal]]


def _take(session: Session, level_id: uuid.UUID, qty: Decimal, now: datetime) -> tuple[
        Decimal, Decimal] | None:
    """Reserve ``qty`` on one level if available; returns (available before, after) or None."""
    row = _L.c
    got = session.execute(
        update(_L).where(row.id == level_id, row.on_hand - row.reserved >= Q(qty))
        .values(reserved=row.reserved + Q(qty), updated_at=now)
        .returning(row.on_hand, row.reserved)).first()
    if got is None:
        return None
    after = got.on_hand - got.reserved
    return after + qty, after


def reserve(session: Session, *, tenant_id: uuid.UUID, negotiation_id: str,
            items: Sequence[ReserveItem], expires_in: timedelta, now: datetime, actor: Actor,
            notes: str | None = None, location_id: uuid.UUID | None = None,
            allow_partial: bool = False) -> ReserveResult:
    loc = location(session, tenant_id, location_id, now)
    expire_due(session, tenant_id=tenant_id, now=now,
               product_ids=[i.product.id for i in items])
    res = StockReservation(tenant_id=tenant_id, negotiation_id=negotiation_id, status="active",
                           expires_at=now + expires_in, notes=notes, created_at=now,
                           updated_at=now, created_by=actor.id)
    session.add(res)
    session.flush()
    warnings: list[dict[str, str]] = []
    ref = Reference("negotiation", negotiation_id, None)
    by_product: dict[uuid.UUID, ReservedLine] = {}
    # A fixed lock order (by product id) keeps two multi-item reservations from deadlocking.
    for item in sorted(items, key=lambda i: i.product.id):
        level_id = ensure_level(session, tenant_id, item.product.id, loc.id, now)
        got = _take(session, level_id, item.quantity, now)
        taken = item.quantity if got is not None else Decimal(0)
        if got is None and allow_partial:
            for _ in range(_MAX_PARTIAL_RETRIES):
                left = session.execute(select(available(_L.c.on_hand, _L.c.reserved))
                                       .where(_L.c.id == level_id)).scalar_one()
                if left <= 0:
                    break
                want = min(left, item.quantity)
                got = _take(session, level_id, want, now)
                if got is not None:
                    taken = want
                    break
        if got is None and not allow_partial:
            left = session.execute(select(available(_L.c.on_hand, _L.c.reserved))
                                   .where(_L.c.id == level_id)).scalar_one()
            raise StockInsufficient(
                f"only {left} of {item.product.sku} available, {item.quantity} requested",
                details={"productId": str(item.product.id), "sku": item.product.sku,
                         "requested": str(item.quantity), "available": str(left)})
        if taken < item.quantity:
            warnings.append({"productId": str(item.product.id),
                             "message": f"only {taken} of {item.quantity} reserved"})
        if taken > 0 and got is not None:
            session.add(StockReservationItem(
                tenant_id=tenant_id, reservation_id=res.id, product_id=item.product.id,
                location_id=loc.id, requested=item.quantity, reserved=taken))
            record_movement(session, tenant_id=tenant_id, product_id=item.product.id,
                            location_id=loc.id, type="reservation", quantity=-taken,
                            previous=got[0], new=got[1], reason=f"reserved for {negotiation_id}",
                            reference=ref, actor=actor, now=now)
        by_product[item.product.id] = ReservedLine(item.product.id, item.product.sku,
                                                   item.quantity, taken)
    lines = [by_product[i.product.id] for i in items]
    session.flush()
    return ReserveResult(res, lines, warnings)


def _give_back(session: Session, res: StockReservation, *, status: str, reason: str,
               actor: Actor, now: datetime) -> list[tuple[uuid.UUID, str, Decimal]]:
    """Close ``res`` (only if still active: a conditional UPDATE) and return its stock."""
    closed = session.execute(
        update(StockReservation.__table__)
        .where(StockReservation.__table__.c.id == res.id,
               StockReservation.__table__.c.status == "active")
        .values(status=status, released_at=now, updated_at=now)).rowcount
    if closed != 1:
        raise ReservationClosed()
    session.expire(res)
    items = session.execute(
        select(StockReservationItem, Product.sku)
        .join(Product, Product.id == StockReservationItem.product_id)
        .where(StockReservationItem.reservation_id == res.id,
               StockReservationItem.tenant_id == res.tenant_id)).all()
    out = []
    ref = Reference("negotiation", res.negotiation_id, None)
    for item, sku in items:
        row = _L.c
        got = session.execute(
            update(_L).where(row.product_id == item.product_id,
                             row.location_id == item.location_id)
            .values(reserved=row.reserved - Q(item.reserved), updated_at=now)
            .returning(row.on_hand, row.reserved)).first()
        if got is not None:
            after = got.on_hand - got.reserved
            record_movement(session, tenant_id=res.tenant_id, product_id=item.product_id,
                            location_id=item.location_id, type="release",
                            quantity=item.reserved, previous=after - item.reserved, new=after,
                            reason=reason, reference=ref, actor=actor, now=now)
        out.append((item.product_id, sku, item.reserved))
    return out


def release(session: Session, *, tenant_id: uuid.UUID, reservation_id: uuid.UUID,
            actor: Actor, now: datetime) -> ReleaseResult:
    res = session.scalar(select(StockReservation).where(
        StockReservation.tenant_id == tenant_id, StockReservation.id == reservation_id))
    if res is None:
        raise ReservationNotFound()
    if res.status != "active":
        raise ReservationClosed(details={"status": res.status})
    lines = _give_back(session, res, status="released", reason="released", actor=actor,
                       now=now)
    session.refresh(res)
    return ReleaseResult(res, lines)


def expire_due(session: Session, *, tenant_id: uuid.UUID | None, now: datetime,
               product_ids: Sequence[uuid.UUID] | None = None, limit: int = 500) -> int:
    """Release active reservations past their expiry; returns how many were expired."""
    stmt = select(StockReservation).where(StockReservation.status == "active",
                                          StockReservation.expires_at <= now)
    if tenant_id is not None:
        stmt = stmt.where(StockReservation.tenant_id == tenant_id)
    if product_ids is not None:
        stmt = stmt.where(StockReservation.id.in_(
            select(StockReservationItem.reservation_id)
            .where(StockReservationItem.product_id.in_(list(product_ids)))))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    expired = 0
    for res in session.scalars(stmt.order_by(StockReservation.expires_at).limit(limit)).all():
        try:
            with session.begin_nested():
                _give_back(session, res, status="expired", reason="reservation expired",
                           actor=Actor(), now=now)
            expired += 1
        except ReservationClosed:
            continue
    return expired


def tenants_with_due(session: Session, now: datetime) -> list[uuid.UUID]:
    """Tenants holding an active reservation past its expiry (whom a sweep has work for)."""
    return list(session.scalars(
        select(StockReservation.tenant_id).distinct()
        .where(StockReservation.status == "active", StockReservation.expires_at <= now)
        .order_by(StockReservation.tenant_id)))
