"""Quantities: whole pieces, or up to 3 decimals for kg, l and m.

Kept as ``Decimal`` in the core and as integer thousandths ("milli") in the store, the unit
Checkbox and most fiscal protocols use. Floats are refused, as for money.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import StrEnum

from desktop.core.errors import InvalidQuantity

__all__ = ["MAX_QUANTITY", "Unit", "from_milli", "parse_quantity", "to_milli"]

MAX_QUANTITY = Decimal(99_999)
_MILLI = Decimal("0.001")


class Unit(StrEnum):
    """How a product is measured on the receipt."""

    PCS = "pcs"
    """Whole pieces."""
    KG = "kg"
    """Kilograms, up to 3 decimals (grams)."""
    L = "l"
    """Litres, up to 3 decimals."""
    M = "m"
    """Metres, up to 3 decimals."""

    @property
    def fractional(self) -> bool:
        return self is not Unit.PCS


def parse_quantity(value: Decimal | int | str, unit: Unit) -> Decimal:
    """A positive quantity valid for ``unit`` (whole for pieces, ≤ 3 decimals otherwise)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise InvalidQuantity("quantity must be int, Decimal or text, not float",
                              details={"quantity": repr(value)})
    try:
        q = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise InvalidQuantity(f"not a quantity: {value!r}", details={"quantity": str(value)}) \
            from None
    if not q.is_finite() or q <= 0:
        raise InvalidQuantity(f"quantity must be positive, got {value}",
                              details={"quantity": str(value)})
    if q > MAX_QUANTITY:
        raise InvalidQuantity(f"quantity {value} is too large", details={"quantity": str(value)})
    if unit.fractional:
        if q != q.quantize(_MILLI):
            raise InvalidQuantity(f"at most 3 decimals for {unit.value}",
                                  details={"quantity": str(value), "unit": unit.value})
        return q.quantize(_MILLI)
    if q != q.to_integral_value():
        raise InvalidQuantity("pieces must be whole", details={"quantity": str(value),
                                                                "unit": unit.value})
    return Decimal(int(q))


def to_milli(q: Decimal) -> int:
    """``Decimal("1.25")`` → ``1250``."""
    return int(q * 1000)


def from_milli(m: int) -> Decimal:
    """``1250`` → ``Decimal("1.25")`` (trailing zeros removed, whole numbers stay whole)."""
    if m % 1000 == 0:
        return Decimal(m // 1000)
    return (Decimal(m) / 1000).normalize()
