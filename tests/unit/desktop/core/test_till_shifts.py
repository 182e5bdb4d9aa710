"""Shifts: float, cash in/out, X and Z totals, the 24-hour rule."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from till_fixtures import BREAD, CATALOG, MILK, SOCKS, VODKA, make_till

from desktop.core import CardDetails, CardTender, CashTender, Discount, Permission, Role, Till
from desktop.core.errors import (
    InsufficientCash,
    InvalidPayment,
    ShiftAlreadyOpen,
    ShiftClosed,
    ShiftError,
    ShiftExpired,
    ShiftNotFound,
)
from desktop.core.returns import ReturnItem
from desktop.core.users import Approval
from shared.clock import ManualClock

Approve = Callable[[Permission], Approval]


def test_one_shift_at_a_time_and_numbers_increase(till: Till) -> None:
    with pytest.raises(ShiftAlreadyOpen):
        till.open_shift()
    z = till.close_shift(100_000)
    assert z.kind.value == "Z" and z.cash_difference == 0
    with pytest.raises(ShiftClosed):
        till.new_cart()
    assert till.open_shift(0).number == 2


def test_cash_in_and_out_move_the_drawer(till: Till) -> None:
    till.cash_in(20_000, "change from bank")
    move = till.cash_out(50_000, "to safe")
    assert move.kind.value == "out" and move.approved_by is None
    assert till.drawer_balance() == 100_000 + 20_000 - 50_000
    with pytest.raises(InsufficientCash):
        till.cash_out(70_001)
    with pytest.raises(InvalidPayment):
        till.cash_in(0)
    assert [e.type for e in till.outbox_after(0)][-2:] == ["cash.deposited", "cash.withdrawn"]
    assert [m.amount for m in till.cash_movements()] == [20_000, 50_000]


def test_z_report_totals_per_group_payment_returns_discounts_rounding(
        till: Till, approve: Approve) -> None:
    c1 = till.scan(till.scan(till.new_cart().id, MILK, 2).id, BREAD)  # 85.98 + 29.50
    till.complete_sale(c1.id, [CashTender(20_000)])  # 115.48 → 115.50 cash, +2
    c2 = till.scan(till.new_cart().id, VODKA, age_verified=True)
    c2 = till.discount_line(c2.id, 1, Discount.percent(10))  # 189.90 − 18.99 = 170.91
    sale2 = till.complete_sale(c2.id, [CardTender(None, CardDetails(rrn="9"))])
    till.complete_return(sale2.number, [ReturnItem(1, 1)], [CardTender(None)],
                         approval=approve(Permission.RETURN))
    till.cash_in(5_000)
    x = till.x_report()
    t = x.totals
    assert (t.sales_count, t.returns_count) == (2, 1)
    assert (t.sales_total, t.returns_total) == (11_548 + 17_091, 17_091)
    assert t.sales_discounts == 1_899 and t.returns_discounts == 1_899
    assert (t.sales_rounding, t.returns_rounding) == (2, 0)
    groups = {(v.group, v.rate): v for v in t.sales_vat}
    assert set(groups) == {("reduced", Decimal(7)), ("standard", Decimal(20))}
    assert groups[("reduced", Decimal(7))].gross == 8_598
    assert groups[("standard", Decimal(20))].excise == 814  # 170.91 × 5/105
    assert sum(v.gross for v in t.sales_vat) == t.sales_total
    pays = {p.kind: p for p in t.payments}
    assert (pays["cash"].sales, pays["card"].sales, pays["card"].refunds) == (
        11_550, 17_091, 17_091)
    assert x.expected_cash == 100_000 + 11_550 + 5_000
    z = till.close_shift(116_000)
    assert z.cash_difference == -550 and z.counted_cash == 116_000
    stored = till.z_report()
    assert stored.to_payload() == {**z.to_payload(), "generated_at": stored.generated_at
                                   .isoformat()}
    assert till.outbox_after(0)[-1].payload["z_report"]["net_total"] == 11_548
    with pytest.raises(ShiftNotFound):
        till.z_report(99)


def test_shift_older_than_24h_blocks_sales_until_closed(till: Till, clock: ManualClock) -> None:
    cart = till.scan(till.new_cart().id, MILK)
    clock.advance(hours=24, seconds=1)
    with pytest.raises(ShiftExpired) as exc:
        till.scan(cart.id, BREAD)
    assert exc.value.code == "TILL_SHIFT_EXPIRED"
    with pytest.raises(ShiftExpired):
        till.complete_sale(cart.id, [CashTender(5000)])
    with pytest.raises(ShiftExpired):
        till.cash_in(100)
    assert till.x_report().totals.sales_count == 0  # reports still work
    till.close_shift(100_000)
    till.open_shift(100_000)
    assert till.complete_sale(cart.id, [CashTender(5000)]).number.endswith("-0002-0001")


def test_shift_limit_is_configurable_per_country(store_path: Path, clock: ManualClock) -> None:
    t = make_till(store_path, clock, "RO", shift_max_hours=None)
    t.import_catalog(CATALOG)
    t.create_user("m", "M", Role.STORE_MANAGER, "9999")
    t.login("m", "9999")
    t.open_shift()
    clock.advance(hours=40)
    receipt = t.complete_sale(t.scan(t.new_cart().id, SOCKS).id, [CashTender(1999)])
    assert receipt.rounding == 0 and receipt.currency == "RON"
    t.close()


def test_close_is_refused_while_a_cart_holds_payments(till: Till) -> None:
    cart = till.scan(till.new_cart().id, MILK)
    till.add_payment(cart.id, CardTender(1000))
    with pytest.raises(ShiftError):
        till.close_shift(0)
