"""Till settings: identity, country rules (VAT, rounding, shift limit) and cashier policy.

Country defaults come from :func:`TillSettings.for_country`; the store persists the settings as
JSON so they survive restarts and can later arrive through the sync feed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

from desktop.core.barcodes import DEFAULT_LAYOUTS, WeightedLayout
from desktop.core.errors import InvalidSettings
from shared.money import currency
from shared.tax import VAT_TABLES

__all__ = ["COUNTRY_DEFAULTS", "TillSettings"]

_CODE = re.compile(r"^[A-Za-z0-9]{1,12}$")

# Per-country rules. Ukraine: cash totals rounded to 0.10 UAH (NBU), shift ≤ 24 h (PRRO).
# Romania: no cash rounding; the fiscal day of an AMEF also ends after 24 h (Z report due).
COUNTRY_DEFAULTS: dict[str, dict[str, Any]] = {
    "UA": {"currency": "UAH", "cash_rounding": 10, "shift_max_hours": 24, "language": "uk"},
    "RO": {"currency": "RON", "cash_rounding": 1, "shift_max_hours": 24, "language": "ro"},
}


@dataclass(frozen=True)
class TillSettings:
    """Everything that makes one till behave as its shop and country require."""

    country: str = "RO"
    store_code: str = "S1"
    till_code: str = "T1"
    currency: str = "RON"
    language: str = "ro"
    """Language of names on receipts (product translations are used when present)."""
    cash_rounding: int = 1
    """Cash totals are rounded to this many minor units (10 = 0.10 UAH); 1 = no rounding."""
    shift_max_hours: int | None = 24
    """A shift older than this cannot take sales until closed; ``None`` = no limit."""
    weighted_layouts: tuple[WeightedLayout, ...] = DEFAULT_LAYOUTS
    cashier_max_discount_percent: Decimal = Decimal(10)
    """Discounts above this percent of the amount need a store manager's approval."""
    max_pin_attempts: int = 5
    lockout_minutes: int = 15
    header: tuple[str, ...] = ()
    footer: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Free-form settings owned by other packages (printers, fiscal device) — kept verbatim."""

    def __post_init__(self) -> None:
        if self.country not in VAT_TABLES:
            raise InvalidSettings(f"no VAT table for country {self.country!r}")
        try:
            currency(self.currency)
        except ValueError as exc:
            raise InvalidSettings(str(exc)) from exc
        for name in ("store_code", "till_code"):
            if not _CODE.match(getattr(self, name)):
                raise InvalidSettings(f"{name} must be 1-12 letters or digits", field=name)
        if self.cash_rounding not in (1, 5, 10, 50, 100):
            raise InvalidSettings("cash_rounding must be 1, 5, 10, 50 or 100 minor units")
        if self.shift_max_hours is not None and not 1 <= self.shift_max_hours <= 24 * 7:
            raise InvalidSettings("shift_max_hours must be between 1 and 168")
        if not Decimal(0) <= Decimal(self.cashier_max_discount_percent) <= Decimal(100):
            raise InvalidSettings("cashier_max_discount_percent must be 0-100")
        if self.max_pin_attempts < 1 or self.lockout_minutes < 1:
            raise InvalidSettings("PIN attempts and lockout minutes must be ≥ 1")

    @classmethod
    def for_country(cls, country: str, **overrides: Any) -> TillSettings:
        """Defaults for ``country`` (``RO`` or ``UA``) with ``overrides`` applied."""
        code = country.upper()
        if code not in COUNTRY_DEFAULTS:
            raise InvalidSettings(f"unsupported country {country!r}")
        return cls(country=code, **{**COUNTRY_DEFAULTS[code], **overrides})

    @property
    def shift_max_duration(self) -> timedelta | None:
        return timedelta(hours=self.shift_max_hours) if self.shift_max_hours else None

    @property
    def vat_groups(self) -> frozenset[str]:
        """Every VAT group any of the country's tables knows."""
        return frozenset(g for t in VAT_TABLES[self.country] for g in t.rates)

    def with_changes(self, **changes: Any) -> TillSettings:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["weighted_layouts"] = [lay.to_dict() for lay in self.weighted_layouts]
        data["cashier_max_discount_percent"] = str(self.cashier_max_discount_percent)
        data["header"] = list(self.header)
        data["footer"] = list(self.footer)
        data["extra"] = dict(self.extra)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TillSettings:
        known = {f for f in cls.__dataclass_fields__}
        values = {k: v for k, v in data.items() if k in known}
        try:
            if "weighted_layouts" in values:
                values["weighted_layouts"] = tuple(
                    WeightedLayout.from_dict(lay) for lay in values["weighted_layouts"])
            if "cashier_max_discount_percent" in values:
                values["cashier_max_discount_percent"] = Decimal(
                    str(values["cashier_max_discount_percent"]))
            for name in ("header", "footer"):
                if name in values:
                    values[name] = tuple(str(x) for x in values[name])
            return cls(**values)
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise InvalidSettings(f"invalid till settings: {exc}") from exc
