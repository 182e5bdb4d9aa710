"""A keyboard-wedge scanner is recognised wherever the focus is, from key timing alone.

The scanner filter's clock is a test clock advanced per key, so "5 ms per key" and "200 ms per
key" are exact regardless of how fast the machine runs the test.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot
from ui_helpers import StepClock, Ui, open_shift

from desktop.core.demo_catalog import ean13
from desktop.ui.dialogs.discount import DiscountDialog
from desktop.ui.dialogs.payment import PaymentDialog
from desktop.ui.scanner import ScannerFilter

pytestmark = pytest.mark.qt

K = Qt.Key
MILK = ean13("594", 900_000_001)
BREAD = ean13("594", 900_000_002)


def test_scan_while_focus_is_in_a_dialog_field_adds_the_product(ui: Ui) -> None:
    """GIVEN a line in the cart and the discount dialog open with its field focused
    WHEN 13 digits + Enter arrive at 5 ms per key
    THEN the product is added to the sale and the field keeps what it had."""
    open_shift(ui)
    ui.scan(MILK)
    ui.idle()
    ui.press(K.Key_F4)
    dialog = ui.wait_modal(DiscountDialog)
    assert isinstance(dialog, DiscountDialog)
    ui.type("5")  # the cashier had started typing a discount
    field = QApplication.focusWidget()
    assert isinstance(field, QLineEdit) and field.text() == "5"
    ui.scan(BREAD)
    ui.idle()
    assert field.text() == "5" and field.cursorPosition() == 1
    assert dialog.isVisible()
    assert "Added to the sale: Pâine albă feliată 500g" in dialog.notice.text()
    cart = ui.ctx.session.current()
    assert cart is not None and [ln.sku for ln in cart.active_lines] == ["RO-LAPTE-15",
                                                                         "RO-PAINE-ALBA"]
    assert ui.window.sale.model.rowCount() == 2
    assert ui.window.sale.totals.total.text() == "RON 13.48"


def test_scan_during_payment_adds_the_item_and_updates_the_amount_due(ui: Ui) -> None:
    open_shift(ui)
    ui.scan(MILK)
    ui.idle()
    ui.press(K.Key_F12)
    pay = ui.wait_modal(PaymentDialog)
    assert isinstance(pay, PaymentDialog)
    assert pay.values[0].text() == "RON 7.99"
    ui.scan(BREAD)
    ui.idle()
    assert pay.values[0].text() == "RON 13.48"
    assert pay.amount.text() == ""
    ui.enter()  # exact cash
    ui.wait_no_modal()
    sale = ui.till.receipts(limit=1)[0]
    assert sale.total == 13_48 and len(sale.lines) == 2


def test_human_typing_is_never_taken_for_a_scan(ui: Ui) -> None:
    """The same 13 digits typed at 200 ms per key stay in the field they were typed into."""
    open_shift(ui)
    ui.scan(MILK)
    ui.idle()
    ui.press(K.Key_F4)
    dialog = ui.wait_modal(DiscountDialog)
    field = QApplication.focusWidget()
    assert isinstance(field, QLineEdit)
    ui.type(BREAD)  # human speed: the step clock advances 200 ms per key
    assert field.text() == BREAD
    ui.press(K.Key_Return)  # the dialog gets the Enter: 5949000000021 % is refused inline
    ui.idle()
    assert dialog.isVisible()
    cart = ui.ctx.session.current()
    assert cart is not None and len(cart.active_lines) == 1


def test_scan_in_the_sale_field_leaves_it_empty_and_shows_the_item_large(ui: Ui) -> None:
    open_shift(ui)
    ui.type("lap")  # a search started, then the scanner fires
    ui.scan(BREAD)
    ui.idle()
    assert ui.window.sale.field.text() == "lap"
    assert ui.window.sale.hero.name.text() == "Pâine albă feliată 500g"


def test_scan_on_the_login_screen_asks_to_log_in(ui: Ui) -> None:
    ui.scan(MILK)
    assert "Log in first" in ui.window.login.panel.problem.text()
    assert ui.window.login.panel.pin.text() == ""


def test_filter_rules(qtbot: QtBot) -> None:
    """Bursts shorter than ``min_length``, slow keys, and a slow gap inside a burst are typing."""
    clock = StepClock(0.005)
    scanner = ScannerFilter(clock=clock, min_length=6)
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    field.activateWindow()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    got: list[str] = []
    scanner.scanned.connect(got.append)
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(scanner)
    try:
        QTest.keyClicks(field, "12345")
        QTest.keyClick(field, K.Key_Return)  # 5 fast keys: too short for a barcode
        assert got == [] and field.text() == "12345"
        field.clear()
        QTest.keyClicks(field, "123")
        clock.step = 0.3
        QTest.keyClick(field, "4")  # a pause: the burst restarts here
        clock.step = 0.005
        QTest.keyClicks(field, "5678")
        QTest.keyClick(field, K.Key_Return)  # 5 fast keys since the pause
        assert got == []
        field.setText("abc")
        field.setCursorPosition(1)
        QTest.keyClicks(field, "4820000000019")
        QTest.keyClick(field, K.Key_Return)
        assert got == ["4820000000019"]
        assert field.text() == "abc" and field.cursorPosition() == 1
    finally:
        app.removeEventFilter(scanner)
