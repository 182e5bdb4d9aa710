"""Stock levels and the movement ledger: every change is one atomic UPDATE plus a movement.

Why conditional UPDATEs instead of read-modify-write: two requests taking the last units must
not both succeed. ``UPDATE … SET on_hand = on_hand - :q WHERE id = :id AND on_hand - :q >=
reserved`` is decided by the database on the newest committed row (PostgreSQL re-evaluates the
WHERE after waiting for a concurrent writer; SQLite allows one writer), so the loser gets zero
rows and a ``BIZ_STOCK_INSUFFICIENT``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cloud.db import insert_on_conflict
from cloud.models.catalog import Product, Q, available
from cloud.models.stock import StockLevel, StockLocation, StockMovement
from cloud.services.stock.errors import LocationNotFound, StockInsufficient
from shared.ids import uuid7

__all__ = ["Actor", "AdjustResult", "Reference", "adjust", "alerts_for", "default_location",
           "ensure_level", "location", "record_movement"]

_L = StockLevel.__table__
_MAIN = "MAIN"


@dataclass(frozen=True)
class Actor:
    """Who caused a movement (``kind`` user/system), as the ledger shows it."""

    kind: str = "system"
    id: str = "system"
    name: str = "system"


@dataclass(frozen=True)
class Reference:
    type: str = "manual"  # negotiation | invoice | manual | import | system | sale
    id: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class AdjustResult:
    product_id: uuid.UUID
    sku: str
    previous: Decimal
    adjustment: Decimal
    new: Decimal
    movement_id: uuid.UUID
    alerts: list[dict[str, str]] = field(default_factory=list)
    updated_at: datetime | None = None


def default_location(session: Session, tenant_id: uuid.UUID, now: datetime) -> StockLocation:
    """The tenant's default warehouse, made on first use (race-safe)."""
    stmt = select(StockLocation).where(StockLocation.tenant_id == tenant_id,
                                       StockLocation.is_default.is_(True))
    found = session.scalar(stmt)
    if found is not None:
        return found
    try:
        with session.begin_nested():
            loc = StockLocation(tenant_id=tenant_id, code=_MAIN, name="Main warehouse",
                                kind="warehouse", is_default=True, created_at=now,
                                updated_at=now)
            session.add(loc)
            session.flush()
            return loc
    except IntegrityError:
        found = session.scalar(stmt)
        if found is None:
            raise
        return found


def location(session: Session, tenant_id: uuid.UUID, location_id: uuid.UUID | None,
             now: datetime) -> StockLocation:
    if location_id is None:
        return default_location(session, tenant_id, now)
    loc = session.scalar(select(StockLocation).where(StockLocation.tenant_id == tenant_id,
                                                     StockLocation.id == location_id))
    if loc is None:
        raise LocationNotFound(field="locationId")
    return loc


def ensure_level(session: Session, tenant_id: uuid.UUID, product_id: uuid.UUID,
                 location_id: uuid.UUID, now: datetime) -> uuid.UUID:
    """Id of the level row for (product, location), inserting a zero row if there is none."""
    values: dict[str, Any] = {"id": uuid7(), "tenant_id": tenant_id, "product_id": product_id,
                              "location_id": location_id, "on_hand": Decimal(0),
                              "reserved": Decimal(0), "updated_at": now}
    session.execute(insert_on_conflict(session, _L, values,
                                       index_elements=["product_id", "location_id"]))
    return session.execute(select(_L.c.id).where(_L.c.product_id == product_id,
                                                 _L.c.location_id == location_id)).scalar_one()


def alerts_for(on_hand: Decimal, reserved: Decimal, min_stock: Decimal,
               reorder_point: Decimal) -> list[dict[str, str]]:
    available = on_hand - reserved
    out: list[dict[str, str]] = []
    if available <= 0:
        out.append({"type": "out_of_stock", "message": "No stock available"})
    elif min_stock > 0 and available <= min_stock:
        out.append({"type": "low_stock",
                    "message": f"Available {available} is at or below minimum {min_stock}"})
    if reorder_point > 0 and on_hand <= reorder_point:
        out.append({"type": "below_reorder",
                    "message": f"Stock {on_hand} is at or below reorder point {reorder_point}"})
    return out


def record_movement(session: Session, *, tenant_id: uuid.UUID, product_id: uuid.UUID,
                    location_id: uuid.UUID, type: str, quantity: Decimal, previous: Decimal,
                    new: Decimal, reason: str, reference: Reference, actor: Actor,
                    now: datetime) -> uuid.UUID:
    movement_id = uuid7()
    session.execute(insert(StockMovement.__table__).values(
        id=movement_id, tenant_id=tenant_id, product_id=product_id, location_id=location_id,
        type=type, quantity=quantity, previous_stock=previous, new_stock=new,
        reason=reason[:500], reference_type=reference.type, reference_id=reference.id,
        reference_name=reference.name, created_by_type=actor.kind, created_by_id=actor.id,
        created_by_name=actor.name, created_at=now))
    return movement_id


def adjust(session: Session, *, tenant_id: uuid.UUID, product: Product, kind: str,
           quantity: Decimal, reason: str, reference: Reference, actor: Actor, now: datetime,
           location_id: uuid.UUID | None = None, allow_negative: bool = False) -> AdjustResult:
    """Set, add or subtract stock on hand at one location (default: the main warehouse).

    Without ``allow_negative`` the result may not drop below what is reserved there (so
    available never goes negative). ``add``/``subtract`` take a positive quantity.
    """
    loc = location(session, tenant_id, location_id, now)
    level_id = ensure_level(session, tenant_id, product.id, loc.id, now)
    row = _L.c
    where = [row.id == level_id, row.tenant_id == tenant_id]
    if kind == "set":
        current = session.execute(select(row.on_hand, row.reserved).where(*where)
                                  .with_for_update()).one()
        if quantity < current.reserved and not allow_negative:
            raise StockInsufficient(
                f"cannot set stock to {quantity}: {current.reserved} is reserved",
                details={"reserved": str(current.reserved)})
        delta = quantity - current.on_hand
        stmt = update(_L).where(*where).values(on_hand=Q(quantity), updated_at=now)
    else:
        delta = quantity if kind == "add" else -quantity
        stmt = update(_L).where(*where).values(on_hand=row.on_hand + Q(delta), updated_at=now)
        if delta < 0 and not allow_negative:
            stmt = stmt.where(and_(row.on_hand + Q(delta) >= row.reserved))
    result = session.execute(stmt.returning(row.on_hand, row.reserved)).first()
    if result is None:
        left = session.execute(select(available(row.on_hand, row.reserved))
                               .where(*where)).scalar()
        raise StockInsufficient(
            f"cannot subtract {quantity}: only {left} available",
            details={"requested": str(quantity), "available": str(left)})
    new_on_hand: Decimal = result.on_hand
    previous = new_on_hand - delta
    movement_type = {"add": "in", "subtract": "out"}.get(kind, "adjustment")
    movement_id = record_movement(
        session, tenant_id=tenant_id, product_id=product.id, location_id=loc.id,
        type=movement_type, quantity=delta, previous=previous, new=new_on_hand, reason=reason,
        reference=reference, actor=actor, now=now)
    return AdjustResult(product.id, product.sku, previous, delta, new_on_hand, movement_id,
                        alerts_for(new_on_hand, result.reserved, product.min_stock,
                                   product.reorder_point), now)
