"""Completed documents → fiscal device → fiscal result in the till, on one background thread.

The :class:`FiscalisationWorker` walks ``Till.unfiscalised_documents`` (journal order) from a
durable position, sends each document through the
:class:`~desktop.devices.fiscal.service.FiscalService` — whose journal records the intent
before the device is touched, so a resend after a crash is recognised, never duplicated — and
stores the answer with ``Till.record_fiscal_result``. On start it reconciles the service's
unfinished documents. A device that is off stops the walk and is retried with backoff; a
receipt in doubt or refused is surfaced in :meth:`FiscalisationWorker.state` and the walk goes
on past it (the in-doubt one is only ever *asked about* again, never resent blindly).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import structlog

from desktop.core import CashMovement, OutboxEvent, Receipt, Till
from desktop.core.shifts import CashMovementKind
from desktop.devices.errors import CapabilityNotSupported, DeviceError
from desktop.devices.fiscal.errors import (
    FiscalError,
    NotConfigured,
    ReceiptInDoubt,
    ShiftAlreadyOpen,
    ShiftNotOpen,
)
from desktop.devices.fiscal.model import CashOperation, DocKind
from desktop.documents.render import fiscal_receipt
from desktop.documents.state import WorkerState
from shared.backoff import Backoff
from shared.errors import TillbridgeError
from shared.events import EventType

if TYPE_CHECKING:
    from desktop.devices.fiscal.service import FiscalService

__all__ = [
    "FiscalState",
    "FiscalUnlinked",
    "FiscalisationWorker",
    "cash_operation",
    "fiscalise_cash",
    "fiscalise_receipt",
    "issue_with_day",
]

log = structlog.get_logger(__name__)
T = TypeVar("T")
CURSOR = "fiscal_after_seq"
_RECEIPTS = (EventType.SALE_COMPLETED.value, EventType.RETURN_COMPLETED.value)


class FiscalUnlinked(FiscalError):
    """The original sale has no fiscal receipt, so the device cannot refund it."""

    code = "FISCAL_ORIGINAL_NOT_FOUND"


# -- one document ------------------------------------------------------------------------------
def open_day(svc: FiscalService, cashier: str) -> None:
    try:
        svc.open_shift(cashier)
    except ShiftAlreadyOpen:
        log.info("fiscal_shift_already_open")


def issue_with_day(svc: FiscalService, issue: Callable[[], T], cashier: str) -> T:
    """Issue a document; if the device's fiscal day is not open (it failed to open with the
    till's shift, or the device was swapped), open it and issue once more."""
    try:
        return issue()
    except ShiftNotOpen:
        open_day(svc, cashier)
        return issue()


def fiscalise_receipt(svc: FiscalService, till: Till, receipt: Receipt) -> str:
    """Issue a sale or return (idempotent by ``receipt.id``), record it, return its number."""
    original = None
    if receipt.original_receipt_id:
        found = till.fiscal_result(receipt.original_receipt_id)
        if found is None:
            raise FiscalUnlinked(details={"original": receipt.original_number})
        original = found.fiscal_number
    doc = fiscal_receipt(receipt, original_fiscal_number=original)
    result = issue_with_day(svc, lambda: svc.sell(doc), receipt.cashier_name)
    number = result.fiscal_number or result.device_ref or str(result.receipt_id)
    till.record_fiscal_result(
        receipt.id,
        fiscal_number=number,
        fiscal_date=result.fiscal_date,
        verification_url=result.verify_url,
        device_id=result.device,
        extra={"offline": result.offline},
    )
    return number


def cash_operation(till: Till, movement: CashMovement, cashier: str | None = None) -> CashOperation:
    """The service receipt for a cash in/out; the cashier is named from the till's users so
    the window and the document worker build the same document."""
    names = {u.id: u.name for u in till.users()}
    kind = DocKind.DEPOSIT if movement.kind is CashMovementKind.IN else DocKind.WITHDRAW
    who = names.get(movement.user_id) or cashier or movement.user_id
    return CashOperation(
        uuid.UUID(movement.id), kind, movement.amount, movement.created_at, who, movement.reason
    )


