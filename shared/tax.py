"""Dated VAT tables and per-line VAT and excise, rounded as a fiscal receipt rounds.

Why dated tables: Romania moved from 19/9/5 to 21/11 on 2025-08-01 and a sale must use the rates
valid at its own timestamp, including sales made offline and synced later.

Rates are exact (``Fraction`` internally); results are integer minor units, rounded half-up
per line. Exceptions (all ``TaxError``, a ``ValueError``)::

    TaxError
    ├── UnknownCountry       no VAT table for that country
    ├── UnknownRate          that VAT group does not exist in the table valid at that date
    ├── NoTableForDate       the date is before the first table we hold
    └── InvalidQuantity      quantity zero/negative where not allowed, NaN, float, bad price
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache

__all__ = [
    "EXCISE_RATES",
    "VAT_TABLES",
    "InvalidQuantity",
    "LineTax",
    "NoTableForDate",
    "PriceBasis",
    "ReceiptTax",
    "TaxError",
    "UnknownCountry",
    "UnknownRate",
    "VatTable",
    "compute_line",
    "compute_receipt",
    "rate_for",
    "table_for",
    "vat_from_gross",
    "vat_from_net",
]


class TaxError(ValueError):
    """VAT could not be computed as asked."""


class UnknownCountry(TaxError):
    """No VAT table is known for this country."""


class UnknownRate(TaxError):
    """This VAT group is not defined in the table valid at the sale's date."""


class NoTableForDate(TaxError):
    """The date lies before the first VAT table we hold for the country."""


class InvalidQuantity(TaxError):
    """The quantity or price is not a usable number for this line."""


class PriceBasis(StrEnum):
    """Whether a unit price includes VAT (retail) or excludes it (B2B)."""

    GROSS = "gross"
    """Price includes VAT (and excise): what a shelf label shows."""
    NET = "net"
    """Price excludes VAT: what a B2B price list shows."""


@dataclass(frozen=True)
class VatTable:
    """VAT rates of one country, in force from ``valid_from`` up to ``valid_to`` inclusive."""

    country: str
    valid_from: date
    valid_to: date | None
    rates: Mapping[str, Decimal]

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def _t(country: str, start: str, end: str | None, **rates: str) -> VatTable:
    return VatTable(
        country,
        date.fromisoformat(start),
        date.fromisoformat(end) if end else None,
        {group: Decimal(v) for group, v in rates.items()},
    )


# Group names are stable across dates so a product keeps its group when the law changes its rate.
VAT_TABLES: dict[str, tuple[VatTable, ...]] = {
    "RO": (
        _t("RO", "2017-01-01", "2025-07-31", standard="19", reduced="9", super_reduced="5",
           zero="0", exempt="0"),
        # Law 141/2025: one reduced rate of 11%; 5% abolished (its goods moved to 11%).
        _t("RO", "2025-08-01", "2026-07-31", standard="21", reduced="11", super_reduced="11",
           housing="9", zero="0", exempt="0"),
        # The transitional 9% for housing ends on 2026-07-31.
        _t("RO", "2026-08-01", None, standard="21", reduced="11", super_reduced="11",
           zero="0", exempt="0"),
    ),
    "UA": (
        _t("UA", "2016-01-01", "2021-02-28", standard="20", reduced="7", zero="0", exempt="0"),
        # Law 1115-IX: 14% for listed agricultural products from 2021-03-01.
        _t("UA", "2021-03-01", None, standard="20", reduced="7", agri="14", zero="0",
           exempt="0"),
    ),
}

# Ukraine's retail excise: 5% of the retail price including VAT, shown as its own tax line.
EXCISE_RATES: dict[str, Decimal] = {"UA": Decimal("5")}


def _day(at: date | datetime) -> date:
    if isinstance(at, datetime):
        if at.tzinfo is None:
            raise TaxError("naive datetime: pass an aware UTC timestamp")
        return at.astimezone(UTC).date()
    return at


def table_for(country: str, at: date | datetime) -> VatTable:
    """The VAT table of ``country`` valid on ``at`` (a date, or an aware timestamp in UTC)."""
    tables = VAT_TABLES.get(country.upper() if isinstance(country, str) else country)
    if not tables:
        raise UnknownCountry(f"no VAT table for country {country!r}")
    day = _day(at)
    for table in tables:
        if table.covers(day):
            return table
    raise NoTableForDate(f"no {country} VAT table for {day.isoformat()}")


def rate_for(country: str, group: str, at: date | datetime) -> Decimal:
    """The VAT percentage of ``group`` in ``country`` on ``at``."""
    if type(at) is date:
        return _rate_on_day(country, group, at)
    return _rate_on_day(country, group, _day(at))


@lru_cache(maxsize=4096)
def _rate_on_day(country: str, group: str, at: date) -> Decimal:
    table = table_for(country, at)
    try:
        return table.rates[group]
    except KeyError:
        known = ", ".join(sorted(table.rates))
        raise UnknownRate(
            f"VAT group {group!r} is not valid in {table.country} on {_day(at)} (known: {known})"
        ) from None


def _div_half_up(num: int, den: int) -> int:
    """``num / den`` rounded half away from zero, in integers (den > 0)."""
    q, r = divmod(abs(num), den)
    if 2 * r >= den:
        q += 1
    return q if num >= 0 else -q


