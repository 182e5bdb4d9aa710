"""Hypothesis properties of cart totals (acceptance: sums, VAT breakdown, discounts, rounding)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.cart import Cart, CartLine, Discount
from desktop.core.payments import CardTender, CashTender, PaymentKind, apply_tender
from desktop.core.quantity import Unit

GROUPS = {"RO": ["standard", "reduced", "super_reduced", "zero", "exempt"],
          "UA": ["standard", "reduced", "agri", "zero", "exempt"]}


@st.composite
def discounts(draw: st.DrawFn, max_amount: int) -> Discount | None:
    kind = draw(st.sampled_from(["none", "percent", "amount"]))
    if kind == "percent":
        return Discount.percent(draw(st.decimals(min_value=Decimal("0.01"), max_value=100,
                                                 places=2)))
    if kind == "amount" and max_amount > 0:
        return Discount.amount(draw(st.integers(1, max_amount)))
    return None


@st.composite
def carts(draw: st.DrawFn) -> Cart:
    country = draw(st.sampled_from(["RO", "UA"]))
    at = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=draw(st.integers(0, 1200)))
    lines = []
    for no in range(1, draw(st.integers(1, 8)) + 1):
        unit = draw(st.sampled_from([Unit.PCS, Unit.KG]))
        qty = (Decimal(draw(st.integers(1, 20))) if unit is Unit.PCS
               else Decimal(draw(st.integers(1, 20_000))) / 1000)
        price = draw(st.integers(0, 500_000))
        base = int((price * qty).to_integral_value())
        lines.append(CartLine(
            line_no=no, sku=f"S{no}", name="x", unit=unit,
            vat_group=draw(st.sampled_from(GROUPS[country])), quantity=qty, list_price=price,
            unit_price=price, added_at=at, excise=draw(st.booleans()),
            discount=draw(discounts(max(0, base - 1))), voided=draw(st.booleans()) and no > 1))
    c = Cart(id="c", cashier_id="u", cashier_name="U", opened_at=at, country=country,
             currency="RON", priced_at=at, lines=tuple(lines),
             cash_step=10 if country == "UA" else 1)
    after = sum(p.final for p in c.priced)
    return c.with_discount(draw(discounts(after)), None) if after else c


@settings(max_examples=150, deadline=None)
@given(carts())
def test_sum_of_lines_is_the_total_and_vat_breakdown_adds_up(c: Cart) -> None:
    priced = c.priced
    assert c.total == sum(p.final for p in priced) == sum(p.tax.gross for p in priced)
    assert c.total == c.subtotal - c.discount_total
    assert c.tax.vat == sum(g.vat for g in c.tax.by_group.values()) \
        == sum(p.tax.vat for p in priced)
    assert c.tax.gross == sum(g.gross for g in c.tax.by_group.values())
    for p in priced:
        assert p.tax.gross == p.tax.net + p.tax.vat + p.tax.excise


@settings(max_examples=150, deadline=None)
@given(carts())
def test_discounts_never_make_a_line_negative(c: Cart) -> None:
    for p in c.priced:
        assert 0 <= p.line_discount <= p.base
        assert 0 <= p.receipt_discount <= p.base - p.line_discount
        assert p.final >= 0 and p.tax.vat >= 0 and p.tax.net >= 0


@settings(max_examples=150, deadline=None)
@given(carts(), st.integers(0, 3), st.data())
def test_cash_rounding_applies_only_to_cash(c: Cart, cards: int, data: st.DataObject) -> None:
    at = c.priced_at
    for i in range(cards):
        if c.due <= 1:
            break
        amount = data.draw(st.integers(1, c.due - 1))
        p = apply_tender(CardTender(amount), c.due, cash_step=c.cash_step, payment_id=f"k{i}",
                         at=at)
        c = c.with_payments((*c.payments, p))
    if c.due > 0:
        cash = apply_tender(CashTender(c.due + 10_000), c.due, cash_step=c.cash_step,
                            payment_id="cash", at=at)
        c = c.with_payments((*c.payments, cash))
    assert c.due == 0
    for p in c.payments:
        if p.kind is PaymentKind.CARD:
            assert p.rounding == 0 and p.change == 0
        else:
            assert abs(p.rounding) < max(c.cash_step, 1) and p.amount % c.cash_step == 0
    assert c.paid == c.total + c.rounding
