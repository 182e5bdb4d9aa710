"""Read side of stock: the per-product status list (§6.1) and the movement ledger (§6.2)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, select
from sqlalchemy.orm import Session

from cloud.models.catalog import Decimal3, Product
from cloud.models.stock import StockLevel, StockMovement, StockReservation, StockReservationItem
from cloud.services.stock.levels import alerts_for

__all__ = [
    "MovementFilters",
    "StockFilters",
    "StockRow",
    "list_movements",
    "list_stock",
    "totals_subquery",
    "type_label",
    "zero_if_null",
]

_TYPE_LABELS = {"in": "Stock in", "out": "Stock out", "adjustment": "Adjustment",
                "reservation": "Reservation", "release": "Release", "sale": "Sale"}
_LEDGER = ("in", "out", "adjustment", "sale")  # movements of stock on hand
_STATUS_LABELS = {"in_stock": "In stock", "low_stock": "Low stock",
                  "out_of_stock": "Out of stock"}


def totals_subquery(tenant_id: uuid.UUID, location_id: uuid.UUID | None = None,
                    product_ids: list[uuid.UUID] | None = None) -> Any:
    """Per product: stock on hand and reserved, summed over locations (or one location);
    ``product_ids`` narrows the aggregation when only a few products are wanted."""
    stmt = (select(StockLevel.product_id.label("product_id"),
                   func.sum(StockLevel.on_hand, type_=Decimal3).label("on_hand"),
                   func.sum(StockLevel.reserved, type_=Decimal3).label("reserved"))
            .where(StockLevel.tenant_id == tenant_id).group_by(StockLevel.product_id))
    if location_id is not None:
        stmt = stmt.where(StockLevel.location_id == location_id)
    if product_ids is not None:
        stmt = stmt.where(StockLevel.product_id.in_(product_ids))
    return stmt.subquery("stock_totals")


def zero_if_null(col: Any) -> ColumnElement[Decimal]:
    return func.coalesce(col, literal(Decimal(0), Decimal3), type_=Decimal3)


@dataclass(frozen=True)
class StockFilters:
    product_id: uuid.UUID | None = None
    sku: str | None = None
    category: str | None = None
    status: str | None = None  # in_stock | low_stock | out_of_stock | reserved
    below_reorder_point: bool | None = None
    has_reservations: bool | None = None
    location_id: uuid.UUID | None = None


@dataclass
class StockRow:
    product: Product
    on_hand: Decimal
    reserved: Decimal
    reservations: list[dict[str, Any]] = field(default_factory=list)
    last_movement: dict[str, Any] | None = None

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved

    @property
    def status(self) -> str:
        if self.available <= 0:
            return "out_of_stock"
        if self.product.min_stock > 0 and self.available <= self.product.min_stock:
            return "low_stock"
        return "in_stock"

    @property
    def status_label(self) -> str:
        return _STATUS_LABELS[self.status]

    def alerts(self, at: datetime) -> list[dict[str, Any]]:
        return [{**a, "createdAt": at} for a in alerts_for(
            self.on_hand, self.reserved, self.product.min_stock, self.product.reorder_point)]


def _stock_query(tenant_id: uuid.UUID, f: StockFilters) -> Select[Any]:
    t = totals_subquery(tenant_id, f.location_id,
                        [f.product_id] if f.product_id is not None else None)
    on_hand, reserved = zero_if_null(t.c.on_hand), zero_if_null(t.c.reserved)
    available = on_hand - reserved
    stmt = (select(Product, on_hand.label("on_hand"), reserved.label("reserved"))
            .outerjoin(t, t.c.product_id == Product.id)
            .where(Product.tenant_id == tenant_id, Product.deleted_at.is_(None)))
    if f.product_id is not None:
        stmt = stmt.where(Product.id == f.product_id)
    if f.sku:
        stmt = stmt.where(Product.sku == f.sku)
    if f.category:
        stmt = stmt.where(Product.category == f.category)
    zero = literal(Decimal(0), Decimal3)
    if f.status == "out_of_stock":
        stmt = stmt.where(available <= zero)
    elif f.status == "low_stock":
        stmt = stmt.where(available > zero, Product.min_stock > zero,
                          available <= Product.min_stock)
    elif f.status == "in_stock":
        stmt = stmt.where(available > zero,
                          (Product.min_stock <= zero) | (available > Product.min_stock))
    elif f.status == "reserved" or f.has_reservations:
        stmt = stmt.where(reserved > zero)
    if f.has_reservations is False:
        stmt = stmt.where(reserved <= zero)
    if f.below_reorder_point:
        stmt = stmt.where(Product.reorder_point > zero, on_hand <= Product.reorder_point)
    elif f.below_reorder_point is False:
        stmt = stmt.where((Product.reorder_point <= zero) | (on_hand > Product.reorder_point))
    return stmt.order_by(Product.sku)


def list_stock(session: Session, *, tenant_id: uuid.UUID, filters: StockFilters, page: int,
               limit: int, now: datetime) -> tuple[list[StockRow], int]:
    stmt = _stock_query(tenant_id, filters)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = [StockRow(p, oh, rs) for p, oh, rs in
            session.execute(stmt.limit(limit).offset((page - 1) * limit)).all()]
    ids = [r.product.id for r in rows]
    if ids:
        by_id = {r.product.id: r for r in rows}
        res = session.execute(
            select(StockReservationItem.product_id, StockReservation.id,
                   StockReservation.negotiation_id, StockReservationItem.reserved,
                   StockReservation.expires_at)
            .join(StockReservation, StockReservation.id == StockReservationItem.reservation_id)
            .where(StockReservation.tenant_id == tenant_id, StockReservation.status == "active",
                   StockReservation.expires_at > now,
                   StockReservationItem.product_id.in_(ids))
            .order_by(StockReservation.expires_at)).all()
        for pid, rid, neg, qty, exp in res:
            by_id[pid].reservations.append({"id": rid, "negotiationId": neg,
                                            "negotiationRef": neg, "quantity": qty,
                                            "expiresAt": exp})
        latest = (select(StockMovement.product_id, func.max(StockMovement.created_at).label("at"))
                  .where(StockMovement.tenant_id == tenant_id,
                         StockMovement.product_id.in_(ids), StockMovement.type.in_(_LEDGER))
                  .group_by(StockMovement.product_id).subquery())
        moves = session.execute(
            select(StockMovement).join(latest, and_(latest.c.product_id == StockMovement.product_id,
                                                    latest.c.at == StockMovement.created_at))
            .where(StockMovement.tenant_id == tenant_id, StockMovement.type.in_(_LEDGER))
            ).scalars().all()
        for m in sorted(moves, key=lambda m: (m.created_at, m.id)):  # the newest wins
            by_id[m.product_id].last_movement = {
                "type": "out" if m.type == "sale" else m.type, "quantity": m.quantity,
                "date": m.created_at, "reason": m.reason}
    return rows, total


@dataclass(frozen=True)
class MovementFilters:
    type: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None


def list_movements(session: Session, *, tenant_id: uuid.UUID, product_id: uuid.UUID,
                   filters: MovementFilters, page: int, limit: int,
                   ) -> tuple[list[StockMovement], int]:
    stmt = select(StockMovement).where(StockMovement.tenant_id == tenant_id,
                                       StockMovement.product_id == product_id)
    if filters.type:
        stmt = stmt.where(StockMovement.type == filters.type)
    if filters.date_from:
        stmt = stmt.where(StockMovement.created_at >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(StockMovement.created_at <= filters.date_to)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(StockMovement.created_at.desc(), StockMovement.id.desc())
                           .limit(limit).offset((page - 1) * limit)).all()
    return list(rows), total


def type_label(kind: str) -> str:
    return _TYPE_LABELS.get(kind, kind)
