"""Map ``shared.tax`` groups to what a device calls its tax groups (Datecs letters, Checkbox codes).

Why by rate and not by a fixed table: the rate behind a Datecs letter is whatever the service
engineer programmed (cmd 83), and a Checkbox organisation defines its own tax codes. So the till
reads the device's table at start and maps each line by the rate its group has *at the sale's
date*; a rate the device lacks blocks the sale (``VatNotProgrammed``) instead of printing a wrong
tax. Zero-rated and exempt are both 0 %, so "exempt" needs the device's exempt marker or an
explicit override from the configuration.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from desktop.devices.fiscal.errors import FiscalInvalid, VatNotProgrammed
from desktop.devices.fiscal.model import FiscalLine
from shared.tax import TaxError, table_for

__all__ = ["DeviceTax", "VatMapper", "group_for_rate"]

EXEMPT_GROUPS = frozenset({"exempt"})
_PREFERRED = ("standard", "reduced", "super_reduced", "agri", "housing", "zero")


def group_for_rate(country: str, rate: Decimal, at: datetime) -> str:
    """The ``shared.tax`` group that has ``rate`` in ``country`` on ``at`` (0 → zero-rated;
    pass the group "exempt" explicitly for exempt supplies)."""
    try:
        table = table_for(country, at)
    except TaxError as exc:
        raise FiscalInvalid(str(exc), field="taxRate") from exc
    candidates = [g for g in _PREFERRED if table.rates.get(g) == rate]
    candidates += sorted(g for g, r in table.rates.items()
                         if r == rate and g not in candidates and g not in EXEMPT_GROUPS)
    if not candidates:
        valid = sorted({str(r.normalize()) for r in table.rates.values()}, key=Decimal)
        raise FiscalInvalid(f"VAT rate {rate}% is not valid in {country} on {at:%Y-%m-%d} "
                            f"(valid: {', '.join(valid)})", field="taxRate")
    return candidates[0]


@dataclass(frozen=True)
class DeviceTax:
    """One tax group as the device defines it (``rate`` None: disabled)."""

    key: str
    rate: Decimal | None
    label: str = ""
    exempt: bool = False
    excise: bool = False


class VatMapper:
    """Chooses the device tax key for a line; overrides (group → key) win over rate matching."""

    def __init__(self, taxes: Iterable[DeviceTax],
                 overrides: Mapping[str, str] | None = None) -> None:
        self.taxes = tuple(taxes)
        self.by_key = {t.key: t for t in self.taxes}
        self.overrides = dict(overrides or {})
        for group, key in self.overrides.items():
            if key not in self.by_key:
                raise VatNotProgrammed(f"override {group}→{key}: no such device tax group")
        self._reserved = {k for g, k in self.overrides.items() if g in EXEMPT_GROUPS}

    def key_for(self, line: FiscalLine) -> str:
        """The device tax key for ``line``'s VAT, or ``VatNotProgrammed``."""
        if line.vat_group in self.overrides:
            key = self.overrides[line.vat_group]
            tax = self.by_key[key]
            if tax.rate is not None and tax.rate == line.vat_rate:
                return key
            raise VatNotProgrammed(
                f"device group {key} has rate {tax.rate}, the sale needs {line.vat_rate}% "
                f"({line.vat_group}): reprogram the device or fix the configuration",
                details={"group": line.vat_group, "rate": str(line.vat_rate)})
        exempt = line.vat_group in EXEMPT_GROUPS
        for tax in self.taxes:
            if tax.rate is None or tax.excise or tax.rate != line.vat_rate:
                continue
            if exempt == tax.exempt and (exempt or tax.key not in self._reserved):
                return tax.key
        raise VatNotProgrammed(
            f"the fiscal device has no tax group for {line.vat_group} {line.vat_rate}%",
            details={"group": line.vat_group, "rate": str(line.vat_rate),
                     "device_groups": {t.key: None if t.rate is None else str(t.rate)
                                       for t in self.taxes}})

    def excise_key(self) -> str:
        """The device tax key used for excise lines (Checkbox: an extra org tax code)."""
        key = self.overrides.get("excise")
        if key:
            return key
        for tax in self.taxes:
            if tax.excise:
                return tax.key
        raise VatNotProgrammed("the fiscal device has no excise tax code")

    def rate_of(self, key: str) -> Decimal | None:
        tax = self.by_key.get(key)
        return None if tax is None else tax.rate

    def label_of(self, key: str) -> str:
        tax = self.by_key.get(key)
        return tax.label if tax and tax.label else key
