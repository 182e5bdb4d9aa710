"""Cart pricing rules: VAT at the sale's timestamp, discounts, excise, totals (pure)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from desktop.core.cart import Cart, CartLine, Discount
from desktop.core.errors import InvalidDiscount, LineNotFound
from desktop.core.payments import CashTender, apply_tender
from desktop.core.quantity import Unit

T = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def line(no: int, price: int, qty: str = "1", group: str = "standard", *, unit: Unit = Unit.PCS,
         excise: bool = False, discount: Discount | None = None, voided: bool = False,
         fixed: int | None = None) -> CartLine:
    return CartLine(line_no=no, sku=f"S{no}", name=f"item {no}", unit=unit, vat_group=group,
                    quantity=Decimal(qty), list_price=price, unit_price=price, added_at=T,
                    excise=excise, discount=discount, voided=voided, fixed_gross=fixed)


def cart(*lines: CartLine, country: str = "RO", at: datetime = T,
         discount: Discount | None = None) -> Cart:
    return Cart(id="c", cashier_id="u", cashier_name="U", opened_at=at, country=country,
                currency="RON" if country == "RO" else "UAH", priced_at=at, lines=lines,
                discount=discount, cash_step=10 if country == "UA" else 1)


def test_vat_uses_the_table_valid_at_the_sale_timestamp() -> None:
    items = (line(1, 11900), line(2, 10900, group="reduced"))
    before = cart(*items, at=datetime(2025, 7, 31, 20, 0, tzinfo=UTC))
    after = cart(*items, at=datetime(2025, 8, 1, 6, 0, tzinfo=UTC))
    assert [p.tax.vat_rate for p in before.priced] == [Decimal(19), Decimal(9)]
    assert [p.tax.vat for p in before.priced] == [1900, 900]
    assert [p.tax.vat_rate for p in after.priced] == [Decimal(21), Decimal(11)]
    assert [p.tax.vat for p in after.priced] == [2065, 1080]


def test_weighted_quantity_rounds_the_line_half_up() -> None:
    c = cart(line(1, 32050, "0.756", unit=Unit.KG))
    assert c.total == 24230  # 320.50 × 0.756 = 242.298 → 242.30


def test_price_label_line_is_exactly_the_printed_amount() -> None:
    c = cart(line(1, 25000, "0.757", unit=Unit.KG, fixed=18925))
    assert c.total == 18925 and c.priced[0].base == 18925


def test_line_discounts_percent_and_amount() -> None:
    c = cart(line(1, 1999, discount=Discount.percent(10)), line(2, 1000, "3",
                                                             discount=Discount.amount(500)))
    assert [p.line_discount for p in c.priced] == [200, 500]
    assert (c.subtotal, c.discount_total, c.total) == (4999, 700, 4299)


def test_receipt_discount_is_allocated_by_amount_and_adds_up() -> None:
    c = cart(line(1, 1000), line(2, 2000), line(3, 333), discount=Discount.amount(100))
    shares = [p.receipt_discount for p in c.priced]
    assert sum(shares) == 100 and shares == [30, 60, 10]
    assert c.total == 3333 - 100 == sum(p.final for p in c.priced)


def test_a_discount_larger_than_the_amount_is_refused() -> None:
    with pytest.raises(InvalidDiscount):
        _ = cart(line(1, 500, discount=Discount.amount(600))).priced
    with pytest.raises(InvalidDiscount):
        _ = cart(line(1, 500), discount=Discount.amount(501)).priced


@pytest.mark.parametrize(("kind", "value"), [("percent", 0), ("percent", 101), ("amount", 0),
                                             ("amount", "1.5"), ("percent", "NaN")])
def test_malformed_discounts(kind: str, value: object) -> None:
    with pytest.raises(InvalidDiscount):
        Discount.percent(value) if kind == "percent" else Discount.amount(value)  # type: ignore[arg-type]


def test_hundred_percent_discount_makes_a_zero_line() -> None:
    c = cart(line(1, 1999, discount=Discount.percent(100)), line(2, 100))
    assert [p.final for p in c.priced] == [0, 100]
    assert c.priced[0].tax.vat == 0


def test_ukrainian_excise_is_its_own_amount_and_romanian_excise_is_in_the_price() -> None:
    ua = cart(line(1, 18990, excise=True), country="UA")
    assert (ua.tax.excise, ua.tax.vat, ua.tax.net) == (904, 3014, 15072)
    ro = cart(line(1, 18990, excise=True), country="RO")
    assert ro.tax.excise == 0 and ro.priced[0].tax.excise_rate == 0


def test_voided_lines_are_kept_but_not_priced() -> None:
    c = cart(line(1, 1000), line(2, 500, voided=True))
    assert c.total == 1000 and len(c.lines) == 2 and len(c.priced) == 1
    with pytest.raises(LineNotFound):
        c.line(2)
    assert c.next_line_no == 3


def test_vat_breakdown_per_group() -> None:
    c = cart(line(1, 12100), line(2, 11100, group="reduced"), line(3, 500, group="standard"))
    groups = c.tax.by_group
    assert set(groups) == {"standard", "reduced"}
    assert groups["standard"].gross == 12600 and groups["reduced"].vat == 1100
    assert c.tax.vat == sum(g.vat for g in groups.values())


def test_payments_drive_due_paid_change_and_rounding() -> None:
    c = cart(line(1, 1234), country="UA")
    p = apply_tender(CashTender(2000), c.due, cash_step=10, payment_id="p", at=T)
    paid = c.with_payments([p])
    assert (paid.total, paid.rounding, paid.payable, paid.paid, paid.change, paid.due) == (
        1234, -4, 1230, 1230, 770, 0)
