"""Stock levels, movements, adjustments, reservations and releases (seed 001 §6)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from cloud.schemas.common import ApiModel, RequestModel

Qty = Annotated[Decimal, Field(gt=0, le=Decimal(10) ** 9, decimal_places=3)]

__all__ = [
    "AdjustIn",
    "AdjustOut",
    "AlertOut",
    "By",
    "MovementOut",
    "MovementSummary",
    "Ref",
    "ReleaseOut",
    "ReleasedItemOut",
    "ReservationOut",
    "ReserveIn",
    "ReserveItemIn",
    "ReserveOut",
    "ReservedItemOut",
    "StockItemOut",
    "StockSettingsIn",
    "StockSettingsOut",
    "WarningOut",
]


class StockSettingsOut(ApiModel):
    allow_negative_stock: bool
    country: str
    currency: str


class StockSettingsIn(RequestModel):
    allow_negative_stock: bool | None = None
    country: Literal["RO", "UA"] | None = Field(default=None, description="VAT country")
    currency: Literal["RON", "UAH", "EUR"] | None = None


class ReservationOut(ApiModel):
    id: uuid.UUID
    negotiation_id: str
    negotiation_ref: str
    quantity: float
    expires_at: datetime


class MovementSummary(ApiModel):
    type: str
    quantity: float
    date: datetime
    reason: str


class AlertOut(ApiModel):
    type: str
    message: str
    created_at: datetime | None = None


class StockItemOut(ApiModel):
    product_id: uuid.UUID
    sku: str
    name: str
    total_stock: float
    reserved_stock: float
    available_stock: float
    min_stock: float
    reorder_point: float
    status: str
    status_label: str
    active_reservations: list[ReservationOut]
    last_movement: MovementSummary | None
    alerts: list[AlertOut]
    updated_at: datetime


class Ref(ApiModel):
    type: str
    id: str | None = None
    name: str | None = None


class By(ApiModel):
    type: str
    id: str
    name: str


class MovementOut(ApiModel):
    id: uuid.UUID
    product_id: uuid.UUID
    location_id: uuid.UUID
    type: str
    type_label: str
    quantity: float
    previous_stock: float
    new_stock: float
    reason: str
    reference: Ref
    created_at: datetime
    created_by: By


class AdjustIn(RequestModel):
    type: Literal["set", "add", "subtract"]
    quantity: Annotated[Decimal, Field(ge=0, le=Decimal(10) ** 9, decimal_places=3)]
    reason: str = Field(min_length=1, max_length=500)
    reference_type: Literal["inventory_count", "damage", "return", "transfer", "other"] | None \
        = None
    reference_id: str | None = Field(default=None, max_length=100)
    notes: str | None = Field(default=None, max_length=1000)
    location_id: uuid.UUID | None = None


class AdjustOut(ApiModel):
    product_id: uuid.UUID
    sku: str
    previous_stock: float
    adjustment: float
    new_stock: float
    movement_id: uuid.UUID
    alerts: list[AlertOut]
    updated_at: datetime


class ReserveItemIn(RequestModel):
    product_id: uuid.UUID
    quantity: Qty


class ReserveIn(RequestModel):
    negotiation_id: str = Field(min_length=1, max_length=100)
    items: list[ReserveItemIn] = Field(min_length=1, max_length=200)
    expires_in: int = Field(default=60, ge=1, le=60 * 24 * 30, description="minutes")
    notes: str | None = Field(default=None, max_length=1000)
    allow_partial: bool = Field(default=False, description="reserve what is available")
    location_id: uuid.UUID | None = None


class ReservedItemOut(ApiModel):
    product_id: uuid.UUID
    sku: str
    requested_quantity: float
    reserved_quantity: float
    shortfall: float


class WarningOut(ApiModel):
    product_id: str
    message: str


class ReserveOut(ApiModel):
    reservation_id: uuid.UUID
    negotiation_id: str
    items: list[ReservedItemOut]
    expires_at: datetime
    warnings: list[WarningOut]
    created_at: datetime


class ReleasedItemOut(ApiModel):
    product_id: uuid.UUID
    sku: str
    quantity: float


class ReleaseOut(ApiModel):
    reservation_id: uuid.UUID
    negotiation_id: str
    released_items: list[ReleasedItemOut]
    released_at: datetime
