"""Pricing rules and price calculation bodies (seed 001 §5)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from cloud.schemas.common import MAX_MONEY, ApiModel, Percent, RequestModel, json_bounded

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
    value: Annotated[Any, json_bounded(max_bytes=16 * 1024, max_depth=3, max_keys=1000,
                                       max_number=10**13)]


class ActionIn(RequestModel):
    """``value`` is a percentage (0–100) for ``percent``, else money in major units."""

    type: Literal["percent", "amount", "fixed_price"]
    value: Decimal = Field(ge=0, le=MAX_MONEY, decimal_places=4)
    max_discount: Percent | None = Field(default=None, description="cap, percent")

    @model_validator(mode="after")
    def _percent_at_most_100(self) -> Self:
        if self.type == "percent" and self.value > 100:
            raise PydanticCustomError("less_than_equal", "{field} must be at most 100 for a "
                                      "percent action", {"field": "value", "le": 100})
        return self


class ScopeIn(RequestModel):
    type: Literal["all", "products", "categories", "customers"] = "all"
    product_ids: list[Annotated[str, Field(max_length=64)]] | None = Field(default=None,
                                                                           max_length=10_000)
    category_ids: list[Annotated[str, Field(max_length=200)]] | None = Field(default=None,
                                                                             max_length=1000)
    customer_tiers: list[Literal["bronze", "silver", "gold"]] | None = Field(default=None,
                                                                             max_length=3)


class RuleIn(RequestModel):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    type: RuleTypeLit
    conditions: list[ConditionIn] = Field(default_factory=list, max_length=50)
    action: ActionIn
    scope: ScopeIn = Field(default_factory=ScopeIn)
    requires_approval: bool = False
    approval_threshold: Percent | None = None
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
    customer_id: str | None = Field(default=None, max_length=100)
    customer_tier: Literal["bronze", "silver", "gold"] | None = None
    coupon_code: str | None = Field(default=None, max_length=64)
    simulate_date: datetime | None = None
    simulate_rules: list[uuid.UUID] | None = Field(default=None, max_length=500)
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
