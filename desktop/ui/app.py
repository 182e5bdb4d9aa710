"""Start the cashier app: Qt application, language, theme, scanner filter, window, agent.

``tillbridge-till run`` calls :func:`run_gui`; tests build the same window with
:func:`build_context` and their own (emulated) devices. The window's status bar reads the
cloud link from :class:`desktop.sync_runtime.SyncStatusSource`; an enrolled till syncs in the
background through the window's own ``Till`` (so feed changes reach the running till) from the
first frame until the window closes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from desktop.config import TillConfig
from desktop.core import Till
from desktop.ui.context import Prefs, UiContext
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
from desktop.ui.workers import Lanes

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
    hardware: object = None,
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
    )  # type: ignore[arg-type]


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
    cfg: TillConfig | None = None,
    *,
    agent: bool = True,
    first_frame: Callable[[Any], None] | None = None,
) -> int:
    """Run the window until it closes; with ``agent`` also the local API and device queues."""
    from desktop.app import build_till
    from desktop.ui.agent import Agent
    from desktop.ui.devices import HardwarePrinter, ServiceFiscal
    from desktop.ui.views.main_window import MainWindow

    cfg = cfg or TillConfig()
    app = qt_app()
    app.setApplicationName("Tillbridge")
    till = build_till(cfg)
    runner = Agent(cfg, headless=False) if agent else None
    printer: PrinterPort | None = None
    fiscal: ServiceFiscal | None = None
    if runner is not None:
        printer = HardwarePrinter(runner.hardware, language=lambda: till.settings.language)
        fiscal = ServiceFiscal(runner.fiscal, cfg.home, reset=runner.reset_fiscal)
    ctx = build_context(
        till,
        cfg.home,
        printer=printer,
        fiscal=fiscal,
        sync=_LazySync(till, cfg.home),
        hardware=_LazyHardware(runner) if runner else None,
    )
    window = MainWindow(ctx)

    def after_first_frame() -> None:
        """The login screen is on the glass: now build the rest (the sale screen with the
        document agent, the local API with its device queues, sync) while the cashier types
        the PIN."""
        if first_frame is not None:
            first_frame(window)
        _ = window.sale
        from desktop.sync_runtime import attach

        attach(cfg.home, till)  # before the local API starts: its sync runner is this one
        if runner is not None:
            runner.start()

    watcher = _FirstFrame(after_first_frame)
    window.installEventFilter(watcher)
    window.showMaximized()
    restore_signals = _quit_on_signals(app)
    try:
        return app.exec()
    finally:
        window.shutdown()
        if runner is not None:
            runner.stop()
        from desktop.sync_runtime import detach

        detach(cfg.home)
        till.close()
        app.removeEventFilter(ctx.scanner)
        restore_signals()


def _quit_on_signals(app: QApplication) -> Callable[[], None]:
    """SIGTERM/SIGINT (systemd stop, Ctrl+C) close the window cleanly: Python only sees a
    signal when it runs, so a timer lets it run twice a second. Returns the undo."""
    import signal

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
    """The status bar's sync slot: :class:`desktop.sync_runtime.SyncStatusSource`, imported on
    its first read (on the status lane; the sync engine's HTTP stack is not needed for the
    first frame)."""

    def __init__(self, till: Till, home: Path) -> None:
        self._till, self._home = till, home
        self._source: SyncSource | None = None

    def state(self) -> SyncState:
        if self._source is None:
            from desktop.sync_runtime import SyncStatusSource

            self._source = SyncStatusSource(self._till, self._home)
        return self._source.state()


class _LazyHardware:
    """The agent's print service, reached only from worker lanes (it may still be starting)."""

    def __init__(self, runner: object) -> None:
        self._runner = runner

    def __getattr__(self, name: str) -> object:
        return getattr(self._runner.hardware(), name)  # type: ignore[attr-defined]
