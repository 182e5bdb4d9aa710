from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.core.errors import InvalidQuantity
from desktop.core.quantity import Unit, from_milli, parse_quantity, to_milli


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (2, Unit.PCS, Decimal(2)), ("3", Unit.PCS, Decimal(3)), (Decimal("2.000"), Unit.PCS, 2),
    ("0,756", Unit.KG, Decimal("0.756")), (Decimal("1.5"), Unit.L, Decimal("1.500")),
    ("12", Unit.M, Decimal("12.000")),
])
def test_valid_quantities(value: object, unit: Unit, expected: Decimal) -> None:
    assert parse_quantity(value, unit) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "unit"), [
    (0, Unit.PCS), (-1, Unit.PCS), ("-0.5", Unit.KG), ("1.5", Unit.PCS), ("0.0001", Unit.KG),
    (1.5, Unit.KG), ("abc", Unit.PCS), ("NaN", Unit.KG), ("Infinity", Unit.KG),
    ("100000", Unit.PCS), (True, Unit.PCS),
])
def test_invalid_quantities(value: object, unit: Unit) -> None:
    with pytest.raises(InvalidQuantity) as exc:
        parse_quantity(value, unit)  # type: ignore[arg-type]
    assert exc.value.code == "TILL_INVALID_QUANTITY"


@pytest.mark.parametrize("q", ["1", "0.001", "1.25", "99999", "12.345"])
def test_milli_round_trip(q: str) -> None:
    assert from_milli(to_milli(Decimal(q))) == Decimal(q)
