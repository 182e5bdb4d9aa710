"""Pricing rules and price calculation bodies (seed 001 §5)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from cloud.schemas.common import ApiModel, RequestModel

RuleTypeLit = Literal["discount", "markup", "quantity", "customer_tier", "seasonal"]

__all__ = [
    "ActionIn",
    "AppliedRuleOut",
    "CalculateIn",
    "CalculateOut",
    "ConditionIn",
    "ItemIn",
    "LineOut",
    "RuleIn",
    "RuleOut",
    "ScopeIn",
    "SummaryOut",
    "WarningOut",
]


class ConditionIn(RequestModel):
    field: Literal["quantity", "total", "customer_tier", "date", "product", "category"]
    operator: Literal["eq", "gt", "gte", "lt", "lte", "in", "between"]
    value: Any


class ActionIn(RequestModel):
    type: Literal["percent", "amount", "fixed_price"]
    value: Decimal = Field(ge=0)
    max_discount: Decimal | None = Field(default=None, ge=0)


class ScopeIn(RequestModel):
    type: Literal["all", "products", "categories", "customers"] = "all"
    product_ids: list[str] | None = None
    category_ids: list[str] | None = None
    customer_tiers: list[Literal["bronze", "silver", "gold"]] | None = None


class RuleIn(RequestModel):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    type: RuleTypeLit
    conditions: list[ConditionIn] = Field(default_factory=list)
    action: ActionIn
    scope: ScopeIn = Field(default_factory=ScopeIn)
    requires_approval: bool = False
    approval_threshold: Decimal | None = Field(default=None, ge=0, le=100)
    status: Literal["active", "inactive", "scheduled"] | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    priority: int = Field(default=0, ge=-1000, le=1000)
    stackable: bool = False


class RuleOut(ApiModel):
    id: uuid.UUID
    name: str
    description: str
    type: str
    conditions: list[dict[str, Any]]
    action: dict[str, Any]
    scope: dict[str, Any]
    requires_approval: bool
    approval_threshold: float | None
    status: str
    starts_at: datetime | None
    ends_at: datetime | None
    priority: int
    stackable: bool
    created_at: datetime
    updated_at: datetime
    created_by: str


class ItemIn(RequestModel):
    product_id: uuid.UUID
    quantity: Decimal = Field(gt=0, le=Decimal(10) ** 9)


class CalculateIn(RequestModel):
    items: list[ItemIn] = Field(min_length=1, max_length=500)
    customer_id: str | None = None
    customer_tier: Literal["bronze", "silver", "gold"] | None = None
    coupon_code: str | None = None
    simulate_date: datetime | None = None
    simulate_rules: list[uuid.UUID] | None = None
    store_id: uuid.UUID | None = Field(default=None, description="use this store's price list")


class AppliedRuleOut(ApiModel):
    id: str
    name: str
    type: str
    discount: float


class LineOut(ApiModel):
    product_id: str
    sku: str
    name: str
    quantity: float
    original_price: float
    final_price: float
    discount: float
    discount_percent: float
    applied_rules: list[AppliedRuleOut]
    subtotal: float
    vat_rate: float
    vat_amount: float
    total: float


class WarningOut(ApiModel):
    type: str
    message: str
    item_ids: list[str] | None = None


class SummaryOut(ApiModel):
    subtotal: float
    total_discount: float
    total_discount_percent: float
    vat_amount: float
    grand_total: float
    currency: str
    warnings: list[WarningOut]


class CalculateOut(ApiModel):
    items: list[LineOut]
    summary: SummaryOut
    approval_required: bool
    approval_reason: str | None = None
