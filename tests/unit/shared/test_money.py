from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.money import (
    CurrencyMismatch,
    InvalidAmount,
    Money,
    MoneyError,
    NegativeAmount,
    UnknownCurrency,
    allocate,
    format_money,
    parse_amount,
    round_half_up,
)


@pytest.mark.parametrize(
    ("text", "minor"),
    [("12.34", 1234), ("12,34", 1234), ("1 234,56", 123456), ("1.234,56", 123456),
     ("1,234.56", 123456), ("-0,5", -50), ("7", 700), ("0,07", 7), (" 3.1 ", 310)],
)
def test_parse_accepts_both_decimal_separators(text: str, minor: int) -> None:
    assert parse_amount(text, "RON") == minor


@pytest.mark.parametrize("bad", ["", "abc", "12.345", "1,2,3", "NaN", "inf", "12..3", "--1",
                                 "1.234", "１２", "٣"])
def test_parse_refuses_malformed(bad: str) -> None:
    with pytest.raises(InvalidAmount):
        parse_amount(bad, "UAH")


def test_parse_refuses_float_and_non_finite_decimal() -> None:
    with pytest.raises(InvalidAmount):
        parse_amount(12.34, "RON")  # type: ignore[arg-type]
    with pytest.raises(InvalidAmount):
        parse_amount(Decimal("NaN"), "RON")
    with pytest.raises(InvalidAmount):
        parse_amount(Decimal("1.001"), "RON")


def test_unknown_currency() -> None:
    with pytest.raises(UnknownCurrency):
        parse_amount("1", "XYZ")
    with pytest.raises(UnknownCurrency):
        Money(1, "USD")


def test_money_arithmetic_refuses_mixing_currencies() -> None:
    assert Money(150, "RON") + Money(50, "RON") == Money(200, "RON")
    with pytest.raises(CurrencyMismatch):
        _ = Money(1, "RON") + Money(1, "UAH")


def test_format_per_locale() -> None:
    assert format_money(123456, "RON", "ro") == "1.234,56 lei"
    assert format_money(123456, "UAH", "uk") == "1\u00a0234,56 грн"
    assert format_money(-5, "EUR", "en") == "EUR -0.05"
    with pytest.raises(MoneyError):
        format_money(1, "RON", "xx")


def test_round_half_up_is_away_from_zero() -> None:
    assert round_half_up(Decimal("2.5")) == 3
    assert round_half_up(Decimal("-2.5")) == -3
    assert round_half_up(Decimal("2.4999")) == 2


@given(st.integers(-10**12, 10**12), st.lists(st.integers(0, 10**6), min_size=1, max_size=50))
def test_allocation_never_loses_or_creates_a_unit(total: int, weights: list[int]) -> None:
    if sum(weights) == 0:
        with pytest.raises(InvalidAmount):
            allocate(total, weights)
        return
    parts = allocate(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)
    # each part is within one unit of its exact share
    wsum = sum(weights)
    for p, w in zip(parts, weights, strict=True):
        assert abs(p - total * w / wsum) < 1 + 1e-6


def test_allocation_refuses_negative_weights() -> None:
    with pytest.raises(NegativeAmount):
        allocate(100, [1, -1])


@given(st.integers(-10**15, 10**15))
def test_format_then_parse_round_trips(minor: int) -> None:
    for loc in ("ro", "uk", "en"):
        assert parse_amount(format_money(minor, "RON", loc, symbol=False), "RON") == minor


@pytest.mark.parametrize("huge", [Decimal("1E+999999"), Decimal("1e30"), "9" * 5000,
                                  "1" + "0" * 19])
def test_parse_refuses_amounts_past_int64_with_a_money_error(huge: object) -> None:
    with pytest.raises(InvalidAmount):
        parse_amount(huge, "RON")  # type: ignore[arg-type]
