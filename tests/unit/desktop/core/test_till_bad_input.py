"""Acceptance: bad input is refused with a specific code and the store is left unchanged."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from till_fixtures import MILK

from desktop.core import CashTender, Permission, Till
from desktop.core.barcodes import gtin_check_digit
from desktop.core.errors import TillError
from desktop.core.returns import ReturnItem
from desktop.store import SqliteStorage


def _bad_label() -> str:
    body = "200012300500"
    return body + str((gtin_check_digit(body) + 3) % 10)


CASES: dict[str, tuple[str, Callable[[Till, dict[str, str]], object]]] = {
    "unknown barcode": ("TILL_UNKNOWN_BARCODE",
                        lambda t, c: t.scan(c["cart"], "4006381333931")),
    "malformed weighted barcode": ("TILL_MALFORMED_WEIGHTED_BARCODE",
                                   lambda t, c: t.scan(c["cart"], _bad_label())),
    "short weighted barcode": ("TILL_MALFORMED_WEIGHTED_BARCODE",
                               lambda t, c: t.scan(c["cart"], "2000123005")),
    "zero quantity": ("TILL_INVALID_QUANTITY", lambda t, c: t.scan(c["cart"], MILK, 0)),
    "negative quantity": ("TILL_INVALID_QUANTITY", lambda t, c: t.scan(c["cart"], MILK, -2)),
    "negative new quantity": ("TILL_INVALID_QUANTITY",
                              lambda t, c: t.set_quantity(c["cart"], 1, "-1")),
    "payment less than total": ("TILL_INSUFFICIENT_PAYMENT",
                                lambda t, c: t.complete_sale(c["cart"], [CashTender(100)])),
    "return more than sold": ("TILL_RETURN_EXCEEDS_SALE", lambda t, c: t.complete_return(
        c["receipt"], [ReturnItem(1, 3)], approval=t.authorize("olena", "9999",
                                                               Permission.RETURN))),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_with_code_and_store_unchanged(till: Till, case: str) -> None:
    code, action = CASES[case]
    sold = till.complete_sale(till.scan(till.new_cart().id, MILK, 2).id, [CashTender(10_000)])
    cart = till.scan(till.new_cart().id, MILK)
    ctx = {"cart": cart.id, "receipt": sold.number}
    storage = till.storage
    assert isinstance(storage, SqliteStorage)
    before = storage.fingerprint()
    with pytest.raises(TillError) as exc:
        action(till, ctx)
    assert exc.value.code == code
    assert storage.fingerprint() == before
    assert till.cart(cart.id) == cart


@pytest.mark.parametrize(("closing", "code"), [("close", "TILL_SHIFT_CLOSED"),
                                               ("expire", "TILL_SHIFT_EXPIRED")])
def test_closed_and_expired_shift_refuse_sales_unchanged(till: Till, clock: object,
                                                         closing: str, code: str) -> None:
    cart = till.scan(till.new_cart().id, MILK)
    if closing == "close":
        till.complete_sale(cart.id, [CashTender(5000)])
        cart = None
        till.close_shift(till.drawer_balance())
    else:
        clock.advance(hours=25)  # type: ignore[attr-defined]
    storage = till.storage
    assert isinstance(storage, SqliteStorage)
    before = storage.fingerprint()
    for action in ((lambda: till.new_cart()) if cart is None else
                   (lambda: till.complete_sale(cart.id, [CashTender(5000)])),
                   lambda: till.cash_in(100)):
        with pytest.raises(TillError) as exc:
            action()
        assert exc.value.code == code
    assert storage.fingerprint() == before
