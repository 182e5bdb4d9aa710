"""Money as integer minor units (bani, kopiyky, cents); never float.

Why: a fiscal receipt must add up to the unit. Amounts enter as text ("12,34"), as ``Decimal`` or
as ``int`` minor units; a float is refused because it cannot say which cents it meant.

Exceptions (all ``MoneyError``, which is a ``ValueError``)::

    MoneyError
    ├── InvalidAmount        malformed text, NaN/Infinity, float input, too many decimals
    ├── NegativeAmount       a negative where only >= 0 is allowed
    ├── UnknownCurrency      a currency code we do not trade in
    └── CurrencyMismatch     arithmetic across two currencies
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

__all__ = [
    "CURRENCIES",
    "Currency",
    "CurrencyMismatch",
    "InvalidAmount",
    "Money",
    "MoneyError",
    "NegativeAmount",
    "UnknownCurrency",
    "allocate",
    "currency",
    "format_money",
    "parse_amount",
    "round_half_up",
]


class MoneyError(ValueError):
    """Money could not be handled as asked."""


class InvalidAmount(MoneyError):
    """The amount is malformed, not finite, a float, or has more decimals than the currency."""


class NegativeAmount(MoneyError):
    """A negative amount where only zero or more is allowed."""


class UnknownCurrency(MoneyError):
    """The currency code is not one Tillbridge trades in."""


class CurrencyMismatch(MoneyError):
    """Two amounts in different currencies were combined."""


@dataclass(frozen=True)
class Currency:
    """ISO 4217 currency with its minor-unit exponent and display symbols."""

    code: str
    exponent: int
    symbol: str


CURRENCIES: dict[str, Currency] = {
    "RON": Currency("RON", 2, "lei"),
    "UAH": Currency("UAH", 2, "грн"),
    "EUR": Currency("EUR", 2, "€"),
}


def currency(code: str) -> Currency:
    """Look up a currency by ISO code (case-insensitive)."""
    try:
        return CURRENCIES[code.upper()]
    except (KeyError, AttributeError):
        raise UnknownCurrency(f"unknown currency {code!r}") from None


def round_half_up(value: Decimal | Fraction | int) -> int:
    """Round to the nearest integer, halves away from zero, as fiscal receipts do."""
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        num, den = abs(value.numerator), value.denominator
        q, r = divmod(num, den)
        if 2 * r >= den:
            q += 1
        return q if value >= 0 else -q
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidAmount(f"not a finite number: {value}")
        return int(value.to_integral_value(rounding=ROUND_HALF_UP))
    raise InvalidAmount(f"cannot round {type(value).__name__}")


_AMOUNT = re.compile(r"^([+-]?)(\d{1,3}(?:[ \u00a0\u202f.,']\d{3})+|\d+)(?:[.,](\d+))?$", re.ASCII)


# No amount in a shop reaches 10^18 minor units (int64 columns hold them).
_MAX_DIGITS = 18


def parse_amount(text: str | Decimal | int, cur: str | Currency = "RON") -> int:
    """Parse an amount into minor units.

    Accepts "12.34", "12,34", "1 234,56", "1.234,56", "1,234.56", ``Decimal`` and ``int`` minor
    units. Refuses floats, NaN, blanks, and more decimals than the currency has.
    """
    c = cur if isinstance(cur, Currency) else currency(cur)
    scale = 10**c.exponent
    if isinstance(text, bool) or isinstance(text, float):
        raise InvalidAmount("floats are not accepted for money; pass text or Decimal")
    if isinstance(text, int):
        return text
    if isinstance(text, Decimal):
        if not text.is_finite():
            raise InvalidAmount(f"not a finite amount: {text}")
        if text.adjusted() > _MAX_DIGITS:  # 1E+999999 would overflow the decimal context
            raise InvalidAmount(f"{text} is too large an amount")
        scaled = text * scale
        if scaled != scaled.to_integral_value():
            raise InvalidAmount(f"{text} has more than {c.exponent} decimals")
        return int(scaled)
    if not isinstance(text, str):
        raise InvalidAmount(f"cannot parse {type(text).__name__} as money")
    s = text.strip()
    m = _AMOUNT.match(s)
    if not m:
        raise InvalidAmount(f"malformed amount {text!r}")
    sign, whole, frac = m.group(1), m.group(2), m.group(3)
    # "1.234" and "1,234" are ambiguous: with a group separator and exactly three trailing
    # digits the regex put them in `whole`. A lone separator followed by digits is decimal.
    if frac is None and re.fullmatch(r"\d{1,3}[.,]\d{3}", whole):
        head, tail = re.split(r"[.,]", whole)
        if c.exponent < 3:
            whole, frac = head, tail  # "1,234" in a 2-decimal currency: too many decimals
    whole_digits = re.sub(r"\D", "", whole, flags=re.ASCII)
    if len(whole_digits.lstrip("0")) > _MAX_DIGITS:
        raise InvalidAmount(f"{text[:40]!r} is too large an amount")
    frac = frac or ""
    if len(frac) > c.exponent:
        raise InvalidAmount(f"{text!r} has more than {c.exponent} decimals")
    minor: int = int(whole_digits) * scale + (int(frac.ljust(c.exponent, "0")) if frac else 0)
    return -minor if sign == "-" else minor


@dataclass(frozen=True, order=True)
class Money:
    """An amount in minor units of one currency."""

    minor: int
    currency: str = "RON"

    def __post_init__(self) -> None:
        if isinstance(self.minor, bool) or not isinstance(self.minor, int):
            raise InvalidAmount("Money.minor must be an int number of minor units")
        currency(self.currency)

    @classmethod
    def parse(cls, text: str | Decimal | int, cur: str = "RON") -> Money:
        return cls(parse_amount(text, cur), currency(cur).code)

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError("can only combine Money with Money")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} vs {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def to_decimal(self) -> Decimal:
        return Decimal(self.minor).scaleb(-currency(self.currency).exponent)

    def __str__(self) -> str:
        return f"{self.to_decimal()} {self.currency}"


def allocate(total: int, weights: Sequence[int | Decimal | Fraction]) -> list[int]:
    """Split ``total`` minor units across ``weights`` so the parts sum to ``total`` exactly.

    Largest-remainder method: each share is floored, then the leftover units go to the largest
    remainders (earliest first on ties), so no unit is lost or created.
    """
    if not weights:
        raise InvalidAmount("cannot allocate across no weights")
    fr = [Fraction(w) for w in weights]
    if any(w < 0 for w in fr):
        raise NegativeAmount("allocation weights must be >= 0")
    wsum = sum(fr)
    if wsum == 0:
        raise InvalidAmount("allocation weights sum to zero")
    sign = -1 if total < 0 else 1
    t = abs(total)
    exact = [t * w / wsum for w in fr]
    parts = [int(e) for e in exact]  # floor for non-negative
    left = t - sum(parts)
    order = sorted(range(len(fr)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return [sign * p for p in parts]


_LOCALE_SEPARATORS = {"ro": (".", ","), "uk": ("\u00a0", ","), "en": (",", ".")}


def format_money(minor: int, cur: str = "RON", locale: str = "ro", *, symbol: bool = True) -> str:
    """Format for people: ro ``1.234,56 lei``, uk ``1 234,56 грн``, en ``RON 1,234.56``."""
    c = currency(cur)
    try:
        group, dec = _LOCALE_SEPARATORS[locale.split("_")[0].split("-")[0].lower()]
    except KeyError:
        raise MoneyError(f"unknown locale {locale!r}") from None
    neg = minor < 0
    whole, frac = divmod(abs(minor), 10**c.exponent)
    digits = f"{whole:,}".replace(",", group)
    text = f"{digits}{dec}{frac:0{c.exponent}d}" if c.exponent else digits
    text = f"-{text}" if neg else text
    if not symbol:
        return text
    if locale.startswith("en"):
        return f"{c.code} {text}"
    return f"{text} {c.symbol}"
