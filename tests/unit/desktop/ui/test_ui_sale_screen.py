"""The sale screen from the keyboard: as-you-type search, quantity prefixes, age checks, weight
entry, voids and cancellations a manager approves, cash in/out, wrong PINs, resuming a cart."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from ui_helpers import Ui, login, open_shift

from desktop.core.demo_catalog import ean13
from desktop.core.shifts import CashMovementKind
from desktop.ui.dialogs.approval import ApprovalDialog
from desktop.ui.dialogs.entry import ChoiceDialog, ConfirmDialog, EntryDialog

pytestmark = pytest.mark.qt

K = Qt.Key
MILK = ean13("594", 900_000_001)
TUICA = ean13("594", 900_000_008)  # age-restricted spirits


def _cart_skus(ui: Ui) -> list[tuple[str, Decimal]]:
    cart = ui.ctx.session.current()
    return [] if cart is None else [(ln.sku, ln.quantity) for ln in cart.active_lines]


def test_as_you_type_search_then_enter_adds_the_chosen_product(ui: Ui) -> None:
    open_shift(ui)
    sale = ui.window.sale
    ui.type("zahăr t")  # "zahă" alone: two generated "Zahăr …" come first by name
    sale._debounce.timeout.emit()  # the 120 ms pause after typing, without waiting for it
    ui.wait(lambda: sale.popup.isVisible())
    assert sale.popup.chosen() is not None
    assert sale.popup.chosen().sku == "RO-ZAHAR-1KG"  # type: ignore[union-attr]
    ui.press(K.Key_Return)
    ui.idle()
    assert _cart_skus(ui) == [("RO-ZAHAR-1KG", 1)]
    assert not sale.popup.isVisible() and sale.field.text() == ""


def test_quantity_prefix_and_a_name_with_a_single_match(ui: Ui) -> None:
    open_shift(ui)
    ui.enter(f"3*{MILK}")
    ui.idle()
    ui.enter("2*detergent rufe")
    ui.idle()
    assert _cart_skus(ui) == [("RO-LAPTE-15", 3), ("RO-DETERGENT", 2)]
    ui.enter("5*")  # the chosen line (the last) becomes 5
    ui.idle()
    assert _cart_skus(ui)[-1] == ("RO-DETERGENT", 5)


def test_unknown_barcode_says_what_to_do(ui: Ui) -> None:
    open_shift(ui)
    ui.scan("5940000000000")
    ui.idle()
    assert ui.window.sale.hero.problem.text() == (
        "Unknown barcode 5940000000000 — check the number or find the product by name (F2).")


def test_age_restricted_product_needs_a_confirmed_id_check(ui: Ui) -> None:
    open_shift(ui)
    ui.scan(TUICA)
    ui.wait_modal(ConfirmDialog)
    ui.press(K.Key_Escape)  # not of age: nothing is sold
    ui.wait_no_modal()
    assert _cart_skus(ui) == []
    ui.scan(TUICA)
    ui.wait_modal(ConfirmDialog)
    ui.press(K.Key_Return)
    ui.wait_no_modal()
    assert _cart_skus(ui) == [("RO-TUICA-05", 1)]


def test_weighed_product_chosen_by_name_asks_for_the_weight(ui: Ui) -> None:
    open_shift(ui)
    ui.enter("mere idared")
    ui.wait_modal(EntryDialog)
    ui.enter("0,750")
    ui.wait_no_modal()
    assert _cart_skus(ui) == [("RO-MERE-IDARED", Decimal("0.750"))]
    assert "0.750 kg" in ui.window.sale.hero.detail.text()


def test_void_and_cancel_need_a_manager(ui: Ui) -> None:
    open_shift(ui)
    for _ in range(3):
        ui.scan(MILK)
    ui.idle()
    ui.press(K.Key_Up)  # choose the second line
    ui.press(K.Key_F6)
    approval = ui.wait_modal(ApprovalDialog)
    ui.press(K.Key_Escape)  # no manager around: nothing changes
    ui.wait_no_modal()
    assert len(_cart_skus(ui)) == 3
    ui.press(K.Key_Delete)  # Delete on an empty field voids the chosen line too
    approval = ui.wait_modal(ApprovalDialog)
    assert isinstance(approval, ApprovalDialog)
    ui.enter("1111")  # a wrong PIN
    ui.wait(lambda: "Wrong PIN — 4 attempts left" in approval.panel.problem.text())
    ui.enter("9999")
    ui.wait_no_modal()
    cart = ui.ctx.session.current()
    assert cart is not None
    assert [ln.line_no for ln in cart.lines if ln.voided] == [2]
    ui.press(K.Key_F6, Qt.KeyboardModifier.ControlModifier)
    ui.wait_modal(ConfirmDialog)
    ui.press(K.Key_Return)
    ui.wait_modal(ApprovalDialog)
    ui.enter("9999")
    ui.wait_no_modal()
    assert ui.ctx.session.current() is None
    assert ui.window.sale.model.rowCount() == 0
    assert ui.till.x_report().totals.cancelled_sales == 1


def test_cash_in_and_out_from_f8(ui: Ui) -> None:
    open_shift(ui, "100")
    ui.press(K.Key_F8)
    ui.wait_modal(ChoiceDialog)
    ui.press(K.Key_F2)
    dialog = ui.wait_modal(EntryDialog)
    ui.enter("250")  # more than the drawer holds
    ui.wait(lambda: dialog.problem.isVisible())
    assert "not enough cash in the drawer" in dialog.problem.text()
    ui.enter("40")
    ui.wait_no_modal()
    moves = ui.till.cash_movements()
    assert [(m.kind, m.amount) for m in moves] == [(CashMovementKind.OUT, 40_00)]
    assert ui.till.drawer_balance() == 60_00


def test_logging_out_keeps_the_cart_for_the_cashier(ui: Ui) -> None:
    open_shift(ui)
    ui.scan(MILK)
    ui.idle()
    ui.press(K.Key_L, Qt.KeyboardModifier.ControlModifier)
    ui.wait(lambda: ui.window.stack.currentWidget() is ui.window.login)
    ui.idle()
    login(ui)
    ui.wait(lambda: ui.window.sale.model.rowCount() == 1)
    assert ui.window.sale.totals.total.text() == "RON 7.99"


def test_wrong_pin_on_login_counts_down(ui: Ui) -> None:
    panel = ui.window.login.panel
    ui.wait(lambda: panel.users.count() == 2)
    ui.enter("0000")
    ui.wait(lambda: panel.problem.isVisible())
    assert panel.problem.text() == "Wrong PIN — 4 attempts left before the account locks."
    assert panel.pin.text() == "" and panel.pin.hasFocus()
    assert ui.window.stack.currentWidget() is ui.window.login
