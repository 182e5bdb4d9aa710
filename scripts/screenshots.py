"""Screenshots of the cashier app's main screens in Ukrainian, Romanian and English.

``make screenshots`` runs this under Xvfb (a real X server, so dialogs are composited over the
window exactly as a cashier sees them) and writes ``docs/screenshots/<lang>_<screen>.png``.
Each language gets its own demo shop (Ukraine for uk, Romania for ro and en), a receipt
printer emulator on 127.0.0.1 and a fixed till clock, so the pictures are reproducible.

    xvfb-run -a -s "-screen 0 1366x768x24" python scripts/screenshots.py --out docs/screenshots
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TZ", "Europe/Bucharest")
time.tzset()

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from desktop.core import (  # noqa: E402
    CardDetails,
    CardTender,
    CashTender,
    Discount,
    Permission,
    PinHasher,
    Role,
    Till,
    TillSettings,
)
from desktop.core.demo_catalog import curated_products, ean13, generate_products, scale_label  # noqa: E402
from desktop.devices.emulators.escpos_printer import EscposPrinterEmulator  # noqa: E402
from desktop.devices.printers.config import PrinterKind  # noqa: E402
from desktop.devices.printers.service import HardwareService  # noqa: E402
from desktop.devices.printers.settings import HardwareSettings  # noqa: E402
from desktop.store import SqliteStorage  # noqa: E402
from desktop.ui import translations  # noqa: E402
from desktop.ui.app import build_context, qt_app  # noqa: E402
from desktop.ui.devices import HardwarePrinter  # noqa: E402
from desktop.ui.dialogs.approval import ApprovalDialog  # noqa: E402
from desktop.ui.dialogs.history import HistoryDialog  # noqa: E402
from desktop.ui.dialogs.payment import PaymentDialog  # noqa: E402
from desktop.ui.dialogs.returns import ReturnDialog  # noqa: E402
from desktop.ui.dialogs.settings import SettingsDialog  # noqa: E402
from desktop.ui.dialogs.shift import ReportDialog  # noqa: E402
from desktop.ui.views.main_window import MainWindow  # noqa: E402
from shared.clock import ManualClock  # noqa: E402

SCREENS = (
    "login",
    "sale",
    "search",
    "payment",
    "approval",
    "report",
    "returns",
    "history",
    "settings",
    "printer_error",
)
OPENED = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def settle(until: Callable[[], bool] = lambda: True, timeout: float = 15.0) -> None:
    """Run the event loop until ``until()`` holds, then a little longer for painting."""
    end = time.monotonic() + timeout
    while time.monotonic() < end and not until():
        QApplication.processEvents()
        time.sleep(0.01)
    for _ in range(30):
        QApplication.processEvents()
        time.sleep(0.01)


def demo_till(path: Path, country: str, clock: ManualClock) -> Till:
    names = {"UA": ("Олена Коваль", "Андрій Шевчук"), "RO": ("Ana Popescu", "Ion Ionescu")}
    settings = TillSettings.for_country(country, header=("Tillbridge",), footer=("Mulțumim!",))
    till = Till(SqliteStorage(path), settings, clock=clock, pins=PinHasher(fast=True))
    till.import_catalog(
        [*curated_products(country), *generate_products(2000, country=country)], replace=True
    )
    manager, cashier = names[country]
    till.create_user("manager", manager, Role.STORE_MANAGER, "9999")
    till.login("manager", "9999")
    till.create_user("cashier", cashier, Role.CASHIER, "1234")
    till.create_user(
        "cashier2", "Maria " + ("Бондар" if country == "UA" else "Dumitru"), Role.CASHIER, "4321"
    )
    till.logout()
    return till


def earlier_sales(till: Till, country: str) -> str:
    """Two sales before the screenshots (history and returns need receipts)."""
    till.login("cashier", "1234")
    till.open_shift(1000_00)
    gs1 = "482" if country == "UA" else "594"
    first = 13 if country == "UA" else 1
    cart = till.new_cart()
    for i in (0, 1, 2) if country == "RO" else (0, 1, 5):
        cart = till.scan(cart.id, ean13(gs1, 900_000_000 + first + i))
    number = till.complete_sale(cart.id, [CardTender(None, CardDetails(rrn="482913"))]).number
    cart = till.new_cart()
    cart = till.scan(cart.id, ean13(gs1, 900_000_000 + first + 6))
    till.complete_sale(cart.id, [CashTender(500_00)])
    till.logout()
    return number


class Shooter:
    def __init__(self, lang: str, out: Path, root: Path) -> None:
        self.lang, self.out = lang, out
        country = "UA" if lang == "uk" else "RO"
        self.country = country
        self.clock = ManualClock(OPENED)
        home = root / lang
        home.mkdir(parents=True)
        self.till = demo_till(home / "till.sqlite3", country, self.clock)
        self.sold = earlier_sales(self.till, country)
        self.clock.advance(timedelta(hours=2, minutes=5))
        self.emu = EscposPrinterEmulator().start()
        self.hw = HardwareService(
            home, settings=HardwareSettings(status_interval=0, retry_base=0.05)
        ).start()
        self.hw.add_printer(
            {
                "name": "Epson TM-T20",
                "type": "thermal",
                "connection": "network",
                "ip": "127.0.0.1",
                "port": self.emu.port,
            }
        )
        printer = HardwarePrinter(lambda: self.hw, language=lambda: self.till.settings.language)
        self.ctx = build_context(self.till, home, printer=printer, hardware=lambda: self.hw,
                                 language=lang)
        self.w = MainWindow(self.ctx, status_interval_ms=0)
        self.w.setGeometry(QApplication.primaryScreen().geometry())
        self.w.show()
        settle(lambda: self.w.isVisible())

    def shot(self, name: str, *, focus: bool = False) -> None:
        if focus:
            self.w.activateWindow()
            self.w.sale.focus_field()
        self.w.refresh_status()
        settle(self.ctx.lanes.idle)
        screen = QApplication.primaryScreen()
        path = self.out / f"{self.lang}_{name}.png"
        screen.grabWindow(0).save(str(path))
        print(f"wrote {path}")

    def modal(self, kind: type) -> QWidget:
        settle(lambda: isinstance(QApplication.activeModalWidget(), kind))
        widget = QApplication.activeModalWidget()
        assert isinstance(widget, kind), f"expected {kind.__name__}, got {widget!r}"
        return widget

    def close_modal(self) -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None:
            modal.close()
        settle(lambda: QApplication.activeModalWidget() is None)

    def run(self) -> None:
        w, till = self.w, self.till
        gs1 = "482" if self.country == "UA" else "594"
        first = 13 if self.country == "UA" else 1
        settle(lambda: w.login.panel.users.count() == 3)
        w.login.panel.pin.setText("12")
        self.shot("login")

        w.login._login("cashier", "1234")
        settle(lambda: w.stack.currentWidget() is w.sale)
        for i in (0, 1, 2, 6) if self.country == "RO" else (0, 1, 5, 12):
            w.sale.scan(ean13(gs1, 900_000_000 + first + i))
        w.sale.scan(scale_label("101" if self.country == "RO" else "201", 1234))
        settle(self.ctx.lanes.idle)
        session = self.ctx.session
        self.ctx.lanes.till.submit(lambda: session.set_quantity(1, 2, None), w.sale.show_cart)
        self.ctx.lanes.till.submit(
            lambda: session.discount_line(5, Discount.percent(5), None),
            lambda c: w.sale.show_cart(c, line_no=5),
        )
        self.shot("sale", focus=True)

        w.sale.field.setText("mol" if self.country == "UA" else "lapt")
        w.sale._search()
        settle(lambda: w.sale.popup.isVisible())
        self.shot("search", focus=True)
        w.sale.field.clear()
        w.sale.popup.hide()

        w.sale.pay()
        pay = self.modal(PaymentDialog)
        assert isinstance(pay, PaymentDialog)
        pay.amount.setText("50")
        pay._card_key()
        pay.ref.setText("482913")
        pay._card()
        settle(lambda: pay.payments.count() == 1)
        pay.amount.setText("")
        self.shot("payment")
        self.close_modal()
        settle(self.ctx.lanes.idle)

        ApprovalDialog(self.ctx, w, Permission.DISCOUNT_OVER_LIMIT, lambda _a: None).start()
        dialog = self.modal(ApprovalDialog)
        settle(lambda: dialog.panel.users.count() == 1)  # type: ignore[attr-defined]
        dialog.panel.pin.setText("99")  # type: ignore[attr-defined]
        self.shot("approval")
        self.close_modal()

        w.actions.x_report()
        self.modal(ReportDialog)
        self.shot("report")
        self.close_modal()

        w.actions.returns(self.sold)
        ret = self.modal(ReturnDialog)
        assert isinstance(ret, ReturnDialog)
        settle(lambda: ret.table.rowCount() == 3)
        ret.table.selectRow(1)
        ret.qty.setText("1")
        ret._set_qty()
        self.shot("returns")
        self.close_modal()

        w.actions.history()
        hist = self.modal(HistoryDialog)
        settle(lambda: hist.table.rowCount() >= 2)  # type: ignore[attr-defined]
        self.shot("history")
        self.close_modal()

        SettingsDialog(self.ctx, w).start()
        settings = self.modal(SettingsDialog)
        settings.tabs.setCurrentIndex(1)  # type: ignore[attr-defined]
        settle(lambda: settings.printers.count() >= 1)  # type: ignore[attr-defined]
        self.shot("settings")
        self.close_modal()

        self.emu.set_status("paper-out")
        receipt = till.receipts(limit=1)[0]
        w.print_receipt(receipt, copy=True)
        printer = self.hw.default_printer(PrinterKind.THERMAL)
        assert printer is not None
        settle(lambda: self.hw.queue.status(printer.id).state.value == "paper_out")
        w.sale.focus_field()
        self.shot("printer_error", focus=True)

    def close(self) -> None:
        self.w.shutdown()
        self.w.close()
        self.ctx.language.set("en")
        QApplication.instance().removeEventFilter(self.ctx.scanner)  # type: ignore[union-attr]
        self.hw.close()
        self.emu.stop()
        self.till.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--lang", action="append", choices=("uk", "ro", "en"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    translations.build()
    app = qt_app()
    app.setAttribute(Qt.ApplicationAttribute.AA_DontShowIconsInMenus)
    with tempfile.TemporaryDirectory() as tmp:
        for lang in args.lang or ("uk", "ro", "en"):
            shooter = Shooter(lang, args.out, Path(tmp))
            try:
                shooter.run()
            finally:
                shooter.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