@lru_cache(maxsize=256)
def _rate_ratio(value: Decimal) -> tuple[int, int]:
    r = _rate(value)
    return r.numerator, r.denominator


def _rate(value: Decimal | int | str) -> Fraction:
    try:
        d = Decimal(value) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError, TypeError):
        raise UnknownRate(f"not a rate: {value!r}") from None
    if not d.is_finite() or d < 0 or d >= 100:
        raise UnknownRate(f"rate out of range: {value!r}")
    return Fraction(d)


def vat_from_gross(gross: int, rate: Decimal | int | str) -> int:
    """VAT contained in a VAT-inclusive amount: ``gross * r / (100 + r)``, half-up."""
    num, den = _rate_ratio(Decimal(rate)) if not isinstance(rate, Decimal) else _rate_ratio(rate)
    return _div_half_up(gross * num, 100 * den + num)


def vat_from_net(net: int, rate: Decimal | int | str) -> int:
    """VAT added to a VAT-exclusive amount: ``net * r / 100``, half-up."""
    num, den = _rate_ratio(Decimal(rate)) if not isinstance(rate, Decimal) else _rate_ratio(rate)
    return _div_half_up(net * num, 100 * den)


def _quantity(qty: Decimal | int | str, *, allow_negative: bool) -> Fraction:
    if type(qty) is int:
        if qty == 0 or (qty < 0 and not allow_negative):
            raise InvalidQuantity(f"quantity must be positive, got {qty}")
        return Fraction(qty)
    if isinstance(qty, bool) or isinstance(qty, float):
        raise InvalidQuantity("quantity must be int, Decimal or text, not float")
    try:
        d = qty if isinstance(qty, Decimal) else Decimal(qty)
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidQuantity(f"not a quantity: {qty!r}") from None
    if not d.is_finite():
        raise InvalidQuantity(f"quantity is not finite: {qty!r}")
    if d == 0 or (d < 0 and not allow_negative):
        raise InvalidQuantity(f"quantity must be positive, got {qty}")
    return Fraction(d)


@dataclass(frozen=True)
class LineTax:
    """One line's amounts in minor units; ``gross = net + vat + excise``."""

    gross: int
    net: int
    vat: int
    excise: int
    vat_rate: Decimal
    vat_group: str
    excise_rate: Decimal = Decimal(0)


@dataclass(frozen=True)
class ReceiptTax:
    """Receipt totals with the VAT breakdown per group, as a Z report and a receipt show it."""

    gross: int
    net: int
    vat: int
    excise: int
    by_group: dict[str, LineTax] = field(default_factory=dict)


def compute_line(
    unit_price: int,
    quantity: Decimal | int | str,
    *,
    country: str,
    vat_group: str,
    at: date | datetime,
    basis: PriceBasis = PriceBasis.GROSS,
    excise: bool = False,
    allow_negative: bool = False,
) -> LineTax:
    """VAT (and excise) of one receipt line, rounded once per line.

    Gross basis: line gross = round(price × qty); excise = gross × e/(100+e); VAT is taken from
    what remains. Net basis: line net = round(price × qty); VAT = net × r/100; excise on
    net + VAT. Returns (``allow_negative``) mirror sales exactly with the opposite sign.
    """
    if isinstance(unit_price, bool) or not isinstance(unit_price, int):
        raise InvalidQuantity("unit_price must be int minor units")
    if unit_price < 0:
        raise InvalidQuantity("unit_price must be >= 0")
    q = _quantity(quantity, allow_negative=allow_negative)
    rate = rate_for(country, vat_group, at)
    e_rate = EXCISE_RATES.get(country.upper(), Decimal(0)) if excise else Decimal(0)
    if excise and e_rate == 0:
        raise UnknownRate(f"no excise rate for {country!r}")
    sign = -1 if q < 0 else 1
    amount = _div_half_up(unit_price * abs(q.numerator), q.denominator)
    if basis is PriceBasis.GROSS:
        gross = amount
        exc = vat_from_gross(gross, e_rate) if e_rate else 0
        vat = vat_from_gross(gross - exc, rate)
        net = gross - exc - vat
    else:
        net = amount
        vat = vat_from_net(net, rate)
        exc = vat_from_net(net + vat, e_rate) if e_rate else 0
        gross = net + vat + exc
    return LineTax(sign * gross, sign * net, sign * vat, sign * exc, rate, vat_group, e_rate)


def compute_receipt(lines: Iterable[LineTax]) -> ReceiptTax:
    """Sum lines into receipt totals and a per-group breakdown (sums of per-line roundings)."""
    gross = net = vat = exc = 0
    groups: dict[str, LineTax] = {}
    for line in lines:
        gross += line.gross
        net += line.net
        vat += line.vat
        exc += line.excise
        g = groups.get(line.vat_group)
        groups[line.vat_group] = (
            line
            if g is None
            else LineTax(g.gross + line.gross, g.net + line.net, g.vat + line.vat,
                         g.excise + line.excise, g.vat_rate, g.vat_group, g.excise_rate)
        )
    return ReceiptTax(gross, net, vat, exc, groups)
