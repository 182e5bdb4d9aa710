"""Start the cashier app: Qt application, language, theme, scanner filter, window, local API.

``tillbridge-till run`` calls :func:`run_gui` with the process's
:class:`~desktop.app.TillServices`: the window sells on ``services.till``, prints and
fiscalises through ``services.hardware`` / ``services.fiscal`` (the same services the local
API serves, started beside the window after its first frame), and its status bar reads the
cloud link from :class:`desktop.ui.sync_status.SyncStatusSource` over ``services.sync`` — an
enrolled till syncs in the background through the window's own ``Till`` (so feed changes reach
the running till) from the first frame until the window closes. Tests build the same window
with :func:`build_context` and their own (emulated) devices.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from desktop.app import TillServices
from desktop.core import Till
from desktop.ui.context import Prefs, UiContext
from desktop.ui.devices import HardwarePrinter, ServiceFiscal
from desktop.ui.locale import LANGUAGES, Language
from desktop.ui.scanner import ScannerFilter
from desktop.ui.status import (
    FiscalPort,
    NoFiscal,
    NoPrinter,
    OutboxSync,
    PrinterPort,
    SyncSource,
    SyncState,
)
from desktop.ui.theme import apply_theme
from desktop.ui.views.main_window import MainWindow
from desktop.ui.workers import Lanes

if TYPE_CHECKING:
    from desktop.devices.printers.service import HardwareService

__all__ = ["build_context", "qt_app", "run_gui"]


def qt_app() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    return QApplication(sys.argv[:1])


def build_context(
    till: Till,
    home: Path,
    *,
    printer: PrinterPort | None = None,
    fiscal: FiscalPort | None = None,
    sync: SyncSource | None = None,
    scanner: ScannerFilter | None = None,
    hardware: Callable[[], HardwareService] | None = None,
    language: str | None = None,
) -> UiContext:
    """Everything the window needs; installs the theme and the scanner filter on the app."""
    app = qt_app()
    apply_theme(app)
    prefs = Prefs(home / "ui.ini")
    lang = language or prefs.get("language") or till.settings.language
    scanner = scanner or ScannerFilter()
    app.installEventFilter(scanner)
    return UiContext(
        till=till,
        lanes=Lanes(),
        printer=printer or NoPrinter(),
        fiscal=fiscal or NoFiscal(),
        sync=sync or OutboxSync(till),
        language=Language(lang if lang in LANGUAGES else "en"),
        scanner=scanner,
        prefs=prefs,
        home=home,
        hardware=hardware,
    )


class _FirstFrame(QObject):
    """Calls back once the window has painted for the first time."""

    def __init__(self, callback: Callable[[], None]) -> None:
        super().__init__()
        self._callback: Callable[[], None] | None = callback

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            callback, self._callback = self._callback, None
            QTimer.singleShot(0, callback)
        return False


def run_gui(
    services: TillServices,
    *,
    api: bool = True,
    first_frame: Callable[[Any], None] | None = None,
) -> int:
    """Run the window until it closes, then close ``services``. With ``api`` the window also
    runs the local API and drives the printer and fiscal device (tests run the window alone).
    """
    app = qt_app()
    app.setApplicationName("Tillbridge")
    till = services.till.get()
    printer: PrinterPort | None = None
    fiscal: ServiceFiscal | None = None
    if api:
        printer = HardwarePrinter(services.hardware.get, language=lambda: till.settings.language)
        fiscal = ServiceFiscal(services.fiscal.get, services.home, reset=services.fiscal.reset)
    ctx = build_context(
        till,
        services.home,
        printer=printer,
        fiscal=fiscal,
        sync=_LazySync(services),
        hardware=services.hardware.get if api else None,
    )
    window = MainWindow(ctx)
    server: list[Any] = []

    def after_first_frame() -> None:
        """The login screen is on the glass: now build the rest (the sale screen with its
        document worker, the local API with its device queues, sync) while the cashier types
        the PIN."""
        if first_frame is not None:
            first_frame(window)
        _ = window.sale
        if services.enrolled():  # sync through the window's till, even if the API fails
            services.sync.get()
        if api:
            # the web stack: after the first frame (it takes longer to import than to draw)
            from desktop.api.server import LocalApiServer

            server.append(LocalApiServer(services, headless=False))
            server[0].start()  # its app runs the sync runner too (it waits for enrollment)

    watcher = _FirstFrame(after_first_frame)
    window.installEventFilter(watcher)
    window.showMaximized()
    restore_signals = _quit_on_signals(app)
    try:
        return app.exec()
    finally:
        window.shutdown()
        for running in server:
            running.stop()
        services.close()
        app.removeEventFilter(ctx.scanner)
        restore_signals()


def _quit_on_signals(app: QApplication) -> Callable[[], None]:
    """SIGTERM/SIGINT (systemd stop, Ctrl+C) close the window cleanly: Python only sees a
    signal when it runs, so a timer lets it run twice a second. Returns the undo."""
    before = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    for sig in before:
        signal.signal(sig, lambda *_: app.quit())
    tick = QTimer(app)
    tick.timeout.connect(lambda: None)
    tick.start(500)

    def restore() -> None:
        tick.stop()
        tick.deleteLater()
        for sig, handler in before.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)

    return restore


class _LazySync:
    """The status bar's sync slot: :class:`desktop.ui.sync_status.SyncStatusSource`, imported on
    its first read (on the status lane; the sync engine's HTTP stack is not needed for the
    first frame)."""

    def __init__(self, services: TillServices) -> None:
        self._services = services
        self._source: SyncSource | None = None

    def state(self) -> SyncState:
        if self._source is None:
            # the sync engine and its HTTP stack: not for the first frame
            from desktop.ui.sync_status import SyncStatusSource

            services = self._services
            self._source = SyncStatusSource(services.till.get(), services.home,
                                            services.sync.peek)
        return self._source.state()
