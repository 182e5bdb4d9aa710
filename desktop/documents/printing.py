"""The customer receipt on the default receipt printer, queued in the durable print queue.

Queueing is keyed by the receipt id (``dedupe_key``), so the window and the document worker may both
ask
and one receipt is printed. A Datecs prints the fiscal receipt itself: no copy is queued on the
receipt printer unless ``datecs_receipt_copy`` is set in ``home/agent.json``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

import structlog

from desktop.core import Receipt
from desktop.documents.render import receipt_document

if TYPE_CHECKING:
    from desktop.devices.printers.service import HardwareService

__all__ = ["ReceiptPrinting", "ReceiptSink", "prints_own_receipt"]

log = structlog.get_logger(__name__)


def prints_own_receipt(device: str | None) -> bool:
    """Fiscal printers (Datecs) print the customer's receipt; Checkbox (a cloud PRRO) does not."""
    return device == "datecs"


class ReceiptSink(Protocol):
    """Where the document worker sends each completed (and fiscalised) receipt to be printed."""

    def after_document(self, receipt: Receipt) -> str | None: ...


class ReceiptPrinting:
    """Queues receipts; never blocks on the printer (its worker thread sends the job)."""

    def __init__(self, hardware: Callable[[], HardwareService], *,
                 language: Callable[[], str], time_zone: str | None = None) -> None:
        self._hardware = hardware
        self._language = language
        self._tz = time_zone

    def printer_id(self) -> str | None:
        # printer configuration models (pydantic): on first use, not for the first frame
        from desktop.devices.printers.config import PrinterKind

        cfg = self._hardware().default_printer(PrinterKind.THERMAL)
        return cfg.id if cfg else None

    def queue(self, receipt: Receipt, *, copy: bool = False,
              open_drawer: bool = False) -> str | None:
        """The job id, or None without a receipt printer."""
        if self.printer_id() is None:
            return None
        document = receipt_document(receipt, language=self._language(), copy=copy,
                                    open_drawer=open_drawer, time_zone=self._tz)
        job = self._hardware().printing.receipt(document,
                                                dedupe_key=None if copy else receipt.id)
        log.info("receipt_queued", receipt=receipt.number, job=job.id)
        return job.id

    def after_document(self, receipt: Receipt) -> str | None:
        """The customer receipt for a completed sale/return, drawer opened for cash."""
        cash = any(p.kind.value == "cash" for p in receipt.payments)
        return self.queue(receipt, open_drawer=cash)
