"""The fiscal service the till uses: exactly-once documents over any fiscal driver.

Flow of every document: validate (nothing recorded on failure) → the driver checks it against
the device and reads its counters → the intent is committed to the journal → the driver sends
it → the result is committed. After any device error, and for every unfinished intent at start,
the driver is asked whether the device issued the document:

* issued → recorded as done; it is never sent again;
* not issued after a crash → sent again with the same id (``reconcile(retry=True)``), unless a
  person voids it; not issued after an error the caller saw → ``rejected``, the caller decides;
* cannot tell → ``in_doubt``: not sent again until the device answers; the cashier sees it.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

import structlog

from desktop.devices.errors import DeviceError, DeviceOffline
from desktop.devices.fiscal import faults
from desktop.devices.fiscal.base import DeviceState, FiscalDriver, Outcome
from desktop.devices.fiscal.errors import (
    DocumentConflict,
    DocumentNotFound,
    FiscalError,
    OriginalNotFound,
    ReceiptInDoubt,
    ReceiptVoided,
    ReturnExceedsOriginal,
    ShiftAlreadyOpen,
    ShiftNotOpen,
    ShiftTooLong,
)
from desktop.devices.fiscal.journal import DocState, Journal, JournalRow, ShiftRow
from desktop.devices.fiscal.model import (
    CashOperation,
    FiscalDocument,
    FiscalReceipt,
    FiscalResult,
    ReportTotals,
    ShiftInfo,
)
from desktop.devices.fiscal.text import render_text
from shared.clock import Clock, SystemClock

__all__ = ["FiscalService"]

log = structlog.get_logger(__name__)

UNFINISHED = (DocState.PENDING, DocState.IN_DOUBT, DocState.NOT_ISSUED)
Z_PENDING = "z_pending"


def _content(doc: FiscalDocument) -> str:
    """What must match for a resubmission to be "the same document" (timestamps may differ)."""
    d = doc.to_json()
    d.pop("at", None)
    d.pop("original_receipt_id", None)
    d.pop("original_fiscal_date", None)
    return json.dumps(d, sort_keys=True)


class FiscalService:
    """Serialises all fiscal work on one device; safe to call from several threads."""

    def __init__(self, driver: FiscalDriver, journal: Journal, *, clock: Clock = SystemClock(),
                 max_shift: timedelta = timedelta(hours=24), auto_retry: bool = True) -> None:
        self.driver, self.journal, self.clock = driver, journal, clock
        self.max_shift, self.auto_retry = max_shift, auto_retry
        self._lock = threading.RLock()
        self._started = False

    # -- life cycle --------------------------------------------------------------------------
    def start(self) -> list[JournalRow]:
        """Connect, align the local shift with the device's, settle unfinished documents."""
        with self._lock:
            self.driver.connect()
            self._started = True
            self._settle_z()
            self._sync_shift()
            if self.driver.pending_uploads():
                try:
                    self.driver.sync()
                except DeviceError as exc:
                    log.info("fiscal_sync_deferred", error=exc.message)
            return self.reconcile(retry=self.auto_retry)

    def _ensure(self) -> None:
        if not self._started:
            self.start()

    def close(self) -> None:
        with self._lock:
            self.driver.close()
            self.journal.close()

    def _sync_shift(self) -> None:
        if not self.driver.device_shifts:
            return
        local = self.journal.current_shift()
        try:
            remote = self.driver.current_shift()
        except DeviceError as exc:  # offline: keep the local view until the server answers
            log.info("fiscal_shift_sync_deferred", error=exc.message)
            return
        now = self.clock.now()
        if local and (remote is None or remote.id != local.info.id):
            self.journal.close_shift(local.info.id, at=now, z=None)
            local = None
        if remote and local is None:
            self.journal.open_shift(remote)

    # -- shifts ------------------------------------------------------------------------------
    def open_shift(self, cashier: str) -> ShiftRow:
        with self._lock:
            self._ensure()
            current = self.journal.current_shift()
            if current is not None:
                raise ShiftAlreadyOpen(details={"shiftId": current.info.id})
            info = self.driver.open_shift(cashier)
            if not info.serial:
                info = ShiftInfo(info.id, self.journal.last_serial(info.device) + 1,
                                 info.opened_at, info.device, cashier, info.device_ref)
            self.journal.open_shift(info)
            log.info("fiscal_shift_opened", shift=info.id, serial=info.serial)
            return ShiftRow(info, None, None)

    def current_shift(self) -> ShiftRow | None:
        return self.journal.current_shift()

    def _require_shift(self) -> ShiftRow:
        shift = self.journal.current_shift()
        if shift is None:
            raise ShiftNotOpen("the fiscal shift is not open: open it before selling")
        if self.clock.now() - shift.info.opened_at >= self.max_shift:
            raise ShiftTooLong(details={"openedAt": shift.info.opened_at.isoformat()})
        return shift

    def close_shift(self) -> tuple[ShiftRow, ReportTotals]:
        """Z report; refuses while documents of the shift are unresolved."""
        with self._lock:
            self._ensure()
            shift = self.journal.current_shift()
            if shift is None:
                raise ShiftNotOpen()
            left = self.reconcile(retry=self.auto_retry)
            if left:
                raise ReceiptInDoubt("resolve the documents in doubt before the Z report",
                                     details={"receipts": [str(r.receipt_id) for r in left]})
            self.journal.set_meta(Z_PENDING, {"shift": shift.info.id,
                                              "mark": self.driver.z_mark()})
            faults.checkpoint("z_intent_recorded")
            z = self.driver.z_report()
            faults.checkpoint("z_answer_received")
            self.journal.close_shift(shift.info.id, at=self.clock.now(), z=z)
            self.journal.set_meta(Z_PENDING, None)
            log.info("fiscal_shift_closed", shift=shift.info.id, z=z.number)
            return ShiftRow(shift.info, self.clock.now(), z), z

    def _settle_z(self) -> None:
        """A Z report in flight when the till stopped: close the local shift if the device
        made it, forget the marker if it did not, keep it while the device cannot tell."""
        pending = self.journal.meta(Z_PENDING)
        if pending is None:
            return
        done, z = self.driver.z_done(pending["mark"])
        if done is None:
            log.warning("fiscal_z_in_doubt", shift=pending["shift"])
            return
        shift = self.journal.current_shift()
        if done and shift is not None and shift.info.id == pending["shift"]:
            self.journal.close_shift(shift.info.id, at=self.clock.now(), z=z)
            log.info("fiscal_z_recovered", shift=shift.info.id)
        self.journal.set_meta(Z_PENDING, None)

    def x_report(self) -> ReportTotals:
        with self._lock:
            self._ensure()
            return self.driver.x_report()

    def device_state(self) -> DeviceState:
        with self._lock:
            return self.driver.state()

    # -- documents ---------------------------------------------------------------------------
    def sell(self, receipt: FiscalReceipt) -> FiscalResult:
        if receipt.is_return:
            return self.refund(receipt)
        return self._issue(receipt)

    def refund(self, receipt: FiscalReceipt) -> FiscalResult:
        """A return: the original must be a receipt this till issued, not over-returned."""
        with self._lock:
            return self._issue(self._link_original(receipt))

    def cash(self, op: CashOperation) -> FiscalResult:
        return self._issue(op)

    def _link_original(self, receipt: FiscalReceipt) -> FiscalReceipt:
        receipt.check()
        number = (receipt.original_fiscal_number or "").strip()
        original = self.journal.by_fiscal_number(number)
        if original is None or not isinstance(original.document, FiscalReceipt):
            raise OriginalNotFound(f"no sale with fiscal number {number!r} on this till",
                                   field="originalFiscalCode")
        sold = original.document
        left: dict[tuple[str, int, str], Any] = {}
        for ln in sold.lines:
            key = (ln.sku or ln.name, ln.unit_price, ln.vat_group)
            left[key] = left.get(key, 0) + ln.qty
        for prior in self.journal.returns_of(original.receipt_id):
            if prior.receipt_id == receipt.receipt_id:
                continue
            assert isinstance(prior.document, FiscalReceipt)
            for ln in prior.document.lines:
                key = (ln.sku or ln.name, ln.unit_price, ln.vat_group)
                left[key] = left.get(key, 0) - ln.qty
        for ln in receipt.lines:
            key = (ln.sku or ln.name, ln.unit_price, ln.vat_group)
            if key not in left:
                raise ReturnExceedsOriginal(f"{ln.name!r} at {ln.unit_price} was not sold on "
                                            f"receipt {number}", field="items")
            left[key] -= ln.qty
            if left[key] < 0:
                raise ReturnExceedsOriginal(f"returning more {ln.name!r} than receipt {number} "
                                            "sold", field="items")
        assert original.result is not None
        return FiscalReceipt(
            receipt.receipt_id, receipt.lines, receipt.payments, receipt.at, receipt.country,
            receipt.cashier, True, number, original.receipt_id, original.result.fiscal_date,
            receipt.rounding, receipt.order_id, receipt.header, receipt.footer,
            receipt.customer_email, receipt.customer_phone)

    def _issue(self, doc: FiscalDocument) -> FiscalResult:
        doc.check()
        with self._lock:
            self._ensure()
            row = self.journal.get(doc.receipt_id)
            if row is not None:
                if _content(row.document) != _content(doc):
                    raise DocumentConflict(f"receipt {doc.receipt_id} exists with other content")
                done = self._settle_existing(row)
                if done is not None:
                    return done
                doc = row.document  # resend exactly what was recorded
            shift = self._require_shift()
            try:
                expected = self.driver.prepare(doc)
            except DeviceOffline:
                self.driver.close()  # nothing recorded; reconnect on the next call
                raise
            self.journal.record_intent(doc, device=self.driver.device_id, shift_id=shift.info.id,
                                       expected=expected, at=self.clock.now(),
                                       order_id=getattr(doc, "order_id", None))
            faults.checkpoint("intent_recorded")
            return self._send(doc, expected)

    def _settle_existing(self, row: JournalRow) -> FiscalResult | None:
        """Return the stored result, or None when the document may be sent (again)."""
        if row.state is DocState.DONE:
            assert row.result is not None
            return row.result
        if row.state is DocState.VOIDED:
            raise ReceiptVoided(details={"receiptId": str(row.receipt_id)})
        if row.state in (DocState.PENDING, DocState.IN_DOUBT):
            settled = self._reconcile_row(row)
            if settled.state is DocState.DONE:
                assert settled.result is not None
                return settled.result
            if settled.state is DocState.IN_DOUBT:
                raise ReceiptInDoubt(settled.note, details={"receiptId": str(row.receipt_id)})
        return None

    def _send(self, doc: FiscalDocument, expected: dict[str, Any]) -> FiscalResult:
        try:
            result = self.driver.issue(doc, expected)
        except FiscalError as exc:  # refused by our rules before anything was issued
            self.journal.mark(doc.receipt_id, DocState.REJECTED, at=self.clock.now(),
                              note=exc.message)
            raise
        except DeviceError as exc:
            return self._after_failure(doc, expected, exc)
        faults.checkpoint("answer_received")
        return self._done(doc, result)

    def _done(self, doc: FiscalDocument, result: FiscalResult, note: str | None = None
              ) -> FiscalResult:
        if result.text is None:
            result = replace(result, text=render_text(doc, result))
        self.journal.mark(doc.receipt_id, DocState.DONE, at=self.clock.now(), result=result,
                          note=note)
        log.info("fiscal_document_done", receipt=str(doc.receipt_id), kind=doc.kind.value,
                 number=result.fiscal_number, offline=result.offline)
        return result

    def _after_failure(self, doc: FiscalDocument, expected: dict[str, Any],
                       exc: DeviceError) -> FiscalResult:
        if isinstance(exc, DeviceOffline):
            self.driver.close()  # reconnect on the next call
        rec = self.driver.reconcile(doc, expected)
        if rec.outcome is Outcome.ISSUED and rec.result is not None:
            return self._done(doc, rec.result, f"issued despite: {exc.message}")
        if rec.outcome is Outcome.NOT_ISSUED:
            self.journal.mark(doc.receipt_id, DocState.REJECTED, at=self.clock.now(),
                              note=exc.message)
            raise exc
        self.journal.mark(doc.receipt_id, DocState.IN_DOUBT, at=self.clock.now(),
                          note=f"{exc.message}; {rec.note}")
        raise ReceiptInDoubt(
            "the device did not confirm this receipt; it will not be sent again until the "
            "device answers", details={"receiptId": str(doc.receipt_id), "cause": exc.message,
                                       "device": rec.note}) from exc

    # -- reconciliation ----------------------------------------------------------------------
    def _reconcile_row(self, row: JournalRow) -> JournalRow:
        rec = self.driver.reconcile(row.document, row.expected)
        now = self.clock.now()
        if rec.outcome is Outcome.ISSUED and rec.result is not None:
            self._done(row.document, rec.result, f"reconciled: {rec.note}")
        elif rec.outcome is Outcome.NOT_ISSUED:
            self.journal.mark(row.receipt_id, DocState.NOT_ISSUED, at=now, note=rec.note)
        else:
            self.journal.mark(row.receipt_id, DocState.IN_DOUBT, at=now, note=rec.note)
        fresh = self.journal.get(row.receipt_id)
        assert fresh is not None
        return fresh

    def reconcile(self, *, retry: bool = True) -> list[JournalRow]:
        """Settle every unfinished document; resend the not-issued ones when ``retry``.
        Returns those still needing attention."""
        with self._lock:
            for row in self.journal.in_states(DocState.PENDING, DocState.IN_DOUBT):
                self._reconcile_row(row)
            if retry:
                for row in self.journal.in_states(DocState.NOT_ISSUED):
                    try:
                        self._issue(row.document)
                    except (FiscalError, DeviceError) as exc:
                        log.warning("fiscal_retry_failed", receipt=str(row.receipt_id),
                                    error=exc.message)
                        self.journal.mark(row.receipt_id, DocState.NOT_ISSUED,
                                          at=self.clock.now(), note=exc.message)
            return self.journal.in_states(*UNFINISHED)

    def void(self, receipt_id: uuid.UUID, reason: str = "") -> JournalRow:
        """Abandon a document the device confirms it never issued."""
        with self._lock:
            row = self.journal.get(receipt_id)
            if row is None:
                raise DocumentNotFound()
            if row.state in (DocState.PENDING, DocState.IN_DOUBT):
                row = self._reconcile_row(row)
            if row.state is DocState.DONE:
                raise DocumentConflict("already issued: make a return instead")
            if row.state is DocState.IN_DOUBT:
                raise ReceiptInDoubt(row.note)
            self.journal.mark(receipt_id, DocState.VOIDED, at=self.clock.now(),
                              note=reason or "voided by operator")
            fresh = self.journal.get(receipt_id)
            assert fresh is not None
            return fresh

    def document(self, receipt_id: uuid.UUID) -> JournalRow:
        row = self.journal.get(receipt_id)
        if row is None:
            raise DocumentNotFound(f"no fiscal document {receipt_id}")
        return row

    def attention(self) -> list[JournalRow]:
        """Documents a person should look at: in doubt, not issued, refused."""
        return self.journal.in_states(*UNFINISHED, DocState.REJECTED)

    def sync(self) -> int:
        """Upload documents issued offline (Checkbox)."""
        with self._lock:
            self._ensure()
            return self.driver.sync()
