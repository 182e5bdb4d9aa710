"""Stock effects of synced receipts: deltas into the stock ledger at the store's location.

A sale takes stock out, a return puts it back; each (receipt, product) becomes one movement in
``stock_movements`` (``reference_type`` ``sale``/``return``, ``reference_id`` the receipt id)
and its delta is added to ``stock_levels``. Till facts are never refused, so stock may go
negative here (the shelf had more than the cloud knew). Level rows are locked in product order,
so two tills pushing at once queue on the same products instead of deadlocking.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cloud.db import insert_on_conflict
from cloud.models.stock import StockLevel, StockMovement
from cloud.services.sales.bulk import insert_rows, one_of, set_levels
from shared.ids import uuid7, uuid7_texts

__all__ = ["Move", "apply_moves"]

_L = StockLevel.__table__
_M = StockMovement.__table__
_LEDGER_COLUMNS = ("id", "tenant_id", "product_id", "location_id", "type", "quantity",
                   "previous_stock", "new_stock", "reason", "reference_type", "reference_id",
                   "reference_name", "created_by_type", "created_by_id", "created_by_name",
                   "created_at")


@dataclass(frozen=True)
class Move:
    """One receipt's effect on one product (negative: taken out)."""

    product_id: uuid.UUID
    delta: Decimal
    kind: str  # sale | return
    receipt_id: str
    receipt_number: str
    at: datetime


def _levels(session: Session, location_id: uuid.UUID,
            products: list[uuid.UUID]) -> dict[uuid.UUID, tuple[uuid.UUID, Decimal]]:
    rows = session.execute(
        select(_L.c.id, _L.c.product_id, _L.c.on_hand)
        .where(_L.c.location_id == location_id, one_of(session, _L.c.product_id, products))
        .order_by(_L.c.product_id).with_for_update()).all()
    return {r.product_id: (r.id, r.on_hand) for r in rows}


def apply_moves(session: Session, *, tenant_id: uuid.UUID, location_id: uuid.UUID,
                moves: Sequence[Move], actor_id: str, actor_name: str, now: datetime) -> int:
    """Add every move to the level of its product and write its ledger row; returns rows."""
    if not moves:
        return 0
    products = sorted({m.product_id for m in moves})
    level = _levels(session, location_id, products)
    missing = [pid for pid in products if pid not in level]
    if missing:  # the product's first movement at this store (race-safe insert)
        session.execute(insert_on_conflict(session, _L,
                                           index_elements=["product_id", "location_id"]),
                        [{"id": uuid7(), "tenant_id": tenant_id, "product_id": pid,
                          "location_id": location_id, "on_hand": Decimal(0),
                          "reserved": Decimal(0), "updated_at": now} for pid in missing])
        level |= _levels(session, location_id, missing)
    running = {pid: on_hand for pid, (_id, on_hand) in level.items()}
    # Ids as text, made once: COPY takes text, and a UUID object per value costs more than
    # the row's own formatting.
    tenant, location = str(tenant_id), str(location_id)
    product_text = {pid: str(pid) for pid in products}
    ledger: list[tuple[Any, ...]] = []
    for m, row_id in zip(moves, uuid7_texts(len(moves)), strict=True):
        before = running[m.product_id]
        after = before + m.delta
        running[m.product_id] = after
        ledger.append((
            row_id, tenant, product_text[m.product_id], location,
            "out" if m.delta < 0 else "in", m.delta, before, after,
            f"{m.kind} {m.receipt_number}", m.kind, m.receipt_id, m.receipt_number, "device",
            actor_id, actor_name, m.at))
    set_levels(session, _L, {level[pid][0]: running[pid] for pid in products}, now)
    insert_rows(session, _M, ledger, columns=_LEDGER_COLUMNS)
    return len(ledger)
