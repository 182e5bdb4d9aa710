"""Wire shapes of what tills synced, as the back office reads it: sales, returns, shifts and cash
movements (seed-001 camelCase; amounts in minor units).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import Field

from cloud.schemas.common import ApiModel

__all__ = [
    "CardOut",
    "CashMovementOut",
    "FiscalOut",
    "LineOut",
    "PaymentOut",
    "SaleDetail",
    "SaleOut",
    "ShiftDetail",
    "ShiftOut",
]


class SaleOut(ApiModel):
    id: uuid.UUID
    kind: str
    number: str
    store_id: uuid.UUID
    till_id: uuid.UUID
    shift_id: uuid.UUID
    shift_no: int
    cashier_name: str
    completed_at: datetime
    business_date: date
    currency: str
    total: int = Field(description="minor units, after discounts, before cash rounding")
    payable: int
    vat_total: int
    cash_amount: int
    card_amount: int
    lines_count: int
    price_flags: int = Field(description="lines sold at another price than the cloud's")
    original_sale_id: uuid.UUID | None
    received_at: datetime


class LineOut(ApiModel):
    line_no: int
    sku: str
    name: str
    product_id: uuid.UUID | None
    unit: str
    quantity: float
    unit_price: int
    list_price: int
    discount: int
    gross: int
    net: int
    vat: int
    excise: int
    vat_group: str
    vat_rate: str
    barcode: str | None
    original_line_no: int | None
    price_flag: str | None


class CardOut(ApiModel):
    brand: str | None = None
    masked_pan: str | None = None
    rrn: str | None = None
    auth_code: str | None = None
    terminal_id: str | None = None


class PaymentOut(ApiModel):
    id: str
    kind: str
    amount: int
    tendered: int | None
    change: int
    rounding: int
    card: CardOut | None


class FiscalOut(ApiModel):
    fiscal_number: str
    fiscal_date: datetime
    verification_url: str | None
    fiscal_device_id: str | None


class SaleDetail(SaleOut):
    cashier_id: str
    opened_at: datetime
    country: str
    subtotal: int
    discount_total: int
    rounding: int
    paid: int
    change: int
    excise_total: int
    voided_lines: int
    original_number: str | None
    approved_by: str | None
    reason: str | None
    lines: list[LineOut]
    payments: list[PaymentOut]
    fiscal: FiscalOut | None


class ShiftOut(ApiModel):
    id: uuid.UUID
    store_id: uuid.UUID
    till_id: uuid.UUID
    number: int
    status: str
    currency: str
    opened_at: datetime
    opened_by_name: str
    opening_float: int
    closed_at: datetime | None
    sales_count: int | None
    returns_count: int | None
    sales_total: int | None
    returns_total: int | None
    expected_cash: int | None
    counted_cash: int | None
    cash_difference: int | None


class CashMovementOut(ApiModel):
    id: uuid.UUID
    kind: str
    amount: int
    reason: str
    user_id: str
    approved_by: str | None
    at: datetime


class ShiftDetail(ShiftOut):
    z_report: dict[str, Any] | None
    cash_movements: list[CashMovementOut]
    receipts: int
