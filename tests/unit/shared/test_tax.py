from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.tax import (
    VAT_TABLES,
    InvalidQuantity,
    NoTableForDate,
    PriceBasis,
    TaxError,
    UnknownCountry,
    UnknownRate,
    compute_line,
    compute_receipt,
    rate_for,
    vat_from_gross,
    vat_from_net,
)

ALL_RATES = sorted({r for tables in VAT_TABLES.values() for t in tables for r in t.rates.values()})


def test_romania_switches_to_21_on_2025_08_01() -> None:
    assert rate_for("RO", "standard", date(2025, 7, 31)) == Decimal(19)
    assert rate_for("RO", "standard", date(2025, 8, 1)) == Decimal(21)
    assert rate_for("RO", "reduced", date(2025, 7, 31)) == Decimal(9)
    assert rate_for("RO", "reduced", date(2025, 8, 1)) == Decimal(11)
    assert rate_for("RO", "super_reduced", date(2025, 7, 31)) == Decimal(5)


def test_timestamp_is_judged_in_utc() -> None:
    # 2025-08-01 01:30 in Bucharest (UTC+3) is still 2025-07-31 in UTC.
    bucharest = timezone(timedelta(hours=3))
    assert rate_for("RO", "standard", datetime(2025, 8, 1, 1, 30, tzinfo=bucharest)) == 19
    assert rate_for("RO", "standard", datetime(2025, 8, 1, 0, 0, tzinfo=UTC)) == 21
    with pytest.raises(TaxError):
        rate_for("RO", "standard", datetime(2025, 8, 1))


def test_ukraine_rates_and_agri_group_from_2021() -> None:
    day = date(2026, 1, 1)
    groups = ("standard", "reduced", "agri", "zero")
    assert [rate_for("UA", g, day) for g in groups] == [20, 7, 14, 0]
    with pytest.raises(UnknownRate):
        rate_for("UA", "agri", date(2020, 6, 1))


def test_housing_rate_expires() -> None:
    assert rate_for("RO", "housing", date(2026, 7, 31)) == 9
    with pytest.raises(UnknownRate):
        rate_for("RO", "housing", date(2026, 8, 1))


def test_unknown_inputs_raise_specific_errors() -> None:
    with pytest.raises(UnknownCountry):
        rate_for("XX", "standard", date(2026, 1, 1))
    with pytest.raises(NoTableForDate):
        rate_for("RO", "standard", date(2000, 1, 1))
    with pytest.raises(UnknownRate):
        rate_for("RO", "luxury", date(2026, 1, 1))
    day = date(2026, 1, 1)
    for bad_qty in (0, -1, "NaN", "abc", Decimal("Infinity"), 1.5):
        with pytest.raises(InvalidQuantity):
            compute_line(100, bad_qty, country="RO", vat_group="standard", at=day)  # type: ignore[arg-type]
    with pytest.raises(InvalidQuantity):
        compute_line(-100, 1, country="RO", vat_group="standard", at=day)
    with pytest.raises(UnknownRate):
        vat_from_gross(100, "NaN")


def test_line_from_gross_and_net() -> None:
    day = date(2026, 1, 1)
    line = compute_line(1000, 3, country="RO", vat_group="standard", at=day)
    assert (line.gross, line.net, line.vat) == (3000, 2479, 521)
    net_line = compute_line(2479, 1, country="RO", vat_group="standard", at=day,
                            basis=PriceBasis.NET)
    assert (net_line.gross, net_line.vat) == (3000, 521)


def test_weighted_quantity_rounds_once_per_line() -> None:
    # 0.347 kg at 10.00 UAH/kg = 3.47 UAH
    line = compute_line(1000, "0.347", country="UA", vat_group="standard", at=date(2026, 1, 1))
    assert line.gross == 347 and line.vat == 58 and line.net == 289


def test_excise_is_its_own_line_tax_on_price_including_vat() -> None:
    line = compute_line(5000, 1, country="UA", vat_group="standard", at=date(2026, 1, 1),
                        excise=True)
    # excise = 50.00 × 5/105 = 2.38; VAT on the remaining 47.62 = 47.62 × 20/120 = 7.94
    assert (line.excise, line.vat, line.net) == (238, 794, 3968)
    assert line.gross == line.net + line.vat + line.excise
    with pytest.raises(UnknownRate):
        compute_line(5000, 1, country="RO", vat_group="standard", at=date(2026, 1, 1),
                     excise=True)


def test_return_lines_mirror_sales() -> None:
    day = date(2026, 1, 1)
    sale = compute_line(1999, 2, country="RO", vat_group="reduced", at=day)
    ret = compute_line(1999, -2, country="RO", vat_group="reduced", at=day, allow_negative=True)
    assert (ret.gross, ret.net, ret.vat) == (-sale.gross, -sale.net, -sale.vat)


@given(st.integers(0, 10**10), st.sampled_from(ALL_RATES))
def test_net_to_gross_to_net_round_trips_exactly(net: int, rate: Decimal) -> None:
    gross = net + vat_from_net(net, rate)
    assert gross - vat_from_gross(gross, rate) == net


@given(st.integers(0, 10**10), st.sampled_from(ALL_RATES))
def test_gross_to_net_to_gross_agrees_to_the_unit(gross: int, rate: Decimal) -> None:
    net = gross - vat_from_gross(gross, rate)
    assert abs(net + vat_from_net(net, rate) - gross) <= 1


@given(st.lists(st.tuples(st.integers(1, 10**6), st.integers(1, 50),
                          st.sampled_from(["standard", "reduced", "zero"])),
                min_size=1, max_size=30))
def test_receipt_breakdown_sums_to_totals(lines: list[tuple[int, int, str]]) -> None:
    day = date(2026, 3, 1)
    taxes = [compute_line(p, q, country="RO", vat_group=g, at=day) for p, q, g in lines]
    receipt = compute_receipt(taxes)
    assert receipt.gross == sum(t.gross for t in taxes)
    assert receipt.vat == sum(g.vat for g in receipt.by_group.values())
    assert receipt.gross == receipt.net + receipt.vat + receipt.excise
