"""Which events of a push claim a document that is not the pushing till's to write.

Ids in till events are made by the till (UUIDv7), so a hostile or broken device can name any
id it has seen: another tenant's shift, another till's cash movement. Projection writes by id
(``ON CONFLICT`` for shifts, whose close may arrive before their open), so without this check a
device of tenant B could close tenant A's shift with a total of its choosing.

An event that claims a foreign document is *refused*: it is stored, flagged with the reason
(a fact a device sent, kept for the operator and for forensics), and never projected. The push
answers exactly as for any stored event, so a device learns nothing about ids it does not own:
neither whether another tenant's id exists nor which till holds it.

The rules:

* a shift (opened, closed, or named by a receipt or a cash movement) belongs to one till of
  one tenant; a till re-enrolled as a new device keeps its shifts;
* a cash movement and a fiscal result belong to the till that recorded them;
* a receipt and its payments belong to the till that sold them; a return may name an original
  receipt of any till of its own tenant (returns are taken at any counter of the chain), never
  another tenant's.

Shifts, cash, fiscal results and the originals of returns are checked on every push (they are
few per batch). Receipt and payment ids are checked only after the database refused a batch
with a unique violation (:func:`foreign_claims` with ``receipts=True``): a clean batch, the
common case, pays no query for them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cloud.models.sales import Sale, SalePayment, TillCashMovement, TillFiscalResult, TillShift
from cloud.services.sales.bulk import one_of
from shared.events import EventType
from sync.protocol import CashMovementDoc, FiscalDoc, ShiftClosedDoc, ShiftOpenedDoc
from sync.wire import Incoming, validated_doc

__all__ = ["FOREIGN_FISCAL", "FOREIGN_MOVEMENT", "FOREIGN_ORIGINAL", "FOREIGN_PAYMENT",
           "FOREIGN_SALE", "FOREIGN_SHIFT", "Owner", "foreign_claims"]

# Stable reasons stored on a refused event (``sync_events.refused``).
FOREIGN_SHIFT = "foreign_shift"
FOREIGN_SALE = "foreign_sale"
FOREIGN_PAYMENT = "foreign_payment"
FOREIGN_ORIGINAL = "foreign_original"
FOREIGN_MOVEMENT = "foreign_movement"
FOREIGN_FISCAL = "foreign_fiscal"

_SH, _S, _SP = TillShift.__table__, Sale.__table__, SalePayment.__table__
_CM, _FR = TillCashMovement.__table__, TillFiscalResult.__table__


class Owner:
    """Who pushes: the tenant and till every claimed document must belong to."""

    __slots__ = ("tenant_id", "till_id")

    def __init__(self, tenant_id: uuid.UUID, till_id: uuid.UUID) -> None:
        self.tenant_id, self.till_id = tenant_id, till_id


def _held(session: Session, table: Any, key: Any, ids: Iterable[Any],
          *columns: Any) -> dict[Any, Any]:
    """``{id: row}`` for the ids the table already holds."""
    wanted = sorted({i for i in ids if i is not None}, key=str)
    if not wanted:
        return {}
    rows = session.execute(select(key, *columns).where(one_of(session, key, wanted))).all()
    return {r[0]: r for r in rows}


def foreign_claims(session: Session, owner: Owner, events: Sequence[Incoming], *,
                   receipts: bool = False) -> dict[int, str]:
    """``{seq: reason}`` for the events of ``events`` that claim a document ``owner`` does not
    own. Raises ``BatchInvalid`` for an invalid payload of a projected type."""
    shifts: dict[int, list[uuid.UUID]] = {}
    movements: dict[int, uuid.UUID] = {}
    fiscal: dict[int, str] = {}
    originals: dict[int, uuid.UUID] = {}
    sales: dict[int, uuid.UUID] = {}
    payments: dict[int, list[tuple[str, uuid.UUID]]] = {}
    for ev in events:
        t = ev.type
        if t in (EventType.SALE_COMPLETED, EventType.RETURN_COMPLETED):
            doc = ev.receipt
            shifts[ev.seq] = [doc.shift_id]
            if doc.original_receipt_id is not None:
                originals[ev.seq] = doc.original_receipt_id
            if receipts:
                sales[ev.seq] = doc.id
                payments[ev.seq] = [(p.id, doc.id) for p in doc.payments]
        elif t == EventType.SHIFT_OPENED:
            shifts[ev.seq] = [validated_doc(ShiftOpenedDoc, ev.payload, ev).shift_id]
        elif t == EventType.SHIFT_CLOSED:
            z = ev.payload.get("z_report")
            shifts[ev.seq] = [validated_doc(ShiftClosedDoc, z, ev).shift_id]
        elif t in (EventType.CASH_DEPOSITED, EventType.CASH_WITHDRAWN):
            m = validated_doc(CashMovementDoc, ev.payload, ev)
            shifts[ev.seq] = [m.shift_id]
            movements[ev.seq] = m.movement_id
        elif t == EventType.FISCAL_RECORDED:
            fiscal[ev.seq] = validated_doc(FiscalDoc, ev.payload, ev).document_id
    tenant, till = owner.tenant_id, owner.till_id
    refused: dict[int, str] = {}

    def mine(row: Any) -> bool:
        return bool(row.tenant_id == tenant and row.till_id == till)

    held_shifts = _held(session, _SH, _SH.c.id, (s for ids in shifts.values() for s in ids),
                        _SH.c.tenant_id, _SH.c.till_id)
    for seq, ids in shifts.items():
        if any(i in held_shifts and not mine(held_shifts[i]) for i in ids):
            refused[seq] = FOREIGN_SHIFT
    held_moves = _held(session, _CM, _CM.c.id, movements.values(), _CM.c.tenant_id,
                       _CM.c.till_id)
    for seq, mid in movements.items():
        if mid in held_moves and not mine(held_moves[mid]):
            refused.setdefault(seq, FOREIGN_MOVEMENT)
    held_fiscal = _held(session, _FR, _FR.c.document_id, fiscal.values(), _FR.c.tenant_id,
                        _FR.c.till_id)
    for seq, did in fiscal.items():
        if did in held_fiscal and not mine(held_fiscal[did]):
            refused.setdefault(seq, FOREIGN_FISCAL)
    held_orig = _held(session, _S, _S.c.id, originals.values(), _S.c.tenant_id)
    for seq, oid in originals.items():
        if oid in held_orig and held_orig[oid].tenant_id != tenant:
            refused.setdefault(seq, FOREIGN_ORIGINAL)
    if receipts:
        held_sales = _held(session, _S, _S.c.id, sales.values(), _S.c.tenant_id, _S.c.till_id)
        for seq, sid in sales.items():
            if sid in held_sales and not mine(held_sales[sid]):
                refused.setdefault(seq, FOREIGN_SALE)
        held_pay = _held(session, _SP, _SP.c.id, (p for ps in payments.values() for p, _ in ps),
                         _SP.c.tenant_id, _SP.c.sale_id)
        for seq, ps in payments.items():
            for pid, sid in ps:
                row = held_pay.get(pid)
                if row is not None and (row.tenant_id != tenant or row.sale_id != sid):
                    refused.setdefault(seq, FOREIGN_PAYMENT)
    return refused
