"""Selling through the façade: scanning, cart edits with approvals, payment and completion."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from till_fixtures import BREAD, MILK, OLD_ITEM, SOCKS, VODKA, make_till

from desktop.core import (
    CardDetails,
    CardTender,
    CashTender,
    Discount,
    Permission,
    ReceiptKind,
    Till,
)
from desktop.core.barcodes import gtin_check_digit
from desktop.core.errors import (
    AgeVerificationRequired,
    CartHasPayments,
    CartNotFound,
    InsufficientPayment,
    InvalidQuantity,
    NotLoggedIn,
    PermissionDenied,
    ProductInactive,
    UnknownBarcode,
)
from desktop.core.users import Approval
from shared.clock import ManualClock

Approve = Callable[[Permission], Approval]


def scale(body12: str) -> str:
    return body12 + str(gtin_check_digit(body12))


def test_scan_adds_lines_priced_with_ukrainian_vat(till: Till) -> None:
    cart = till.new_cart()
    cart = till.scan(cart.id, MILK, 2)
    cart = till.scan(cart.id, BREAD)
    assert [(ln.sku, ln.quantity) for ln in cart.lines] == [("MILK", 2), ("BREAD", 1)]
    assert cart.total == 2 * 4299 + 2950
    assert {g: t.vat_rate for g, t in cart.tax.by_group.items()} == {
        "reduced": Decimal(7), "standard": Decimal(20)}


def test_store_assigned_code_in_the_scale_range_resolves_exactly(till: Till) -> None:
    cart = till.scan(till.new_cart().id, "2900000000001")
    assert cart.lines[0].sku == "BREAD"


def test_weight_label_adds_the_weight_of_the_plu_product(till: Till) -> None:
    cart = till.scan(till.new_cart().id, scale("200012300756"))
    ln = cart.lines[0]
    assert (ln.sku, ln.quantity, ln.barcode) == ("CHEESE", Decimal("0.756"), scale("200012300756"))
    assert cart.total == 24230


def test_price_label_layout_charges_the_printed_price(store_path: Path,
                                                      clock: ManualClock) -> None:
    from till_fixtures import CATALOG

    from desktop.core import Role, ScaleValue, WeightedLayout

    t = make_till(store_path, clock, weighted_layouts=(
        WeightedLayout(("20", "21")), WeightedLayout(("22",), value=ScaleValue.PRICE)))
    t.import_catalog(CATALOG)
    t.create_user("m", "M", Role.STORE_MANAGER, "9999")
    t.login("m", "9999")
    t.open_shift()
    cart = t.scan(t.new_cart().id, scale("220012418930"))
    ln = cart.lines[0]
    assert (ln.sku, ln.quantity, ln.unit_price, ln.fixed_gross) == ("MEAT", 1, 18930, 18930)
    assert cart.total == 18930 and ln.unit.value == "pcs"  # one package, price × qty exact
    with pytest.raises(InvalidQuantity):
        t.scan(cart.id, scale("220012418930"), 2)
    t.close()


def test_weighted_product_by_sku_needs_a_quantity(till: Till) -> None:
    cart = till.new_cart()
    with pytest.raises(InvalidQuantity):
        till.add_product(cart.id, "CHEESE")
    cart = till.add_product(cart.id, "CABLE", "2.5")
    assert cart.total == 998  # 3.99 × 2.5 = 9.975 → 9.98 (half up)


def test_age_restricted_needs_confirmation_and_inactive_is_refused(till: Till) -> None:
    cart = till.new_cart()
    with pytest.raises(AgeVerificationRequired):
        till.scan(cart.id, VODKA)
    assert till.scan(cart.id, VODKA, age_verified=True).lines[0].excise
    with pytest.raises(ProductInactive):
        till.scan(cart.id, OLD_ITEM)
    with pytest.raises(UnknownBarcode):
        till.scan(cart.id, "0000000000000")


def test_complete_sale_numbers_receipt_and_journals_it(till: Till) -> None:
    cart = till.scan(till.new_cart().id, MILK)
    receipt = till.complete_sale(cart.id, [CashTender(5000)])
    assert receipt.number == "S1-T2-0001-0001" and receipt.kind is ReceiptKind.SALE
    assert (receipt.total, receipt.rounding, receipt.paid, receipt.change) == (4299, 1, 4300, 700)
    assert receipt.cashier_name == "Ana Cashier" and receipt.lines[0].vat_rate == Decimal(7)
    event = till.outbox_after(0)[-1]
    assert event.type == "sale.completed" and event.aggregate_id == receipt.id
    assert event.payload["receipt"]["number"] == receipt.number
    assert event.payload["receipt"]["rounding"] == 1
    assert till.receipt(receipt.id) == receipt
    assert till.receipt_by_number("s1-t2-1-1") == receipt
    with pytest.raises(CartNotFound):
        till.cart(cart.id)
    second = till.complete_sale(till.scan(till.new_cart().id, BREAD).id, [CashTender(3000)])
    assert second.number == "S1-T2-0001-0002"


def test_card_payment_is_not_rounded_and_keeps_terminal_reference(till: Till) -> None:
    cart = till.scan(till.new_cart().id, MILK)
    card = CardDetails(rrn="412345678901", auth_code="654321", masked_pan="5168****1234")
    receipt = till.complete_sale(cart.id, [CardTender(None, card)])
    assert receipt.rounding == 0 and receipt.paid == 4299
    assert receipt.payments[0].card == card


def test_mixed_payment_rounds_only_the_cash_part(till: Till) -> None:
    cart = till.scan(till.new_cart().id, MILK, 3)  # 128.97
    cart = till.add_payment(cart.id, CardTender(10_000, CardDetails(rrn="1")))
    assert cart.due == 2897
    receipt = till.complete_sale(cart.id, [CashTender(3000)])
    assert [(p.kind.value, p.amount, p.rounding) for p in receipt.payments] == [
        ("card", 10_000, 0), ("cash", 2900, 3)]
    assert receipt.paid == receipt.total + receipt.rounding == 12_900


def test_insufficient_payment_leaves_the_cart_open_and_unpaid(till: Till) -> None:
    cart = till.scan(till.new_cart().id, MILK)
    with pytest.raises(InsufficientPayment) as exc:
        till.complete_sale(cart.id, [CashTender(1000)])
    assert exc.value.code == "TILL_INSUFFICIENT_PAYMENT"
    assert till.cart(cart.id).payments == () and till.cart(cart.id).due == 4299


def test_lines_cannot_change_once_payments_exist(till: Till) -> None:
    cart = till.scan(till.new_cart().id, MILK)
    cart = till.add_payment(cart.id, CardTender(1000))
    with pytest.raises(CartHasPayments):
        till.scan(cart.id, BREAD)
    cart = till.remove_payment(cart.id, cart.payments[0].id)
    assert till.scan(cart.id, BREAD).total == 4299 + 2950


def test_void_needs_a_manager_and_is_journalled(till: Till, approve: Approve) -> None:
    cart = till.scan(till.scan(till.new_cart().id, MILK).id, BREAD)
    with pytest.raises(PermissionDenied):
        till.void_line(cart.id, 1)
    cart = till.void_line(cart.id, 1, approval=approve(Permission.VOID_LINE), reason="wrong")
    assert cart.total == 2950 and cart.lines[0].voided
    event = till.outbox_after(0)[-1]
    assert event.type == "line.voided"
    assert event.payload["approved_by"] != event.payload["user_id"]
    receipt = till.complete_sale(cart.id, [CashTender(5000)])
    assert [ln.sku for ln in receipt.lines] == ["BREAD"] and receipt.voided_lines == 1


def test_lowering_a_quantity_is_a_partial_void(till: Till, approve: Approve) -> None:
    cart = till.scan(till.new_cart().id, MILK, 3)
    assert till.set_quantity(cart.id, 1, 4).total == 4 * 4299  # raising is free
    with pytest.raises(PermissionDenied):
        till.set_quantity(cart.id, 1, 1)
    cart = till.set_quantity(cart.id, 1, 1, approval=approve(Permission.VOID_LINE))
    assert cart.total == 4299 and till.outbox_after(0)[-1].payload["partial"] is True


def test_price_override_needs_a_manager(till: Till, approve: Approve) -> None:
    cart = till.scan(till.new_cart().id, SOCKS)
    with pytest.raises(PermissionDenied):
        till.override_price(cart.id, 1, 1500)
    cart = till.override_price(cart.id, 1, 1500, approval=approve(Permission.PRICE_OVERRIDE))
    assert cart.total == 1500 and cart.lines[0].list_price == 1999
    receipt = till.complete_sale(cart.id, [CashTender(1500)])
    assert receipt.lines[0].price_override_by is not None
    assert [e.type for e in till.outbox_after(0)][-2:] == ["price.overridden", "sale.completed"]


def test_approvals_are_single_use_and_tied_to_one_permission(till: Till, approve: Approve,
                                                             clock: ManualClock) -> None:
    cart = till.scan(till.scan(till.scan(till.new_cart().id, MILK).id, BREAD).id, SOCKS)
    ok = approve(Permission.VOID_LINE)
    till.void_line(cart.id, 1, approval=ok)
    with pytest.raises(PermissionDenied):
        till.void_line(cart.id, 2, approval=ok)  # used
    with pytest.raises(PermissionDenied):
        till.void_line(cart.id, 2, approval=approve(Permission.RETURN))  # other permission
    forged = Approval(ok.user_id, ok.user_name, Permission.VOID_LINE, ok.at, "made-up")
    with pytest.raises(PermissionDenied):
        till.void_line(cart.id, 2, approval=forged)
    late = approve(Permission.VOID_LINE)
    clock.advance(minutes=3)
    with pytest.raises(PermissionDenied):
        till.void_line(cart.id, 2, approval=late)
    with pytest.raises(PermissionDenied):
        till.authorize("ana", "1234", Permission.VOID_LINE)  # a cashier cannot approve


def test_discounts_within_the_cashier_limit_need_no_approval(till: Till,
                                                             approve: Approve) -> None:
    cart = till.scan(till.new_cart().id, SOCKS, 2)  # 39.98
    cart = till.discount_line(cart.id, 1, Discount.percent(10))
    assert cart.total == 3598
    with pytest.raises(PermissionDenied):
        till.discount_cart(cart.id, Discount.percent(50))
    cart = till.discount_cart(cart.id, Discount.amount(1000),
                              approval=approve(Permission.DISCOUNT_OVER_LIMIT))
    assert cart.total == 2598 and cart.discount_total == 400 + 1000
    receipt = till.complete_sale(cart.id, [CashTender(2600)])
    assert receipt.discount_total == 1400 and receipt.receipt_discount == "amount:1000"
    assert receipt.lines[0].receipt_discount == 1000 and receipt.lines[0].discount_by is None


def test_cancelling_a_cart_with_lines_needs_a_manager(till: Till, approve: Approve) -> None:
    empty = till.new_cart()
    till.cancel_cart(empty.id)  # nothing to approve, nothing journalled
    cart = till.scan(till.new_cart().id, MILK)
    with pytest.raises(PermissionDenied):
        till.cancel_cart(cart.id)
    till.cancel_cart(cart.id, approval=approve(Permission.CANCEL_SALE), reason="customer left")
    assert till.open_carts() == [] and till.outbox_after(0)[-1].type == "sale.cancelled"
    assert till.x_report().totals.cancelled_sales == 1


def test_open_carts_survive_a_restart(till: Till, store_path: Path, clock: ManualClock) -> None:
    cart = till.scan(till.new_cart().id, MILK, 2)
    cart = till.discount_cart(cart.id, Discount.percent(5))
    cart = till.add_payment(cart.id, CardTender(1000, CardDetails(rrn="77")))
    till.close()
    again = make_till(store_path, clock)
    restored = again.open_carts()
    assert [c.id for c in restored] == [cart.id]
    assert restored[0].total == cart.total and restored[0].payments == cart.payments
    again.login("ana", "1234")
    receipt = again.complete_sale(cart.id, [CashTender(10_000)])
    assert receipt.paid == receipt.total + receipt.rounding
    again.close()


def test_selling_needs_a_login(bare_till: Till) -> None:
    with pytest.raises(NotLoggedIn) as exc:
        bare_till.new_cart()
    assert exc.value.code == "TILL_NOT_LOGGED_IN" and exc.value.status == 401
