"""Helpers for the cashier app tests: a demo till, a clock the scanner filter reads, the window.

Keys go to whatever widget has the focus, exactly as a keyboard (or a keyboard-wedge scanner)
would deliver them; the scanner filter's clock advances a fixed step per key, so "human" and
"scanner" typing speeds are chosen by the test, never by the machine's load.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.core import PinHasher, Role, Till, TillSettings
from desktop.core.demo_catalog import curated_products, generate_products
from desktop.store import SqliteStorage
from desktop.ui.app import build_context
from desktop.ui.context import UiContext
from desktop.ui.scanner import ScannerFilter
from desktop.ui.status import FiscalPort, PrinterPort
from desktop.ui.views.main_window import MainWindow
from shared.clock import ManualClock

START = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)


class StepClock:
    """Monotonic seconds that advance by ``step`` each time they are read (one read per key)."""

    def __init__(self, step: float = 0.2) -> None:
        self.t = 1000.0
        self.step = step

    def __call__(self) -> float:
        self.t += self.step
        return self.t


def make_till(path: Path, *, country: str = "RO", clock: ManualClock | None = None) -> Till:
    """A demo shop: curated products (weighted, excise) plus 200 generated; two users."""
    settings = TillSettings.for_country(country, header=("Tillbridge test shop",),
                                        footer=("Mulțumim!",))
    till = Till(SqliteStorage(path), settings, clock=clock or ManualClock(START),
                pins=PinHasher(fast=True))
    till.import_catalog([*curated_products(country), *generate_products(200, country=country)],
                        replace=True)
    till.create_user("manager", "Ana Manager", Role.STORE_MANAGER, "9999")
    till.login("manager", "9999")
    till.create_user("cashier", "Ion Casier", Role.CASHIER, "1234")
    till.logout()
    return till


@dataclass
class Ui:
    """The window under test and how to drive it."""

    window: MainWindow
    ctx: UiContext
    clock: StepClock
    qtbot: QtBot
    till: Till

    def focus(self) -> QWidget:
        w = QApplication.focusWidget()
        assert w is not None, "nothing has the keyboard focus"
        return w

    def type(self, text: str) -> None:
        """Keys one by one into the focused widget (human speed unless the clock says else)."""
        for ch in text:
            QTest.keyClick(self.focus(), ch)

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
              ) -> None:
        QTest.keyClick(self.focus(), key, modifier)

    def enter(self, text: str = "") -> None:
        self.type(text)
        self.press(Qt.Key.Key_Return)

    def scan(self, code: str, *, interval: float = 0.005) -> None:
        """A keyboard-wedge scanner: ``code`` + Enter at ``interval`` seconds per key."""
        human, self.clock.step = self.clock.step, interval
        self.clock.t += 0.5  # the pause while the cashier picks the item and aims
        try:
            self.enter(code)
        finally:
            self.clock.step = human

    def idle(self, timeout: int = 10_000) -> None:
        """Every lane drained and its results delivered."""
        self.qtbot.waitUntil(self.ctx.lanes.idle, timeout=timeout)

    def wait(self, predicate: Callable[[], object], timeout: int = 10_000) -> None:
        self.qtbot.waitUntil(lambda: bool(predicate()), timeout=timeout)

    def modal(self) -> QWidget | None:
        return QApplication.activeModalWidget()

    def wait_modal(self, kind: type) -> QWidget:
        self.wait(lambda: isinstance(self.modal(), kind))
        modal = self.modal()
        assert modal is not None
        self.wait(lambda: (QApplication.focusWidget() is not None
                  and modal.isAncestorOf(QApplication.focusWidget())) or
                  QApplication.focusWidget() is modal)
        return modal

    def wait_no_modal(self) -> None:
        """The dialog closed and the keyboard is back on the window."""
        self.wait(lambda: self.modal() is None)
        self.idle()
        self.wait(lambda: QApplication.focusWidget() is not None)


def open_ui(qtbot: QtBot, till: Till, home: Path, *, printer: PrinterPort | None = None,
            fiscal: FiscalPort | None = None, language: str = "en",
            hardware: object = None) -> tuple[Ui, Callable[[], None]]:
    clock = StepClock()
    scanner = ScannerFilter(clock=clock)
    ctx = build_context(till, home, printer=printer, fiscal=fiscal, scanner=scanner,
                        language=language,
                        hardware=(lambda: hardware) if hardware is not None else None)
    window = MainWindow(ctx, status_interval_ms=0)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    ui = Ui(window, ctx, clock, qtbot, till)
    ui.idle()

    def close() -> None:
        window.shutdown()
        QApplication.instance().removeEventFilter(scanner)  # type: ignore[union-attr]
        ctx.language.set("en")
        for w in QApplication.topLevelWidgets():
            if w is not window and w.isVisible():
                w.close()

    return ui, close


def login(ui: Ui, pin: str = "1234", *, user: str = "cashier") -> None:
    """Choose ``user`` with the arrow keys and type the PIN."""
    panel = ui.window.login.panel
    ui.wait(lambda: panel.users.count() > 0)
    for _ in range(panel.users.count()):
        if panel.login() == user:
            break
        ui.press(Qt.Key.Key_Down)
    assert panel.login() == user
    ui.enter(pin)
    ui.wait(lambda: ui.window.stack.currentWidget() is ui.window.sale)
    ui.idle()


def open_shift(ui: Ui, float_: str = "200") -> None:
    """Log in as the cashier and open a shift with ``float_`` in the drawer (F9)."""
    from desktop.ui.dialogs.entry import EntryDialog

    login(ui)
    ui.press(Qt.Key.Key_F9)
    ui.wait_modal(EntryDialog)
    ui.enter(float_)
    ui.wait_no_modal()
