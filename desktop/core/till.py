"""``Till``: the till's one application service layer (see ``desktop/core/__init__.py``).

The façade is assembled from one mixin per area (catalog → cart → checkout → returns → shifts
→ users) so each file stays small; this module adds read access to receipts, fiscal results,
the outbox, and the support checks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from desktop.core.errors import FiscalConflict, ReceiptNotFound, ShiftNotFound
from desktop.core.outbox import OutboxEvent, OutboxStats
from desktop.core.ports import DoctorReport
from desktop.core.receipt import FiscalResult, Receipt, normalize_receipt_number
from desktop.core.till_users import UsersMixin
from shared.clock import utc
from shared.events import EventType

__all__ = ["Till"]


class Till(UsersMixin):
    """The till: catalog, carts, payments, sales, returns, shifts, users, journal.

    Thread-safe (one lock around state changes). Build it with
    ``desktop.app.build_till(config)``, or ``Till(storage, settings, clock=..., pins=...)``.
    """

    # -- receipts ------------------------------------------------------------------------------

    def receipt(self, receipt_id: str) -> Receipt:
        """A completed receipt (sale or return) by id."""
        found = self._storage.receipt(receipt_id)
        if found is None:
            raise ReceiptNotFound(details={"receipt_id": receipt_id})
        return found

    def receipt_by_number(self, number: str) -> Receipt:
        """A completed receipt by its number ``<store>-<till>-<shift>-<seq>``."""
        found = self._storage.receipt_by_number(normalize_receipt_number(number))
        if found is None:
            raise ReceiptNotFound(details={"number": number})
        return found

    def receipts(self, *, shift_number: int | None = None, limit: int = 50,
                 offset: int = 0) -> list[Receipt]:
        """Completed receipts, newest first, optionally of one shift."""
        shift_id = None
        if shift_number is not None:
            shift = self._storage.shift_by_number(shift_number)
            if shift is None:
                raise ShiftNotFound(details={"shift_no": shift_number})
            shift_id = shift.id
        return self._storage.receipts(shift_id=shift_id, limit=max(1, min(limit, 500)),
                                      offset=max(0, offset))

    # -- fiscal --------------------------------------------------------------------------------

    def record_fiscal_result(self, document_id: str, *, fiscal_number: str,
                             fiscal_date: datetime, verification_url: str | None = None,
                             device_id: str | None = None,
                             extra: dict[str, Any] | None = None) -> FiscalResult:
        """Record what the fiscal device/service answered for a completed receipt (or a cash
        movement or a shift's Z report), with a ``fiscal.recorded`` outbox event in the same
        transaction. Idempotent for the same values; a different result raises
        ``FiscalConflict``. No login needed (called by the fiscal worker)."""
        with self._lock:
            kind = self._storage.document_type(document_id)
            if kind is None:
                raise ReceiptNotFound(details={"document_id": document_id})
            if not fiscal_number or len(fiscal_number) > 64:
                raise FiscalConflict("fiscal_number must be 1-64 characters",
                                     field="fiscal_number")
            now = self._now()
            result = FiscalResult(document_id, fiscal_number, utc(fiscal_date), now,
                                  verification_url, device_id, dict(extra or {}))
            existing = self._storage.fiscal_result(document_id)
            if existing is not None:
                same = (existing.fiscal_number, existing.fiscal_date, existing.verification_url,
                        existing.device_id) == (fiscal_number, result.fiscal_date,
                                                verification_url, device_id)
                if same:
                    return existing
                raise FiscalConflict(details={"document_id": document_id,
                                              "recorded": existing.fiscal_number})
            number = None
            if kind == "receipt":
                rec = self._storage.receipt(document_id)
                number = rec.number if rec else None
            with self._storage.transaction(durable=True) as tx:
                tx.insert_fiscal_result(result, kind)
                self._event(tx, EventType.FISCAL_RECORDED, {
                    "document_type": kind, "receipt_number": number, **result.to_payload()},
                    aggregate_id=document_id, at=now)
            return result

    def fiscal_result(self, document_id: str) -> FiscalResult | None:
        return self._storage.fiscal_result(document_id)

    def unfiscalised_documents(self, after_seq: int = 0, limit: int = 100,
                               *, cash: bool = True) -> list[OutboxEvent]:
        """Completion events (sales, returns and, with ``cash``, cash in/out) after
        ``after_seq`` whose document has no fiscal result yet, oldest first; the event's
        ``aggregate_id`` is the document id. For the fiscal worker."""
        types: tuple[str, ...] = (EventType.SALE_COMPLETED.value,
                                  EventType.RETURN_COMPLETED.value)
        if cash:
            types += (EventType.CASH_DEPOSITED.value, EventType.CASH_WITHDRAWN.value)
        return self._storage.unfiscalised_events(
            max(0, after_seq), types, max(1, min(limit, 1000)))

    # -- outbox (sync) -------------------------------------------------------------------------

    def outbox_after(self, seq: int = 0, limit: int = 500) -> list[OutboxEvent]:
        """Up to ``limit`` journal events with ``seq`` greater than ``seq``, in order."""
        return self._storage.outbox_after(max(0, seq), max(1, min(limit, 10_000)))

    def ack_outbox(self, up_to_seq: int) -> int:
        """Mark events up to ``up_to_seq`` acknowledged by the cloud; returns how many."""
        return self._storage.ack_outbox(up_to_seq)

    def outbox_stats(self) -> OutboxStats:
        return self._storage.outbox_stats()

    # -- support -------------------------------------------------------------------------------

    def doctor(self, *, quick: bool = False) -> DoctorReport:
        """Store integrity: SQLite, search index, outbox gaps, receipts vs events."""
        return self._storage.doctor(quick=quick)

    def close(self) -> None:
        """Close the store (open carts stay in it and come back on the next start)."""
        self._storage.close()
