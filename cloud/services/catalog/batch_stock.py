"""Stock set by an import: level rows and ledger movements for many products at once."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import Session

from cloud.db import insert_on_conflict
from cloud.models.stock import StockLevel, StockMovement
from cloud.services.stock.levels import Actor
from shared.ids import uuid7

__all__ = ["set_stock"]

_L = StockLevel.__table__
_M = StockMovement.__table__


def set_stock(session: Session, *, tenant_id: uuid.UUID, location_id: uuid.UUID,
              changes: Sequence[tuple[uuid.UUID, Decimal, Decimal | None]], actor: Actor,
              now: datetime) -> None:
    """Set on-hand stock: ``(product id, new on hand, previous on hand or None if no row)``."""
    fresh = [{"id": uuid7(), "tenant_id": tenant_id, "product_id": pid,
              "location_id": location_id, "on_hand": Decimal(0), "reserved": Decimal(0),
              "updated_at": now} for pid, _new, old in changes if old is None]
    if fresh:
        session.execute(insert_on_conflict(session, _L,
                                           index_elements=["product_id", "location_id"]), fresh)
    if not changes:
        return
    session.execute(
        update(_L).where(_L.c.tenant_id == tenant_id, _L.c.location_id == location_id,
                         _L.c.product_id == bindparam("b_pid"))
        .values(on_hand=bindparam("b_qty", type_=_L.c.on_hand.type), updated_at=now),
        [{"b_pid": pid, "b_qty": new} for pid, new, _old in changes])
    session.execute(insert(_M), [
        {"id": uuid7(), "tenant_id": tenant_id, "product_id": pid, "location_id": location_id,
         "type": "adjustment", "quantity": new - (old or Decimal(0)),
         "previous_stock": old or Decimal(0), "new_stock": new, "reason": "import",
         "reference_type": "import", "reference_id": None, "reference_name": None,
         "created_by_type": actor.kind, "created_by_id": actor.id,
         "created_by_name": actor.name, "created_at": now}
        for pid, new, old in changes])