def fiscalise_cash(svc: FiscalService, till: Till, movement: CashMovement,
                   cashier: str | None = None) -> str:
    op = cash_operation(till, movement, cashier)
    result = issue_with_day(svc, lambda: svc.cash(op), op.cashier)
    number = result.fiscal_number or str(result.receipt_id)
    till.record_fiscal_result(movement.id, fiscal_number=number,
                              fiscal_date=result.fiscal_date, device_id=result.device)
    return number


def _movement(event: OutboxEvent) -> CashMovement:
    p = event.payload
    return CashMovement(event.aggregate_id, p["shift_id"], CashMovementKind(p["kind"]),
                        int(p["amount"]), p.get("reason") or "", p["user_id"], event.created_at,
                        p.get("approved_by"))


# -- the worker ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class FiscalState:
    """What the status bar / health endpoint shows about fiscalisation."""

    running: bool
    configured: bool
    online: bool
    done: int
    in_doubt: tuple[str, ...] = ()
    failed: dict[str, str] = field(default_factory=dict)
    last_error: str | None = None
    refusals: dict[str, FiscalError] = field(default_factory=dict)
    """The device's refusal per document (``failed`` holds their messages), so a cashier
    screen can say what to do about it rather than repeat the device's words."""


class FiscalisationWorker:
    """One thread; ``after`` is called with each newly fiscalised receipt (to print it)."""

    def __init__(self, till: Till, service: Callable[[], FiscalService], state: WorkerState, *,
                 after: Callable[[Receipt], Any] | None = None, poll_interval: float = 1.0,
                 backoff: Backoff | None = None, batch: int = 50) -> None:
        self.till, self._service, self._state = till, service, state
        self._after = after
        self.poll_interval, self.batch = poll_interval, batch
        self.backoff = backoff if backoff is not None else Backoff(0.5, 30.0)
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._reconciled = False
        self._done = 0
        self._configured = True
        self._online = False
        self._error: str | None = None
        self._in_doubt: dict[str, str] = {}
        self._failed: dict[str, FiscalError] = {}
        self._retry_at: dict[str, float] = {}
        self._skip: set[str] = set()
        self._pass = threading.Lock()
        """Held for one pass over the documents: the thread's, or a caller's :meth:`catch_up`."""
        self._retry_now = False

    # -- control -------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="fiscal-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wake(self) -> None:
        """Look for new documents now (after a sale, or after the device was fixed)."""
        self._wake.set()

    def retry(self) -> None:
        """A person fixed the device: ask again now about documents in doubt or refused
        (instead of after their backoff), and look for new ones."""
        self._retry_now = True
        self.backoff.reset()
        self._wake.set()

    def catch_up(self, max_passes: int = 100) -> None:
        """Fiscalise every document waiting now, on the calling thread (before a Z or X
        report: the device's day must hold every sale of the till's shift). Waits for a pass
        the thread is in; a device error propagates; documents in doubt or refused stay
        outstanding (and shown in :meth:`state`)."""
        self._retry_now = True
        for _ in range(max_passes):
            if not self._pass_once():
                return

    def state(self) -> FiscalState:
        with self._lock:
            return FiscalState(self._thread is not None, self._configured, self._online,
                               self._done, tuple(self._in_doubt),
                               {d: e.message for d, e in self._failed.items()}, self._error,
                               dict(self._failed))

    # -- loop ----------------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            delay = self.poll_interval
            try:
                if self._pass_once():
                    delay = 0.0
            except NotConfigured as exc:
                with self._lock:
                    self._configured, self._online, self._error = False, False, exc.message
            except TillbridgeError as exc:  # device off or store busy: try again later
                with self._lock:
                    self._online, self._error = False, exc.message
                delay = self.backoff.next()
                log.info("fiscal_worker_waiting", code=exc.code, retry_in=round(delay, 2))
            except Exception:  # keep the thread alive; the error is logged and retried
                log.exception("fiscal_worker_failed")
                delay = self.backoff.next()
            self._wake.wait(delay)
            self._wake.clear()

    def _pass_once(self) -> bool:
        """Reconcile once, then one pass; True when more documents may be waiting."""
        with self._pass:
            svc = self._service()
            if not self._reconciled:
                left = svc.reconcile(retry=svc.auto_retry)
                self._reconciled = True
                log.info("fiscal_worker_reconciled", unfinished=len(left))
            if self._retry_now:
                self._retry_now = False
                self._retry_at.clear()
            full = self.run_once(svc)
        with self._lock:
            self._online, self._error, self._configured = True, None, True
        self.backoff.reset()
        return full

    def _floor(self) -> int:
        """Where the walk starts: the stored position, else the current shift's first event
        (documents of closed shifts from before a device was configured are not fiscalised)."""
        seq = self._state.get(CURSOR)
        if seq is not None:
            return int(seq)
        last = self.till.outbox_stats().last_seq
        shift = self.till.current_shift()
        lo, hi = 0, last
        if shift is None:
            lo = last
        while lo < hi:  # first event at or after the shift opened (events are in time order)
            mid = (lo + hi) // 2
            nxt = self.till.outbox_after(mid, 1)
            if nxt and shift is not None and nxt[0].created_at < shift.opened_at:
                lo = nxt[0].seq
            else:
                hi = mid
        self._state.set(CURSOR, lo)
        return lo

    def run_once(self, svc: FiscalService) -> bool:
        """One pass over a batch; True when the batch was full (more may be waiting)."""
        floor = self._floor()
        events = self.till.unfiscalised_documents(floor, self.batch)
        outstanding: int | None = None
        try:
            for ev in events:
                if ev.aggregate_id in self._skip:
                    continue
                if not self._handle(svc, ev):
                    outstanding = ev.seq if outstanding is None else outstanding
        finally:
            handled = [e.seq for e in events if outstanding is None or e.seq < outstanding]
            new = (outstanding - 1) if outstanding is not None else max(handled, default=floor)
            if events and new > floor:
                self._state.set(CURSOR, new)
        return len(events) >= self.batch

    def _handle(self, svc: FiscalService, ev: OutboxEvent) -> bool:
        """Fiscalise one document; False when it is still outstanding (in doubt, refused or
        waiting for its retry). A device error propagates and ends the pass."""
        doc_id = ev.aggregate_id
        if time.monotonic() < self._retry_at.get(doc_id, 0.0):
            return False
        try:
            if ev.type in _RECEIPTS:
                receipt = self.till.receipt(doc_id)
                fiscalise_receipt(svc, self.till, receipt)
            else:
                fiscalise_cash(svc, self.till, _movement(ev))
                receipt = None
        except ReceiptInDoubt as exc:
            with self._lock:
                self._in_doubt[doc_id] = exc.message
            self._retry_at[doc_id] = time.monotonic() + self.backoff.cap
            log.warning("fiscal_document_in_doubt", document=doc_id)
            return False
        except CapabilityNotSupported:
            self._skip.add(doc_id)  # this device has no such document (e.g. cash in/out)
            return True
        except DeviceError:
            raise
        except FiscalError as exc:
            with self._lock:
                self._failed[doc_id] = exc
            self._retry_at[doc_id] = time.monotonic() + self.backoff.cap
            log.warning("fiscal_document_refused", document=doc_id, code=exc.code)
            return False
        with self._lock:
            self._done += 1
            self._in_doubt.pop(doc_id, None)
            self._failed.pop(doc_id, None)
        self._retry_at.pop(doc_id, None)
        if receipt is not None and self._after is not None:
            try:
                self._after(self.till.receipt(doc_id))
            except TillbridgeError as exc:  # printing problems never block fiscalisation
                log.warning("receipt_print_failed", document=doc_id, code=exc.code)
        return True
