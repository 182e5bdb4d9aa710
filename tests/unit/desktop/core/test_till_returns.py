"""Returns by receipt number: partial quantities, limits, refund types, exact remainders."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from till_fixtures import BREAD, MILK, SOCKS

from desktop.core import CardDetails, CardTender, CashTender, Discount, Permission, Till
from desktop.core.barcodes import gtin_check_digit
from desktop.core.errors import (
    InsufficientCash,
    InvalidQuantity,
    InvalidRefund,
    LineNotFound,
    PermissionDenied,
    ReceiptNotFound,
    ReturnExceedsSale,
)
from desktop.core.receipt import Receipt, ReceiptKind
from desktop.core.returns import ReturnItem
from desktop.core.users import Approval

Approve = Callable[[Permission], Approval]


def sale(till: Till, *scans: tuple[str, object], tenders: list[object] | None = None,
         discount: Discount | None = None) -> Receipt:
    cart = till.new_cart()
    for code, qty in scans:
        cart = till.scan(cart.id, code, qty)  # type: ignore[arg-type]
    if discount:
        cart = till.discount_cart(cart.id, discount)
    return till.complete_sale(cart.id, tenders or [CashTender(10**7)])  # type: ignore[arg-type]


def test_partial_returns_never_exceed_what_was_sold(till: Till, approve: Approve) -> None:
    original = sale(till, (MILK, 3), (BREAD, 1))
    r1 = till.complete_return(original.number, [ReturnItem(1, 2)],
                              approval=approve(Permission.RETURN))
    assert r1.kind is ReceiptKind.RETURN and r1.original_number == original.number
    assert r1.number == "S1-T2-0001-0002" and r1.lines[0].quantity == 2
    assert r1.total == 8598 and r1.payments[0].kind.value == "cash"
    left = till.returnable(original.number)
    assert [rl.remaining for rl in left.lines] == [Decimal(1), Decimal(1)]
    with pytest.raises(ReturnExceedsSale) as exc:
        till.complete_return(original.number, [ReturnItem(1, 2)],
                             approval=approve(Permission.RETURN))
    assert exc.value.code == "TILL_RETURN_EXCEEDS_SALE"
    till.complete_return(original.number, [ReturnItem(1, 1), ReturnItem(2, 1)],
                         approval=approve(Permission.RETURN))
    assert till.returnable(original.number).fully_returned
    event = till.outbox_after(0)[-1]
    assert event.type == "return.completed"
    assert event.payload["receipt"]["original_number"] == original.number


def test_all_returns_of_a_line_add_up_to_the_line_exactly(till: Till, approve: Approve) -> None:
    label = "200012300997"
    label += str(gtin_check_digit(label))
    original = sale(till, (label, None), (SOCKS, 3), discount=Discount.amount(777))
    returned = []
    for item in ([ReturnItem(1, "0.333")], [ReturnItem(2, 1), ReturnItem(1, "0.333")],
                 [ReturnItem(2, 2), ReturnItem(1, "0.331")]):
        returned.append(till.complete_return(original.number, item,
                                             approval=approve(Permission.RETURN)))
    for src in original.lines:
        parts = [ln for r in returned for ln in r.lines if ln.original_line_no == src.line_no]
        for attr in ("gross", "net", "vat", "excise", "base", "line_discount",
                     "receipt_discount"):
            assert sum(getattr(p, attr) for p in parts) == getattr(src, attr), attr
        assert sum(p.quantity for p in parts) == src.quantity
        for p in parts:
            assert p.gross == p.base - p.line_discount - p.receipt_discount >= 0
            assert p.gross == p.net + p.vat + p.excise


def test_returns_need_a_manager(till: Till) -> None:
    original = sale(till, (MILK, 1))
    with pytest.raises(PermissionDenied):
        till.complete_return(original.number, [ReturnItem(1, 1)])


def test_refund_by_card_only_when_and_as_much_as_the_card_paid(till: Till,
                                                               approve: Approve) -> None:
    cash_sale = sale(till, (MILK, 1))
    with pytest.raises(InvalidRefund):
        till.complete_return(cash_sale.number, [ReturnItem(1, 1)], [CardTender(None)],
                             approval=approve(Permission.RETURN))
    mixed = sale(till, (SOCKS, 2), tenders=[CardTender(2000, CardDetails(rrn="5")),
                                            CashTender(2000)])
    with pytest.raises(InvalidRefund):  # the card paid 20.00 only
        till.complete_return(mixed.number, [ReturnItem(1, 2)], [CardTender(None)],
                             approval=approve(Permission.RETURN))
    ret = till.complete_return(mixed.number, [ReturnItem(1, 2)],
                               [CardTender(2000, CardDetails(rrn="6")), CashTender(2000)],
                               approval=approve(Permission.RETURN))
    assert [(p.kind.value, p.amount, p.rounding) for p in ret.payments] == [
        ("card", 2000, 0), ("cash", 2000, 2)]
    assert till.returnable(mixed.number).refundable == {"card": 0, "cash": 0}


def test_refunds_must_match_the_return_total(till: Till, approve: Approve) -> None:
    original = sale(till, (MILK, 2))
    for refunds in ([CashTender(1000)], [CashTender(9000)]):
        with pytest.raises(InvalidRefund):
            till.complete_return(original.number, [ReturnItem(1, 1)], refunds,
                                 approval=approve(Permission.RETURN))


def test_cash_refund_needs_cash_in_the_drawer(till: Till, approve: Approve) -> None:
    original = sale(till, (MILK, 1))
    till.cash_out(till.drawer_balance())
    with pytest.raises(InsufficientCash):
        till.complete_return(original.number, [ReturnItem(1, 1)],
                             approval=approve(Permission.RETURN))


def test_bad_return_requests(till: Till, approve: Approve) -> None:
    original = sale(till, (MILK, 2))
    with pytest.raises(ReceiptNotFound):
        till.returnable("S1-T2-0009-0009")
    with pytest.raises(LineNotFound):
        till.complete_return(original.number, [ReturnItem(7, 1)],
                             approval=approve(Permission.RETURN))
    for bad in ([ReturnItem(1, 0)], [ReturnItem(1, "0.5")], [ReturnItem(1, 1), ReturnItem(1, 1)]):
        with pytest.raises(InvalidQuantity):
            till.complete_return(original.number, bad, approval=approve(Permission.RETURN))
    ret = till.complete_return(original.number, [ReturnItem(1, 1)],
                               approval=approve(Permission.RETURN))
    with pytest.raises(ReceiptNotFound):  # a return is not returnable
        till.returnable(ret.number)


def test_returning_a_free_item_refunds_nothing(till: Till, approve: Approve) -> None:
    cart = till.scan(till.scan(till.new_cart().id, SOCKS).id, MILK)
    cart = till.discount_line(cart.id, 1, Discount.percent(100),
                              approval=approve(Permission.DISCOUNT_OVER_LIMIT))
    original = till.complete_sale(cart.id, [CashTender(10_000)])
    ret = till.complete_return(original.number, [ReturnItem(1, 1)],
                               approval=approve(Permission.RETURN))
    assert (ret.total, ret.paid, ret.payments) == (0, 0, ())
    assert till.doctor().ok
