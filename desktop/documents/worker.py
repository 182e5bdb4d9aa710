"""``DocumentWorker``: the till plus the work that follows each document, with start()/stop().

Composition: the :class:`~desktop.documents.fiscalise.FiscalisationWorker` when a fiscal device
is configured (``home/fiscal.json``), which hands each fiscalised receipt to the receipt sink;
without a device a print walker queues each completed receipt at once. The fiscal service
and the sink are passed in — the till's own (:class:`desktop.app.TillServices`), so one
fiscal connection and one print queue serve the whole till: the headless till passes a
:class:`~desktop.documents.printing.ReceiptPrinting` over the print service, the cashier
window its printer port. ``fiscalise=False`` runs no fiscal worker whatever ``home/fiscal.json``
says (a window without a fiscal device).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import structlog

from desktop.core import Receipt, Till
from desktop.devices.fiscal.config import config_path, load_config
from desktop.devices.fiscal.errors import NotConfigured
from desktop.documents.fiscalise import FiscalisationWorker, FiscalState
from desktop.documents.printing import ReceiptSink, prints_own_receipt
from desktop.documents.state import WorkerState
from shared.errors import TillbridgeError

if TYPE_CHECKING:
    from desktop.devices.fiscal.service import FiscalService

__all__ = ["DocumentWorker"]

log = structlog.get_logger(__name__)
PRINT_CURSOR = "print_after_seq"


class DocumentWorker:
    def __init__(self, till: Till, home: Path, *, fiscal: Callable[[], FiscalService],
                 printing: ReceiptSink, fiscalise: bool = True,
                 poll_interval: float = 1.0) -> None:
        self.till, self.home = till, Path(home)
        self.state_file = WorkerState(self.home)
        self.poll_interval, self._fiscalise = poll_interval, fiscalise
        self._fiscal = fiscal
        self.printing = printing
        self.worker: FiscalisationWorker | None = None
        self._device: str | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._printer_thread: threading.Thread | None = None

    def _configured_device(self) -> str | None:
        if not config_path(self.home).exists():
            return None
        try:
            device = load_config(self.home).device
        except NotConfigured:
            return None
        return None if device == "none" else device

    # -- life cycle ------------------------------------------------------------------------------
    def start(self) -> DocumentWorker:
        self._stop.clear()
        self._device = self._configured_device() if self._fiscalise else None
        if self._device is not None:
            copy = bool(self.state_file.get("datecs_receipt_copy", False))
            after = None if prints_own_receipt(self._device) and not copy else self._print
            self.worker = FiscalisationWorker(self.till, self._fiscal, self.state_file,
                                              after=after, poll_interval=self.poll_interval)
            self.worker.start()
        else:
            if self.state_file.get(PRINT_CURSOR) is None:  # before any sale can slip past
                self.state_file.set(PRINT_CURSOR, self.till.outbox_stats().last_seq)
            self._printer_thread = threading.Thread(target=self._print_loop,
                                                    name="receipt-printing", daemon=True)
            self._printer_thread.start()
        log.info("document_worker_started", fiscal=self._device or "none")
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self.worker is not None:
            self.worker.stop(timeout)
        if self._printer_thread is not None:
            self._printer_thread.join(timeout)
            self._printer_thread = None

    def wake(self) -> None:
        """A document was completed: look now instead of at the next poll."""
        self._wake.set()
        if self.worker is not None:
            self.worker.wake()

    def retry(self) -> None:
        """The cashier fixed a device: documents in doubt or refused are asked about now."""
        self._wake.set()
        if self.worker is not None:
            self.worker.retry()

    def catch_up(self) -> None:
        """Fiscalise what is waiting now, on the calling thread (before a Z or X report)."""
        if self.worker is not None:
            self.worker.catch_up()

    def fiscal_state(self) -> FiscalState | None:
        return self.worker.state() if self.worker is not None else None

    # -- pieces ----------------------------------------------------------------------------------
    def _print(self, receipt: Receipt) -> None:
        self.printing.after_document(receipt)

    def _print_loop(self) -> None:
        """No fiscal device: queue each completed receipt once, in journal order."""
        while not self._stop.is_set():
            try:
                after = int(self.state_file.get(PRINT_CURSOR))
                for ev in self.till.unfiscalised_documents(after, 100, cash=False):
                    self.printing.after_document(self.till.receipt(ev.aggregate_id))
                    self.state_file.set(PRINT_CURSOR, ev.seq)
            except TillbridgeError as exc:
                log.warning("receipt_printing_waiting", code=exc.code)
            self._wake.wait(self.poll_interval)
            self._wake.clear()
