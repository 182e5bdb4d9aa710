"""GTIN check digits and scale (weighted/priced) EAN-13 labels with a configurable layout.

Shop scales print in-store EAN-13 codes in the GS1 restricted range 20–29:
``PP IIIII VVVVV C`` = prefix, item code (the product's PLU), weight in grams or price in
minor units, check digit. Shops differ in prefix use and field widths, so each layout is data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from desktop.core.errors import InvalidSettings, MalformedWeightedBarcode

__all__ = [
    "DEFAULT_LAYOUTS",
    "ScaleValue",
    "WeightedCode",
    "WeightedLayout",
    "gtin_check_digit",
    "is_valid_gtin",
    "parse_weighted",
]


def gtin_check_digit(body: str) -> int:
    """GS1 mod-10 check digit of ``body`` (all digits but the last)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = ord(ch) - 48
        total += d * 3 if i % 2 == 0 else d
    return (10 - total % 10) % 10


def is_valid_gtin(code: str) -> bool:
    """True for an all-digit EAN-8, UPC-A, EAN-13 or GTIN-14 with a correct check digit."""
    if len(code) not in (8, 12, 13, 14) or not code.isascii() or not code.isdigit():
        return False
    return gtin_check_digit(code[:-1]) == ord(code[-1]) - 48


class ScaleValue(StrEnum):
    """What the value field of a scale label holds."""

    WEIGHT = "weight"
    """Weight in grams (quantity in kg with 3 decimals)."""
    PRICE = "price"
    """Price of the item in minor units."""


@dataclass(frozen=True)
class WeightedLayout:
    """One scale label layout: which prefixes it applies to and the field widths."""

    prefixes: tuple[str, ...]
    item_digits: int = 5
    value_digits: int = 5
    value: ScaleValue = ScaleValue.WEIGHT

    def __post_init__(self) -> None:
        if not self.prefixes:
            raise InvalidSettings("a weighted layout needs at least one prefix")
        lengths = {len(p) for p in self.prefixes}
        if len(lengths) != 1 or not all(p.isdigit() and p[0] == "2" for p in self.prefixes):
            raise InvalidSettings("weighted prefixes must be digits of one length, in 20-29")
        if lengths.pop() + self.item_digits + self.value_digits + 1 != 13:
            raise InvalidSettings("prefix + item + value + check digit must be 13 digits")
        if self.item_digits < 3 or self.value_digits < 4:
            raise InvalidSettings("item code needs ≥ 3 digits and value ≥ 4 digits")

    @property
    def prefix_len(self) -> int:
        return len(self.prefixes[0])

    def to_dict(self) -> dict[str, Any]:
        return {"prefixes": list(self.prefixes), "item_digits": self.item_digits,
                "value_digits": self.value_digits, "value": self.value.value}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WeightedLayout:
        try:
            return cls(tuple(str(p) for p in data["prefixes"]), int(data["item_digits"]),
                       int(data["value_digits"]), ScaleValue(data["value"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidSettings(f"bad weighted layout {dict(data)!r}") from exc


DEFAULT_LAYOUTS: tuple[WeightedLayout, ...] = (
    WeightedLayout(tuple(str(p) for p in range(20, 30))),
)


@dataclass(frozen=True)
class WeightedCode:
    """A decoded scale label."""

    code: str
    item: str
    value: ScaleValue
    quantity: Decimal | None
    """kg, for weight labels."""
    amount: int | None
    """minor units, for price labels."""


def parse_weighted(code: str, layouts: Iterable[WeightedLayout]) -> WeightedCode | None:
    """Decode ``code`` when a layout's prefix matches; ``None`` when none does.

    Raises ``MalformedWeightedBarcode`` for a matching prefix with a wrong length, non-digits,
    a bad check digit or a zero value.
    """
    for layout in layouts:
        if code[: layout.prefix_len] not in layout.prefixes:
            continue
        details = {"barcode": code}
        if len(code) != 13 or not code.isascii() or not code.isdigit():
            raise MalformedWeightedBarcode("a scale barcode has 13 digits", details=details)
        if gtin_check_digit(code[:12]) != ord(code[12]) - 48:
            raise MalformedWeightedBarcode("scale barcode check digit is wrong", details=details)
        start = layout.prefix_len
        item = code[start:start + layout.item_digits]
        raw = int(code[start + layout.item_digits:12])
        if raw == 0:
            raise MalformedWeightedBarcode("scale barcode carries a zero value", details=details)
        if layout.value is ScaleValue.WEIGHT:
            return WeightedCode(code, item, layout.value, Decimal(raw) / 1000, None)
        return WeightedCode(code, item, layout.value, None, raw)
    return None
