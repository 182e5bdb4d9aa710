"""Wire shapes of products (seed 001 §3) and converters from stored rows.

Money travels as decimal numbers in major units (12.5 = 12,50 lei) and is stored as integer
minor units; the VAT rate shown is the one valid today for the product's VAT group.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from cloud.models.catalog import PricingRule, Product
from cloud.services.catalog.listing import ProductRow
from cloud.services.search.embedding import MODEL_NAME
from shared.tax import TaxError, rate_for, vat_from_net

__all__ = ["CreateProductIn", "ProductDetailOut", "ProductListItem", "UpdateProductIn",
           "detail", "list_item", "major", "to_camel", "to_service"]

_CAMEL = ConfigDict(alias_generator=to_camel, validate_by_name=True, validate_by_alias=True,
                    serialize_by_alias=True)


class Wire(BaseModel):
    model_config = _CAMEL


class WireIn(BaseModel):
    model_config = ConfigDict(**_CAMEL, extra="forbid")


Status = Literal["active", "inactive", "discontinued"]


class Dimensions(WireIn):
    length: Decimal = Field(ge=0)
    width: Decimal = Field(ge=0)
    height: Decimal = Field(ge=0)
    unit: Literal["cm", "m"] = "cm"


class Translation(WireIn):
    name: str | None = None
    description: str | None = None
    short_description: str | None = None


class _ProductFields(WireIn):
    name: str | None = Field(default=None, max_length=300)
    description: str | None = None
    short_description: str | None = None
    category: str | None = Field(default=None, max_length=200)
    subcategory: str | None = Field(default=None, max_length=200)
    price: Decimal | None = None
    currency: str | None = Field(default=None, description="RON, EUR or UAH")
    vat_rate: Decimal | None = Field(default=None, description=(
        "VAT % valid today in the tenant's country (Romania: 21, 11, 9, 0 since 2025-08-01)"))
    vat_group: str | None = Field(default=None, description="standard, reduced, zero, …")
    cost_price: Decimal | None = None
    unit: str | None = Field(default=None, max_length=16)
    weight: Decimal | None = None
    dimensions: Dimensions | None = None
    min_stock: Decimal | None = None
    reorder_point: Decimal | None = None
    specifications: dict[str, str | int | Decimal] | None = None
    tags: list[str] | None = None
    barcodes: list[str] | None = Field(default=None, description="EAN-8/13, UPC, GTIN-14 or "
                                                                 "internal codes")
    excise: bool | None = None
    customs_code: str | None = Field(default=None, description="UKTZED / NC code")
    age_restriction: int | None = Field(default=None, ge=0, le=25)
    translations: dict[str, Translation] | None = None


class CreateProductIn(_ProductFields):
    sku: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=300)  # type: ignore[assignment]
    category: str = Field(min_length=1, max_length=200)  # type: ignore[assignment]
    price: Decimal  # type: ignore[assignment]
    unit: str = Field(min_length=1, max_length=16)  # type: ignore[assignment]
    stock: Decimal | None = None
    status: Literal["active", "inactive"] | None = None
    index_for_rag: bool = Field(default=True, alias="indexForRAG")


class UpdateProductIn(_ProductFields):
    status: Status | None = None
    reindex_for_rag: bool = Field(default=False, alias="reindexForRAG")


def to_service(body: _ProductFields, *, exclude: set[str]) -> dict[str, Any]:
    """Wire-named values the client actually sent (nulls kept: they clear a field)."""
    data = body.model_dump(by_alias=True, exclude_unset=True, exclude=exclude)
    if "dimensions" in data and data["dimensions"] is not None:
        data["dimensions"] = {k: v for k, v in data["dimensions"].items()}
    if data.get("translations") is not None:
        data["translations"] = {lang: {k: v for k, v in t.items() if v is not None}
                                for lang, t in data["translations"].items()}
    return data


def major(minor: int | None) -> float | None:
    return None if minor is None else minor / 100


def _rate(p: Product, country: str, at: datetime) -> float | None:
    try:
        return float(rate_for(country, p.vat_group, at))
    except TaxError:
        return None


class ProductListItem(Wire):
    id: uuid.UUID
    sku: str
    name: str
    category: str | None
    price: float
    currency: str
    vat_rate: float | None
    vat_group: str
    unit: str
    stock: float
    available_stock: float
    status: str
    has_embedding: bool
    thumbnail_url: str | None
    barcodes: list[str] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime


def _thumb(p: Product) -> str | None:
    images = p.images or []
    primary = next((i for i in images if i.get("isPrimary")), images[0] if images else None)
    return primary.get("url") if primary else None


def list_item(row: ProductRow, *, country: str, at: datetime,
              barcodes: list[str] | None = None) -> ProductListItem:
    p = row.product
    return ProductListItem(
        id=p.id, sku=p.sku, name=p.name, category=p.category, price=p.price / 100,
        currency=p.currency, vat_rate=_rate(p, country, at), vat_group=p.vat_group, unit=p.unit,
        stock=float(row.on_hand), available_stock=float(row.available), status=p.status,
        has_embedding=row.has_embedding, thumbnail_url=_thumb(p), barcodes=barcodes or [],
        created_at=p.created_at, updated_at=p.updated_at)


class EmbeddingInfo(Wire):
    has_embedding: bool
    last_indexed_at: datetime | None
    chunk_count: int
    model: str


class RuleSummary(Wire):
    id: uuid.UUID
    name: str
    type: str
    value: float
    conditions: dict[str, Any]


class ProductDetailOut(Wire):
    id: uuid.UUID
    sku: str
    name: str
    description: str
    short_description: str
    category: str | None
    subcategory: str | None
    price: float
    currency: str
    vat_rate: float | None
    vat_group: str
    price_with_vat: float | None
    cost_price: float | None
    margin: float | None
    stock: float
    reserved_stock: float
    available_stock: float
    min_stock: float
    reorder_point: float
    unit: str
    weight: float | None
    dimensions: dict[str, Any] | None
    images: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    specifications: dict[str, Any]
    embedding: EmbeddingInfo
    status: str
    tags: list[str]
    barcodes: list[str]
    excise: bool
    customs_code: str | None
    age_restriction: int | None
    translations: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    created_by: str
    related_products: list[dict[str, Any]]
    pricing_rules: list[RuleSummary]


def detail(row: ProductRow, *, barcodes: list[str], rules: list[PricingRule], country: str,
           at: datetime) -> ProductDetailOut:
    p = row.product
    rate = _rate(p, country, at)
    with_vat = None
    if rate is not None:
        with_vat = (p.price + vat_from_net(p.price, Decimal(str(rate)))) / 100
    margin = (round((p.price - p.cost_price) / p.price * 100, 2)
              if p.cost_price is not None and p.price else None)
    dims = p.dimensions
    if dims:
        dims = {k: (float(v) if k != "unit" else v) for k, v in dims.items()}
    return ProductDetailOut(
        id=p.id, sku=p.sku, name=p.name, description=p.description or "",
        short_description=p.short_description or "", category=p.category,
        subcategory=p.subcategory, price=p.price / 100, currency=p.currency, vat_rate=rate,
        vat_group=p.vat_group, price_with_vat=with_vat, cost_price=major(p.cost_price),
        margin=margin, stock=float(row.on_hand), reserved_stock=float(row.reserved),
        available_stock=float(row.available), min_stock=float(p.min_stock),
        reorder_point=float(p.reorder_point), unit=p.unit,
        weight=float(p.weight) if p.weight is not None else None, dimensions=dims,
        images=p.images or [], documents=p.documents or [],
        specifications=p.specifications or {},
        embedding=EmbeddingInfo(has_embedding=row.has_embedding,
                                last_indexed_at=row.indexed_at,
                                chunk_count=1 if row.has_embedding else 0, model=MODEL_NAME),
        status=p.status, tags=p.tags or [], barcodes=barcodes, excise=p.excise,
        customs_code=p.customs_code, age_restriction=p.age_restriction,
        translations=p.translations or {}, created_at=p.created_at, updated_at=p.updated_at,
        created_by=p.created_by or "system", related_products=p.related or [],
        pricing_rules=[RuleSummary(id=r.id, name=r.name, type=r.type,
                                   value=float(r.action.get("value", 0)),
                                   conditions={"items": r.conditions, "scope": r.scope})
                       for r in rules])
