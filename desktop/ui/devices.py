"""The printer and fiscal adapters behind :class:`~desktop.ui.status.PrinterPort` and
:class:`~desktop.ui.status.FiscalPort`, over the device packages' own services.

Both are called on worker lanes only. Printing only *queues* a job in the durable print queue
(the printer's own worker thread sends it), so a slow or broken printer never holds anything.
The printer and fiscal configuration models (pydantic) are imported on first use, on a lane:
the login screen must not wait for them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import structlog

from desktop.core import Receipt, ShiftReport
from desktop.devices.errors import DeviceError
from desktop.devices.fiscal.errors import FiscalError, NotConfigured
from desktop.devices.printers.status import PrinterState
from desktop.documents.fiscalise import FiscalUnlinked, open_day
from desktop.documents.printing import ReceiptPrinting
from desktop.documents.render import report_text
from desktop.ui.status import DeviceHealth, Health

if TYPE_CHECKING:
    from desktop.devices.fiscal.service import FiscalService
    from desktop.devices.printers.service import HardwareService

__all__ = ["FiscalUnlinked", "HardwarePrinter", "ServiceFiscal"]

log = structlog.get_logger(__name__)

_PRINTER_HEALTH = {
    PrinterState.ONLINE: Health.OK,
    PrinterState.UNKNOWN: Health.OK,
    PrinterState.PAPER_LOW: Health.WARN,
    PrinterState.TESTING: Health.WARN,
}


class HardwarePrinter:
    """The default receipt printer of the till's :class:`HardwareService`."""

    def __init__(
        self,
        get_service: Callable[[], HardwareService],
        *,
        language: Callable[[], str],
        time_zone: str | None = None,
    ) -> None:
        self._get = get_service
        self._language = language
        self._tz = time_zone

    @property
    def service(self) -> HardwareService:
        return self._get()

    def _printer_id(self) -> str | None:
        from desktop.devices.printers.config import PrinterKind  # pydantic: not at start-up

        cfg = self.service.default_printer(PrinterKind.THERMAL)
        return cfg.id if cfg else None

    def health(self) -> DeviceHealth:
        from desktop.devices.printers.config import PrinterKind  # pydantic: not at start-up

        cfg = self.service.default_printer(PrinterKind.THERMAL)
        if cfg is None:
            return DeviceHealth.not_configured()
        status = self.service.queue.status(cfg.id)
        if status is None:
            return DeviceHealth(Health.WARN, PrinterState.TESTING.value, name=cfg.name)
        waiting = int(self.service.store.next_queued(cfg.id) is not None)
        return DeviceHealth(
            _PRINTER_HEALTH.get(status.state, Health.ERROR),
            status.state.value,
            status.detail,
            cfg.name,
            waiting,
        )

    def print_receipt(
        self, receipt: Receipt, *, copy: bool = False, open_drawer: bool = False
    ) -> str | None:
        printing = ReceiptPrinting(self._get, language=self._language, time_zone=self._tz)
        return printing.queue(receipt, copy=copy, open_drawer=open_drawer)

    def print_report(self, report: ShiftReport, language: str) -> str | None:
        if self._printer_id() is None:
            return None
        return self.service.printing.text(
            report_text(report, language), language=language, kind="report"
        ).id

    def retry(self) -> None:
        pid = self._printer_id()
        worker = self.service.queue.worker(pid) if pid else None
        if worker is not None:
            worker.wake()


class ServiceFiscal:
    """A :class:`FiscalService` built on first use (connecting is slow; never at start-up).

    ``configured`` follows ``home/fiscal.json``; call :meth:`reload` (on a worker lane) after
    the settings changed it, with ``reset`` dropping the old service.
    """

    def __init__(
        self,
        get_service: Callable[[], FiscalService],
        home: Path,
        *,
        reset: Callable[[], None] | None = None,
    ) -> None:
        self._get = get_service
        self._home = home
        self._reset = reset
        self.configured = False

    def reload(self) -> bool:
        """Re-read whether a device is configured (file I/O: call it off the UI thread)."""
        from desktop.devices.fiscal.config import load_config  # pydantic: not at start-up

        if self._reset is not None:
            self._reset()
        try:
            self.configured = load_config(self._home).device != "none"
        except NotConfigured:
            self.configured = False
        return self.configured

    def service(self) -> FiscalService:
        """The service (built on first use; the window's document worker issues documents through
        it)."""
        return self._get()

    def _svc(self) -> FiscalService:
        return self._get()

    def health(self) -> DeviceHealth:
        if not self.configured:
            return DeviceHealth.not_configured()
        try:
            svc = self._svc()
            state = svc.device_state()
            attention = len(svc.attention())
        except NotConfigured:
            return DeviceHealth.not_configured()
        except (DeviceError, FiscalError) as exc:
            return DeviceHealth(Health.ERROR, "offline", exc.message)
        if not state.online:
            return DeviceHealth(Health.ERROR, "offline", "; ".join(state.errors), state.device)
        if state.errors:
            return DeviceHealth(
                Health.ERROR, "error", "; ".join(state.errors), state.device, attention
            )
        if attention:
            return DeviceHealth(Health.ERROR, "in_doubt", "", state.device, attention)
        if state.warnings:
            return DeviceHealth(Health.WARN, "warning", "; ".join(state.warnings), state.device)
        return DeviceHealth(Health.OK, "ok", "", state.device)

    def open_shift(self, cashier: str) -> None:
        open_day(self._svc(), cashier)

    def close_shift(self) -> None:
        svc = self._svc()
        if svc.current_shift() is not None:
            svc.close_shift()

    def x_report(self) -> None:
        self._svc().x_report()

    def retry(self) -> None:
        if self.configured:
            self._svc().reconcile(retry=True)
