from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.core.barcodes import (
    DEFAULT_LAYOUTS,
    ScaleValue,
    WeightedLayout,
    gtin_check_digit,
    is_valid_gtin,
    parse_weighted,
)
from desktop.core.errors import InvalidSettings, MalformedWeightedBarcode


def label(body12: str) -> str:
    return body12 + str(gtin_check_digit(body12))


@pytest.mark.parametrize("code", ["4006381333931", "96385074", "036000291452", "5901234123457"])
def test_known_gtins_are_valid(code: str) -> None:
    assert is_valid_gtin(code)


@pytest.mark.parametrize("code", ["4006381333932", "9638507", "ABCDEFGHIJKLM", "40063813339٣1"])
def test_bad_gtins_are_refused(code: str) -> None:
    assert not is_valid_gtin(code)


def test_weight_label_gives_kilograms() -> None:
    code = label("200012301234")
    w = parse_weighted(code, DEFAULT_LAYOUTS)
    assert w is not None
    assert (w.item, w.value, w.quantity, w.amount) == ("00123", ScaleValue.WEIGHT,
                                                       Decimal("1.234"), None)


def test_price_layout_is_configurable() -> None:
    layouts = (WeightedLayout(("22",), value=ScaleValue.PRICE),
               WeightedLayout(("2",), item_digits=6, value_digits=5))
    price = parse_weighted(label("220012301999"), layouts)
    assert price is not None and price.amount == 1999 and price.quantity is None
    six = parse_weighted(label("212345600500"), layouts)
    assert six is not None and six.item == "123456" and six.quantity == Decimal("0.5")


def test_codes_outside_the_layouts_are_not_scale_labels() -> None:
    assert parse_weighted("4820000000017", DEFAULT_LAYOUTS) is None
    assert parse_weighted(label("200012301234"), (WeightedLayout(("21",)),)) is None


def _bad_check(body12: str) -> str:
    return body12 + str((gtin_check_digit(body12) + 1) % 10)


@pytest.mark.parametrize("code", [
    _bad_check("200012301234"),   # wrong check digit
    "200012301234",               # 12 digits
    "20001230123456",             # 14 digits
    "20001230A2345",              # not digits
])
def test_malformed_scale_labels_are_refused(code: str) -> None:
    with pytest.raises(MalformedWeightedBarcode) as exc:
        parse_weighted(code, DEFAULT_LAYOUTS)
    assert exc.value.code == "TILL_MALFORMED_WEIGHTED_BARCODE"


def test_zero_weight_is_malformed() -> None:
    with pytest.raises(MalformedWeightedBarcode):
        parse_weighted(label("200012300000"), DEFAULT_LAYOUTS)


@pytest.mark.parametrize("kwargs", [
    {"prefixes": ()},
    {"prefixes": ("30",)},
    {"prefixes": ("20", "2")},
    {"prefixes": ("20",), "item_digits": 6},
    {"prefixes": ("2",), "item_digits": 2, "value_digits": 9},
])
def test_impossible_layouts_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidSettings):
        WeightedLayout(**kwargs)  # type: ignore[arg-type]


def test_layout_round_trips_through_a_dict() -> None:
    lay = WeightedLayout(("27", "28"), value=ScaleValue.PRICE)
    assert WeightedLayout.from_dict(lay.to_dict()) == lay
