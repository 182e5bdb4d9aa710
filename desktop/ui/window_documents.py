"""The document worker run beside the cashier window, over the window's device ports.

Every completed sale, return and cash in/out — the window's own, or one another program
completed in the same till store (the CLI, a local API client) — is fiscalised by the
worker's :class:`~desktop.documents.fiscalise.FiscalisationWorker` through the fiscal port's
service, whose journal makes each document exactly-once, and its receipt is then queued on the
window's printer port. Without a fiscal device the worker's print walker queues every
completed receipt (the window queues its own at once too; the print queue's dedupe key keeps
it one print).

The work runs on the worker's own threads: the window only wakes it (an event, never a wait).
:meth:`WindowDocuments.start` and :meth:`WindowDocuments.catch_up` do I/O — call them on a
lane.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

import structlog

from desktop.core import PaymentKind, Receipt, Till
from desktop.ui.status import FiscalPort, PrinterPort

if TYPE_CHECKING:
    from desktop.documents.fiscalise import FiscalState
    from desktop.documents.worker import DocumentWorker

__all__ = ["WindowDocuments"]

log = structlog.get_logger(__name__)


class _PortPrinting:
    """The worker's receipt sink over the window's printer port (drawer opened for cash)."""

    def __init__(self, printer: PrinterPort) -> None:
        self._printer = printer

    def after_document(self, receipt: Receipt) -> str | None:
        cash = any(p.kind is PaymentKind.CASH for p in receipt.payments)
        return self._printer.print_receipt(receipt, open_drawer=cash)


class WindowDocuments:
    """A :class:`~desktop.documents.worker.DocumentWorker` over the window's till and device
    ports."""

    def __init__(self, till: Till, home: Path, fiscal: FiscalPort, printer: PrinterPort, *,
                 poll_interval: float = 1.0) -> None:
        self._till, self._home = till, home
        self._fiscal, self._printer = fiscal, printer
        self._poll = poll_interval
        self._worker: DocumentWorker | None = None
        self._lock = threading.Lock()
        self._closed = False

    def start(self) -> None:
        """(Re)read which fiscal device is configured, and run the worker for it (a lane job:
        reads files, may join the previous worker's threads)."""
        # its fiscal configuration models (pydantic): on this lane, after the first frame
        from desktop.documents.worker import DocumentWorker

        with self._lock:
            self._stop_worker()
            if self._closed:
                return
            configured = self._fiscal.reload()
            worker = DocumentWorker(self._till, self._home, fiscal=self._fiscal.service,
                              printing=_PortPrinting(self._printer), fiscalise=configured,
                              poll_interval=self._poll)
            self._worker = worker.start()

    def restart(self) -> None:
        """After the settings changed the fiscal device or printers."""
        self.start()

    def wake(self) -> None:
        """A document was completed: the worker looks now (safe on the UI thread)."""
        worker = self._worker
        if worker is not None:
            worker.wake()

    def retry(self) -> None:
        """The cashier pressed Retry: documents in doubt or refused are asked about now."""
        worker = self._worker
        if worker is not None:
            worker.retry()

    def catch_up(self) -> None:
        """Fiscalise every document waiting now (a lane job, before a Z or X report)."""
        worker = self._worker
        if worker is not None:
            worker.catch_up()

    def fiscal_state(self) -> FiscalState | None:
        """The fiscal worker's state (``None`` without a fiscal device)."""
        worker = self._worker
        return worker.fiscal_state() if worker is not None else None

    def stop(self) -> None:
        """Stop for good (the window closes)."""
        with self._lock:
            self._closed = True
            self._stop_worker()

    def _stop_worker(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.stop()
