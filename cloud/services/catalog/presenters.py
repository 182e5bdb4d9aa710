"""Product rows shaped for the wire (seed 001 §3): list items and details from stored rows, and
the values a create/update body actually sent, in the catalog service's wire-named form.

Money is stored as integer minor units and shown in major units; the VAT rate shown is the one
valid at ``at`` for the product's VAT group (unknown groups show ``null``, never an error).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic.alias_generators import to_camel

from cloud.models.catalog import PricingRule, Product
from cloud.schemas.products import (
    CreateProductIn,
    EmbeddingInfo,
    ProductDetailOut,
    ProductListItem,
    RuleSummary,
    UpdateProductIn,
)
from cloud.services.catalog.listing import ProductRow
from cloud.services.search.embedding import MODEL_NAME
from shared.tax import TaxError, rate_for, vat_from_net

__all__ = ["detail", "list_item", "major", "to_camel", "to_service"]


def to_service(body: CreateProductIn | UpdateProductIn, *, exclude: set[str]) -> dict[str, Any]:
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
