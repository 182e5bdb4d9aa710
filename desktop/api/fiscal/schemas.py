"""Wire shapes of the till's Fiscal API (seed 003): requests, responses, the error body.

camelCase on the wire; amounts integer minor units; ``quantity`` may carry 3 decimals (weighed
goods) and rates are JSON numbers. The daily/period report shapes are shared with the cloud
(``shared.schemas.fiscal_reports``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer
from pydantic.alias_generators import to_camel

from desktop.api.errors import error_responses

__all__ = [
    "ERRORS",
    "AttentionOut",
    "Camel",
    "CustomerIn",
    "ItemIn",
    "ItemOut",
    "Num",
    "PaymentIn",
    "PaymentOut",
    "ReceiptDetail",
    "ReceiptIn",
    "ReceiptOut",
    "ReturnIn",
    "ServiceIn",
    "ServiceOut",
    "ShiftCloseResponse",
    "ShiftOut",
    "ShiftRequest",
    "ShiftResponse",
    "ShiftStatus",
    "TaxOut",
    "ZReportOut",
]


class Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


def _number(d: Decimal) -> int | float:
    """Rates and quantities as JSON numbers (the seed writes ``"rate": 20``)."""
    return int(d) if d == d.to_integral_value() else float(d)


Num = Annotated[Decimal, PlainSerializer(_number, return_type=float)]


# -- requests --------------------------------------------------------------------------------
class ShiftRequest(Camel):
    cashier_id: str | None = Field(None, max_length=100)


class ItemIn(Camel):
    sku: str | None = Field(None, max_length=64)
    name: str = Field(..., min_length=1, max_length=200)
    price: int = Field(..., ge=0, le=10**11, description="unit price, minor units, VAT incl.")
    quantity: Decimal = Field(..., gt=0, le=100000, description="up to 3 decimals")
    tax_rate: Decimal | None = Field(None, ge=0, lt=100, description="VAT %, e.g. 20 or 21")
    vat_group: str | None = Field(None, description="shared.tax group, e.g. 'exempt'")
    excise: bool = False
    discount: int = Field(0, ge=0, description="minor units off this line")
    uktzed: str | None = Field(None, max_length=20)
    barcode: str | None = Field(None, max_length=48)


class PaymentIn(Camel):
    type: Literal["cash", "card", "CASH", "CARD", "CASHLESS"]
    amount: int = Field(..., gt=0, le=10**11)


class CustomerIn(Camel):
    email: str | None = None
    phone: str | None = None


class ReceiptIn(Camel):
    order_id: str | None = Field(None, min_length=1, max_length=100,
                                   description="idempotency key (empty is refused)")
    items: list[ItemIn] = Field(..., min_length=1, max_length=500)
    payments: list[PaymentIn] = Field(..., min_length=1, max_length=20)
    customer: CustomerIn | None = None
    header: str | None = Field(None, max_length=500)
    footer: str | None = Field(None, max_length=500)
    cashier_id: str | None = None
    rounding: int = Field(0, ge=-49, le=49)


class ReturnIn(Camel):
    original_fiscal_code: str = Field(..., min_length=1, max_length=64)
    items: list[ItemIn] = Field(..., min_length=1, max_length=500)
    payments: list[PaymentIn] | None = Field(None, description="default: cash refund")
    order_id: str | None = Field(None, min_length=1, max_length=100,
                                   description="idempotency key (empty is refused)")
    cashier_id: str | None = None


class ServiceIn(Camel):
    amount: int = Field(..., gt=0, le=10**11)
    comment: str = Field("", max_length=200)
    order_id: str | None = Field(None, min_length=1, max_length=100,
                                   description="idempotency key (empty is refused)")


# -- responses -------------------------------------------------------------------------------
class ShiftOut(Camel):
    id: str
    serial: int
    status: str
    opened_at: datetime
    closed_at: datetime | None = None
    balance: int
    receipts_count: int
    total_sales: int
    total_returns: int


class ShiftResponse(Camel):
    success: bool = True
    shift: ShiftOut
    message: str


class TaxOut(Camel):
    rate: Num | None
    label: str
    sell_sum: int = Field(description="sales without VAT (seed's example)")
    return_sum: int
    sales_turnover: int
    returns_turnover: int
    sales_vat: int | None
    returns_vat: int | None


class ZReportOut(Camel):
    id: str
    serial: int | None
    fiscal_code: str | None
    created_at: datetime
    payments_sum: int
    returns_sum: int
    receipts_count: int
    returns_count: int
    cash_in: int
    cash_out: int
    taxes: list[TaxOut]


class ShiftCloseResponse(Camel):
    success: bool = True
    z_report: ZReportOut
    message: str


class ShiftStatus(Camel):
    is_open: bool
    shift: ShiftOut | None


class ReceiptOut(Camel):
    success: bool = True
    fiscal_code: str | None
    receipt_id: str
    receipt_url: str | None
    qr_code_url: str | None
    pdf_url: str | None
    receipt_text: str | None = None
    fiscal_date: datetime
    offline: bool
    qr_payload: str | None


class ItemOut(Camel):
    name: str
    quantity: Num
    price: int
    total: int


class PaymentOut(Camel):
    type: str
    amount: int


class ReceiptDetail(Camel):
    id: str
    fiscal_code: str | None
    type: str
    date: datetime | None
    total: int
    items: list[ItemOut]
    payments: list[PaymentOut]
    pdf_url: str | None
    qr_code_url: str | None
    status: str
    status_message: str | None
    offline: bool


class ServiceOut(Camel):
    success: bool = True
    fiscal_code: str | None
    receipt_id: str


class AttentionOut(Camel):
    receipt_id: str
    kind: str
    status: str
    message: str | None
    total: int
    attempts: int


ERRORS = error_responses(400, 401, 404, 409, 422, 500, 502, 503, 504)
