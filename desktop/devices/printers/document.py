"""A device-neutral printable receipt: what goes on the paper, already computed.

The till core builds it from a sale (amounts come from ``shared.tax``/``shared.money``; nothing
here calculates VAT). Money fields are integer minor units. JSON uses camelCase, as the local
Hardware API does, and snake_case names are accepted too.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

__all__ = [
    "Adjustment",
    "FiscalId",
    "Payment",
    "ReceiptDocument",
    "ReceiptLine",
    "VatGroup",
]

Minor = Annotated[int, Field(ge=-10**13, le=10**13)]
Text = Annotated[str, Field(max_length=200)]


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("timestamp must be timezone-aware (UTC)")
    return value


def _zone(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r}") from None
    return value


class _Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True,
                              extra="forbid")


class FiscalId(_Model):
    """A labelled identifier: "ФН 4000123456", "CIF RO123", "ЗН ПРРО 1234"."""

    label: Text
    value: Text


class ReceiptLine(_Model):
    name: Text
    quantity: Decimal = Field(gt=0, le=10**6)
    unit: Annotated[str, Field(max_length=12)] = ""
    unit_price: Minor
    total: Minor
    vat_letter: Annotated[str, Field(max_length=3)] = ""
    discount: Annotated[int, Field(ge=0, le=10**13)] = 0


class Adjustment(_Model):
    """A receipt-level discount or surcharge (negative = discount)."""

    label: Text
    amount: Minor


class VatGroup(_Model):
    letter: Annotated[str, Field(max_length=3)]
    rate: Decimal = Field(ge=0, le=100)
    base: Minor | None = None
    amount: Minor


class Payment(_Model):
    kind: Annotated[str, Field(pattern=r"^(cash|card|other)$")] = "cash"
    amount: Minor
    label: Text | None = None


class ReceiptDocument(_Model):
    """Everything a receipt shows, in printing order."""

    language: Annotated[str, Field(pattern=r"^[a-z]{2}$")] = "uk"
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "UAH"
    header_lines: list[Text] = Field(default_factory=list, max_length=20)
    fiscal_ids: list[FiscalId] = Field(default_factory=list, max_length=10)
    title: Text | None = None
    cashier: Text | None = None
    receipt_number: Annotated[str, Field(min_length=1, max_length=64)]
    issued_at: Annotated[datetime, AfterValidator(_aware)]
    time_zone: Annotated[str | None, AfterValidator(_zone)] = None
    lines: list[ReceiptLine] = Field(min_length=1, max_length=2000)
    subtotal: Minor
    discounts: list[Adjustment] = Field(default_factory=list, max_length=20)
    rounding: Minor = 0
    total: Minor
    vat: list[VatGroup] = Field(default_factory=list, max_length=10)
    payments: list[Payment] = Field(default_factory=list, max_length=10)
    change: Annotated[int, Field(ge=0, le=10**13)] = 0
    footer_lines: list[Text] = Field(default_factory=list, max_length=20)
    fiscal_qr_url: Annotated[str, Field(max_length=1000)] | None = None
    print_barcode: bool = True
    is_copy: bool = False
    open_drawer: bool = False
