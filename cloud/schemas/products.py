"""Product bodies (seed 001 §3): create/update, list and detail, import, export and search.

Money travels as decimal numbers in major units (12.5 = 12,50 lei) and is stored as integer
minor units; the VAT rate shown is the one valid today for the product's VAT group.
``cloud.services.catalog.presenters`` builds the list and detail shapes from stored rows.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from cloud.schemas.common import (
    MAX_MONEY,
    MAX_QUANTITY,
    ApiModel,
    Money,
    RequestModel,
    json_bounded,
)

__all__ = [
    "Chunk",
    "CreateProductIn",
    "Dimensions",
    "EmbeddingInfo",
    "ExportFilters",
    "ExportIn",
    "ExportStatus",
    "ImportError_",
    "ImportStatus",
    "ProductCreated",
    "ProductDetailOut",
    "ProductListItem",
    "ProductUpdated",
    "RuleSummary",
    "SearchFiltersIn",
    "SearchHitOut",
    "SearchIn",
    "SearchOut",
    "Translation",
    "UpdateProductIn",
]

_CAMEL = ConfigDict(alias_generator=to_camel, validate_by_name=True, validate_by_alias=True,
                    serialize_by_alias=True)


class Wire(BaseModel):
    model_config = _CAMEL


class WireIn(RequestModel):
    """Product request bodies: unknown fields and NUL characters refused (naming the field)."""

    model_config = ConfigDict(**_CAMEL, extra="forbid")


Status = Literal["active", "inactive", "discontinued"]
# Bounds as ``cloud.services.catalog.validation`` holds imported rows; the schema states them
# so a client (and a fuzzer) sees them, and huge numbers never reach the parsers.
# Only the magnitude is bounded here; the sign (zero or more) is checked by the validation
# with the other field rules, so one answer lists every bad field of a product.
Quantity = Annotated[Decimal, Field(gt=-MAX_QUANTITY, lt=MAX_QUANTITY)]
ProductMoney = Annotated[Decimal, Field(ge=-MAX_MONEY, le=MAX_MONEY)]
Length = Annotated[Decimal, Field(ge=0, le=Decimal(10) ** 6)]
SpecValue = str | int | Decimal
Specifications = Annotated[dict[Annotated[str, Field(max_length=100)], SpecValue],
                           Field(max_length=500),
                           json_bounded(max_bytes=64 * 1024, max_depth=2, max_keys=500)]


class Dimensions(WireIn):
    length: Length
    width: Length
    height: Length
    unit: Literal["cm", "m"] = "cm"


class Translation(WireIn):
    name: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=20_000)
    short_description: str | None = Field(default=None, max_length=1000)


class _ProductFields(WireIn):
    name: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=20_000)
    short_description: str | None = Field(default=None, max_length=1000)
    category: str | None = Field(default=None, max_length=200)
    subcategory: str | None = Field(default=None, max_length=200)
    price: ProductMoney | None = None
    currency: str | None = Field(default=None, max_length=3, description="RON, EUR or UAH")
    vat_rate: Decimal | None = Field(default=None, ge=0, le=100, description=(
        "VAT % valid today in the tenant's country (Romania: 21, 11, 9, 0 since 2025-08-01)"))
    vat_group: str | None = Field(default=None, max_length=32,
                                  description="standard, reduced, zero, …")
    cost_price: ProductMoney | None = None
    unit: str | None = Field(default=None, max_length=16)
    weight: Quantity | None = None
    dimensions: Dimensions | None = None
    min_stock: Quantity | None = None
    reorder_point: Quantity | None = None
    specifications: Specifications | None = Field(
        default=None, description="name → text or number; at most 500 keys and 64 KiB")
    tags: list[Annotated[str, Field(max_length=50)]] | None = Field(default=None, max_length=50)
    barcodes: list[Annotated[str, Field(max_length=48)]] | None = Field(
        default=None, max_length=20, description="EAN-8/13, UPC, GTIN-14 or internal codes")
    excise: bool | None = None
    customs_code: str | None = Field(default=None, max_length=16, description="UKTZED / NC code")
    age_restriction: int | None = Field(default=None, ge=0, le=25)
    translations: dict[Annotated[str, Field(max_length=5)], Translation] | None = Field(
        default=None, max_length=20)


class CreateProductIn(_ProductFields):
    sku: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=300)
    category: str = Field(min_length=1, max_length=200)
    price: ProductMoney
    unit: str = Field(min_length=1, max_length=16)
    stock: Quantity | None = None
    status: Literal["active", "inactive"] | None = None
    index_for_rag: bool = Field(default=True, alias="indexForRAG")


class UpdateProductIn(_ProductFields):
    status: Status | None = None
    reindex_for_rag: bool = Field(default=False, alias="reindexForRAG")


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


class ProductCreated(ApiModel):
    id: uuid.UUID
    sku: str
    name: str
    status: str
    rag_index_job_id: uuid.UUID | None = Field(default=None, alias="ragIndexJobId")
    created_at: Any


class ProductUpdated(ApiModel):
    id: uuid.UUID
    sku: str
    name: str
    status: str
    rag_reindex_job_id: uuid.UUID | None = Field(default=None, alias="ragReindexJobId")
    updated_at: Any
    changed_fields: list[str]


class ImportError_(ApiModel):
    row: int
    column: str
    field: str
    code: str
    message: str


class ImportStatus(ApiModel):
    job_id: uuid.UUID
    status: str
    dry_run: bool
    mode: str
    total_rows: int
    processed_rows: int
    created_count: int
    updated_count: int
    unchanged_count: int
    skipped_count: int
    error_count: int
    errors: list[ImportError_]
    message: str | None = None


class ExportFilters(RequestModel):
    category: str | None = Field(default=None, max_length=200)
    status: str | None = Field(default=None, max_length=32)
    ids: list[uuid.UUID] | None = Field(default=None, max_length=10_000)


class ExportIn(RequestModel):
    format: Literal["csv", "xlsx", "json"] = "csv"
    filters: ExportFilters | None = None
    fields: list[Annotated[str, Field(max_length=64)]] | None = Field(default=None,
                                                                      max_length=100)
    include_images: bool = False


class ExportStatus(ApiModel):
    job_id: uuid.UUID
    status: str
    download_url: str | None = None
    expires_at: Any = None
    total_rows: int = 0


class SearchFiltersIn(RequestModel):
    category: str | None = Field(default=None, max_length=200)
    min_price: Money | None = None
    max_price: Money | None = None
    in_stock: bool | None = None
    status: Literal["active", "inactive"] | None = None


class SearchIn(RequestModel):
    query: str = Field(min_length=1, max_length=500)
    search_type: Literal["hybrid", "semantic", "keyword"] = "hybrid"
    limit: int = Field(default=10, ge=1, le=50)
    threshold: float | None = Field(default=None, ge=0, le=1)
    filters: SearchFiltersIn | None = None
    include_chunks: bool = False
    include_embedding: bool = Field(default=False, description="return queryEmbedding")


class Chunk(ApiModel):
    text: str
    score: float
    highlight: str


class SearchHitOut(ApiModel):
    product: ProductListItem
    score: float
    match_type: str
    matched_fields: list[str]
    matched_chunks: list[Chunk] | None = None


class SearchOut(ApiModel):
    results: list[SearchHitOut]
    total_found: int
    query_embedding: list[float] | None = None
    search_time: float
