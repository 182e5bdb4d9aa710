"""Stores, their tills (fiscal device, printers) and store price lists."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import Field, model_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from cloud.schemas.common import MAX_MONEY, ApiModel, JsonObject, RequestModel

Code = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]

__all__ = [
    "Address",
    "Connection",
    "FiscalDevice",
    "FiscalIds",
    "PriceIn",
    "PriceOut",
    "PricesIn",
    "Printer",
    "StoreFields",
    "StoreIn",
    "StoreOut",
    "TillFields",
    "TillIn",
    "TillOut",
]


class Address(RequestModel):
    street: str | None = Field(default=None, max_length=200)
    city: str | None = Field(default=None, max_length=100)
    county: str | None = Field(default=None, max_length=100)
    postal_code: str | None = Field(default=None, max_length=20)
    country: str | None = Field(default=None, max_length=2)


class FiscalIds(RequestModel):
    cui: str | None = Field(default=None, max_length=12, description="Romania: CUI/CIF")
    reg_com: str | None = Field(default=None, max_length=40, description="Romania: J40/…")
    edrpou: str | None = Field(default=None, max_length=8, description="Ukraine: 8-digit EDRPOU")
    ipn: str | None = Field(default=None, max_length=12, description="Ukraine: 10/12-digit IPN")
    vat_payer: bool | None = None


class _Patch(RequestModel):
    """A PATCH body: a field left out keeps its value; a field in ``not_null`` has no "no
    value" state (the row's column is NOT NULL, the wire shape an object or list), so an
    explicit null is refused naming the field rather than stored and failing later."""

    not_null: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _refuse_nulls(self) -> Self:
        for name in sorted(self.model_fields_set & self.not_null):
            if getattr(self, name) is None:
                raise PydanticCustomError(
                    "null_not_allowed", "{field} cannot be null: leave it out to keep the "
                    "current value", {"field": to_camel(name)})
        return self


class StoreFields(_Patch):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    address: Address | None = None
    country: Literal["RO", "UA"] | None = None
    timezone: str | None = Field(default=None, max_length=64,
                                 description="IANA zone, e.g. Europe/Bucharest")
    currency: Literal["RON", "UAH", "EUR"] | None = None
    fiscal_ids: FiscalIds | None = None
    settings: JsonObject | None = None
    status: Literal["active", "inactive", "closed"] | None = None

    not_null: ClassVar[frozenset[str]] = frozenset({
        "name", "address", "country", "timezone", "currency", "fiscal_ids", "settings",
        "status"})


class StoreIn(StoreFields):
    """On create a null optional field means its default (an empty address, the country's
    currency, …)."""

    not_null: ClassVar[frozenset[str]] = frozenset()
    code: Code
    name: str = Field(min_length=1, max_length=200)
    country: Literal["RO", "UA"]
    timezone: str = Field(max_length=64)


class StoreOut(ApiModel):
    id: uuid.UUID
    code: str
    name: str
    address: dict[str, Any]
    country: str
    timezone: str
    currency: str
    fiscal_ids: dict[str, Any]
    settings: dict[str, Any]
    status: str
    created_at: datetime
    updated_at: datetime


class Connection(RequestModel):
    type: Literal["usb", "tcp", "serial", "bluetooth", "none"]
    host: str | None = Field(default=None, max_length=255)
    port: int | None = Field(default=None, ge=1, le=65535)
    device: str | None = Field(default=None, max_length=255, description="/dev/ttyUSB0, COM3")
    baudrate: int | None = Field(default=None, ge=1200, le=921600)
    vendor_id: int | None = Field(default=None, ge=0, le=0xFFFF)
    product_id: int | None = Field(default=None, ge=0, le=0xFFFF)


class FiscalDevice(RequestModel):
    kind: Literal["none", "datecs", "checkbox"] = "none"
    model: str | None = Field(default=None, max_length=60)
    serial_number: str | None = Field(default=None, max_length=60)
    fiscal_number: str | None = Field(default=None, max_length=60)
    connection: Connection | None = None
    cash_register_id: str | None = Field(default=None, max_length=100,
                                         description="Checkbox cash register id")


class Printer(RequestModel):
    role: Literal["receipt", "label", "kitchen", "report"]
    kind: Literal["escpos", "zpl", "tspl"] = "escpos"
    name: str | None = Field(default=None, max_length=100)
    columns: int | None = Field(default=None, ge=16, le=80)
    connection: Connection


class TillFields(_Patch):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    fiscal_device: FiscalDevice | None = None
    printers: list[Printer] | None = Field(default=None, max_length=20)
    settings: JsonObject | None = None
    status: Literal["active", "inactive", "retired"] | None = None

    not_null: ClassVar[frozenset[str]] = frozenset({
        "name", "fiscal_device", "printers", "settings", "status"})


class TillIn(TillFields):
    not_null: ClassVar[frozenset[str]] = frozenset()
    code: Code
    name: str = Field(min_length=1, max_length=200)


class TillOut(ApiModel):
    id: uuid.UUID
    store_id: uuid.UUID
    code: str
    name: str
    fiscal_device: dict[str, Any]
    printers: list[dict[str, Any]]
    settings: dict[str, Any]
    status: str
    device_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class PriceIn(RequestModel):
    product_id: uuid.UUID
    price: Decimal = Field(ge=0, le=MAX_MONEY, decimal_places=2,
                           description="net, major units")
    starts_at: datetime | None = None
    ends_at: datetime | None = None


class PricesIn(RequestModel):
    prices: list[PriceIn] = Field(min_length=1, max_length=1000)


class PriceOut(ApiModel):
    id: uuid.UUID
    store_id: uuid.UUID
    product_id: uuid.UUID
    price: float
    currency: str
    starts_at: datetime | None
    ends_at: datetime | None
    updated_at: datetime
