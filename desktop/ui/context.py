"""What every screen and dialog gets: the till, the worker lanes and the device/sync ports.

Built once by :func:`desktop.ui.app.build_context` (or by tests with emulated devices).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings

from desktop.core import Till
from desktop.ui.locale import Language
from desktop.ui.scanner import ScannerFilter
from desktop.ui.session import SaleSession
from desktop.ui.status import FiscalPort, PrinterPort, SyncSource
from desktop.ui.window_documents import WindowDocuments
from desktop.ui.workers import Lanes

if TYPE_CHECKING:
    from desktop.devices.printers.service import HardwareService

__all__ = ["Prefs", "UiContext"]


class Prefs:
    """This till's UI preferences (language, last user) in ``home/ui.ini``: a cashier may
    change the language without a manager, unlike the till settings."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._s = QSettings(str(path), QSettings.Format.IniFormat)

    def get(self, key: str, default: str = "") -> str:
        value = self._s.value(key, default)
        return str(value) if value is not None else default

    def set(self, key: str, value: str) -> None:
        self._s.setValue(key, value)
        self._s.sync()


@dataclass
class UiContext:
    till: Till
    lanes: Lanes
    printer: PrinterPort
    fiscal: FiscalPort
    sync: SyncSource
    language: Language
    scanner: ScannerFilter
    prefs: Prefs
    home: Path
    hardware: Callable[[], HardwareService] | None = None
    """The printer service's getter, for the printer settings page (called on the printer
    lane; ``None``: printers unavailable)."""
    session: SaleSession = field(init=False)
    documents: WindowDocuments = field(init=False)
    """Fiscalises and prints every completed document (started with the sale screen)."""
    on_settings_saved: list[Callable[[], Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.session = SaleSession(self.till)
        self.documents = WindowDocuments(self.till, self.home, self.fiscal, self.printer)
        self.on_settings_saved.append(lambda: self.lanes.fiscal.submit(self.documents.restart))

    @property
    def currency(self) -> str:
        return self.till.settings.currency
