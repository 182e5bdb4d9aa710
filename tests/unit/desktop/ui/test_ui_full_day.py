"""A cashier's whole day driven with key presses only, against a real store and an ESC/POS
printer emulator on 127.0.0.1: login, open shift, three scans (one scale label), a discount a
manager approves, a mixed card + cash payment, a reprint, a return, an X report, the Z close.

Assertions read what the widgets show and what the till store holds.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_helpers import login, open_ui

from desktop.core import PaymentKind, ReceiptKind, Till
from desktop.core.demo_catalog import ean13, scale_label
from desktop.devices.emulators.escpos_printer import EscposPrinterEmulator
from desktop.devices.printers.service import HardwareService
from desktop.ui.devices import HardwarePrinter
from desktop.ui.dialogs.approval import ApprovalDialog
from desktop.ui.dialogs.discount import DiscountDialog
from desktop.ui.dialogs.entry import EntryDialog
from desktop.ui.dialogs.history import HistoryDialog
from desktop.ui.dialogs.payment import PaymentDialog
from desktop.ui.dialogs.returns import ReturnDialog
from desktop.ui.dialogs.shift import ReportDialog, ShiftMenuDialog

pytestmark = pytest.mark.qt

K = Qt.Key
MILK = ean13("594", 900_000_001)          # Lapte de vacă 1,5% 1L   7,99
BREAD = ean13("594", 900_000_002)         # Pâine albă feliată      5,49
CHEESE = scale_label("101", 1234)         # Brânză telemea 1,234 kg × 32,90 = 40,60


def test_full_day_with_keys_only(qtbot: QtBot, till: Till, tmp_path: Path,
                                 printer: tuple[EscposPrinterEmulator, HardwareService]) -> None:
    emu, svc = printer
    port = HardwarePrinter(lambda: svc, language=lambda: till.settings.language)
    ui, close = open_ui(qtbot, till, tmp_path / "home", printer=port, hardware=svc)
    w = ui.window
    try:
        # -- login and open the shift ------------------------------------------------------
        login(ui)
        assert w.strip.user.text() == "Ion Casier"
        assert "No shift is open" in w.sale.hero.name.text()
        ui.press(K.Key_F9)
        ui.wait_modal(EntryDialog)
        ui.enter("500")
        ui.wait_no_modal()
        shift = till.current_shift()
        assert shift is not None and shift.opening_float == 500_00
        w.refresh_status()
        ui.idle()
        assert w.strip.shift.text().startswith("Shift 1: open")
        assert "ready" in w.strip.printer.text()

        # -- three scans, one of them a scale label ----------------------------------------
        for code in (MILK, BREAD, CHEESE):
            ui.scan(code)
        ui.idle()
        assert w.sale.model.rowCount() == 3
        assert w.sale.hero.name.text() == "Brânză telemea de vacă"
        assert "1.234 kg" in w.sale.hero.detail.text()
        assert w.sale.totals.total.text() == "RON 54.08"
        assert w.sale.field.text() == ""

        # -- 15 % off the cheese: above the cashier's 10 %, a manager approves --------------
        ui.press(K.Key_F4)
        ui.wait_modal(DiscountDialog)
        ui.enter("15")
        approval = ui.wait_modal(ApprovalDialog)
        assert isinstance(approval, ApprovalDialog)
        ui.wait(lambda: approval.panel.login() == "manager")
        ui.enter("9999")
        ui.wait_no_modal()
        cart = ui.ctx.session.current()
        assert cart is not None
        manager = next(u for u in till.users() if u.login == "manager")
        assert cart.line(3).discount_by == manager.id
        assert w.sale.totals.total.text() == "RON 47.99"      # 54,08 − 6,09
        assert w.sale.totals.discount.text() == "RON -6.09"

        # -- mixed payment: 20 by card (terminal reference), the rest in cash ---------------
        ui.press(K.Key_F12)
        pay = ui.wait_modal(PaymentDialog)
        assert isinstance(pay, PaymentDialog)
        assert pay.values[0].text() == "RON 47.99"
        ui.type("20")
        ui.press(K.Key_F2)
        ui.wait(lambda: pay.ref.hasFocus())
        ui.enter("RRN123456")
        ui.wait(lambda: pay.payments.count() == 1)
        assert pay.values[2].text() == "RON 27.99"
        ui.enter("50")
        ui.wait_no_modal()
        sale = till.receipts(limit=1)[0]
        assert sale.kind is ReceiptKind.SALE and sale.total == 47_99
        by_kind = {p.kind: p for p in sale.payments}
        assert by_kind[PaymentKind.CARD].amount == 20_00
        assert by_kind[PaymentKind.CARD].card is not None
        assert by_kind[PaymentKind.CARD].card.rrn == "RRN123456"
        assert by_kind[PaymentKind.CASH].tendered == 50_00
        assert sale.change == 22_01
        assert "CHANGE: RON 22.01" in w.sale.totals.after.text()
        assert w.sale.model.rowCount() == 0
        ui.wait(lambda: len(emu.receipts()) == 1)
        printed = "\n".join(emu.receipts()[0].text)
        assert sale.number in printed and "COPIE" not in printed

        # -- reprint from the receipt history ---------------------------------------------
        ui.press(K.Key_F10)
        history = ui.wait_modal(HistoryDialog)
        assert isinstance(history, HistoryDialog)
        ui.wait(lambda: history.table.rowCount() == 1)
        assert sale.number in history.preview.toPlainText()
        ui.press(K.Key_F2)
        ui.wait(lambda: len(emu.receipts()) == 2)
        ui.wait(lambda: "sent to the printer" in history.notice.text())
        assert "COPIE" in "\n".join(emu.receipts()[1].text)
        ui.press(K.Key_Escape)
        ui.wait_no_modal()

        # -- return the bread: receipt number, choose the line, a manager approves ----------
        ui.press(K.Key_F7)
        ret = ui.wait_modal(ReturnDialog)
        assert isinstance(ret, ReturnDialog)
        ui.enter(sale.number)
        ui.wait(lambda: ret.table.rowCount() == 3)
        ui.press(K.Key_Down)
        ui.enter("1")
        assert "RON 5.49" in ret.summary.text() and "in cash" in ret.summary.text()
        ui.press(K.Key_F12)
        approval = ui.wait_modal(ApprovalDialog)
        ui.enter("9999")
        ui.wait_no_modal()
        refund = till.receipts(limit=1)[0]
        assert refund.kind is ReceiptKind.RETURN
        assert refund.original_number == sale.number
        assert [(ln.sku, ln.quantity) for ln in refund.lines] == [("RO-PAINE-ALBA",
                                                                   Decimal(1))]
        assert refund.approved_by == manager.id
        ui.wait(lambda: len(emu.receipts()) == 3)

        # -- X report ------------------------------------------------------------------------
        ui.press(K.Key_F9)
        ui.wait_modal(ShiftMenuDialog)
        ui.press(K.Key_F1)
        x = ui.wait_modal(ReportDialog)
        assert isinstance(x, ReportDialog)
        assert x.report.kind.value == "X"
        assert x.values["Sales"] == "1 receipt · RON 47.99"
        assert x.values["Returns"] == "1 receipt · RON 5.49"
        assert x.values["Expected cash in drawer"] == "RON 522.50"  # 500 + 27,99 − 5,49
        ui.press(K.Key_Escape)
        ui.wait_no_modal()

        # -- close the shift with the counted cash: Z report ---------------------------------
        ui.press(K.Key_F9)
        ui.wait_modal(ShiftMenuDialog)
        ui.press(K.Key_F4)
        ui.wait_modal(EntryDialog)
        ui.enter("522,00")
        z = ui.wait_modal(ReportDialog)
        assert isinstance(z, ReportDialog)
        assert z.report.kind.value == "Z"
        assert z.values["Difference"] == "RON -0.50"
        ui.press(K.Key_Escape)
        ui.wait_no_modal()
        assert till.current_shift() is None
        stored = till.z_report(1)
        assert stored.counted_cash == 522_00 and stored.cash_difference == -50
        assert stored.totals.sales_count == 1 and stored.totals.returns_count == 1
        ui.wait(lambda: len(emu.receipts()) == 4)  # the Z report on paper
        w.refresh_status()
        ui.idle()
        assert w.strip.shift.text() == "Shift: closed"
    finally:
        close()
