"""Catalog tables: products with barcodes and embeddings, categories, pricing rules, the
tenant's catalog settings, and import/export runs with their files.

Money is integer minor units (``BigInteger``); quantities and percentages are :class:`Decimal3`
(an integer count of thousandths on disk, so SQLite and PostgreSQL compute them exactly and an
atomic ``UPDATE … SET reserved = reserved + :q`` needs no floats).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
    literal,
    text,
    type_coerce,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column

from cloud.models.base import Base, IdMixin, TenantMixin, TimestampMixin, UTCDateTime

__all__ = [
    "CatalogFile",
    "CatalogSettings",
    "CatalogTask",
    "Category",
    "Decimal3",
    "PricingRule",
    "Product",
    "ProductBarcode",
    "ProductEmbedding",
    "Q",
    "available",
]

_SCALE = 1000


class Decimal3(TypeDecorator[Decimal]):
    """A ``Decimal`` with 3 places stored as an integer number of thousandths."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | int | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        scaled = Decimal(value) * _SCALE
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than 3 decimals")
        return int(scaled)

    def process_result_value(self, value: int | None, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)) / _SCALE


def Q(value: Decimal | int) -> Any:
    """A quantity as a SQL literal of :class:`Decimal3` (scaled like the columns it meets)."""
    return literal(Decimal(value), Decimal3)


def available(on_hand: Any, reserved: Any) -> Any:
    """``on_hand - reserved`` typed as :class:`Decimal3`, so results come back as Decimals."""
    return type_coerce(on_hand - reserved, Decimal3)


class Product(IdMixin, TenantMixin, TimestampMixin, Base):
    """A sellable item. Soft-deleted rows keep their id and SKU; tills get a tombstone."""

    __tablename__ = "products"

    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    short_description: Mapped[str | None] = mapped_column(String(1000))
    category: Mapped[str | None] = mapped_column(String(200))
    subcategory: Mapped[str | None] = mapped_column(String(200))
    price: Mapped[int] = mapped_column(BigInteger)  # net, minor units
    currency: Mapped[str] = mapped_column(String(3), default="RON")
    vat_group: Mapped[str] = mapped_column(String(32))
    cost_price: Mapped[int | None] = mapped_column(BigInteger)
    unit: Mapped[str] = mapped_column(String(16))
    weight: Mapped[Decimal | None] = mapped_column(Decimal3)
    dimensions: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    min_stock: Mapped[Decimal] = mapped_column(Decimal3, default=Decimal(0))
    reorder_point: Mapped[Decimal] = mapped_column(Decimal3, default=Decimal(0))
    specifications: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="active")
    excise: Mapped[bool] = mapped_column(Boolean, default=False)
    customs_code: Mapped[str | None] = mapped_column(String(10))  # UKTZED / NC
    age_restriction: Mapped[int | None] = mapped_column(SmallInteger)
    translations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    images: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    related: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Diacritic-folded name/sku/category/tags/description: the full-text index's input.
    search_text: Mapped[str] = mapped_column(Text, default="", info={"audit": False})
    created_by: Mapped[str | None] = mapped_column(String(200))
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "sku"),
        # One product per SKU whatever its case (revision d2f8a61c4e90 explains why).
        Index("uq_products_tenant_sku_lower", "tenant_id", text("lower(sku)"), unique=True),
        Index("ix_products_tenant_status", "tenant_id", "status"),
        Index("ix_products_tenant_category", "tenant_id", "category"),
        Index("ix_products_tenant_price", "tenant_id", "price"),
        Index("ix_products_tenant_name", "tenant_id", "name"),
        Index("ix_products_tenant_created", "tenant_id", "created_at"),
    )


class ProductBarcode(IdMixin, TenantMixin, Base):
    """A code a scanner reads; unique per tenant so a scan finds one product."""

    __tablename__ = "product_barcodes"

    product_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("products.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(48))
    kind: Mapped[str] = mapped_column(String(8))

    __table_args__ = (UniqueConstraint("tenant_id", "code"),)


class ProductEmbedding(TenantMixin, Base):
    """The product's all-MiniLM-L6-v2 vector as 384 little-endian float32 (1536 bytes).

    Why bytes and not pgvector: pgvector is not packaged for PostgreSQL 15 in Debian bookworm;
    cosine similarity runs in numpy over a per-tenant in-memory matrix instead.
    """

    __tablename__ = "product_embeddings"
    __audit__ = False

    product_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("products.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(String(64))
    text_hash: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    indexed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_product_embeddings_tenant_hash", "tenant_id", "text_hash"),
        Index("ix_product_embeddings_tenant_indexed", "tenant_id", "indexed_at"),
    )


class Category(IdMixin, TenantMixin, TimestampMixin, Base):
    """A product category by name, made on first use; pricing scopes may name it by id."""

    __tablename__ = "product_categories"

    name: Mapped[str] = mapped_column(String(200))

    __table_args__ = (UniqueConstraint("tenant_id", "name"),)


class PricingRule(IdMixin, TenantMixin, TimestampMixin, Base):
    """A pricing rule (seed 001 §5.1); conditions, action and scope are JSON documents."""

    __tablename__ = "pricing_rules"

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    type: Mapped[str] = mapped_column(String(16))
    conditions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    action: Mapped[dict[str, Any]] = mapped_column(JSON)
    scope: Mapped[dict[str, Any]] = mapped_column(JSON)
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    approval_threshold: Mapped[Decimal | None] = mapped_column(Decimal3)
    status: Mapped[str] = mapped_column(String(16), default="active")
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    stackable: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (Index("ix_pricing_rules_tenant_status", "tenant_id", "status"),)


class CatalogSettings(IdMixin, TenantMixin, TimestampMixin, Base):
    """Per-tenant catalog policy: VAT country, currency, negative stock, discount thresholds."""

    __tablename__ = "catalog_settings"

    country: Mapped[str] = mapped_column(String(2), default="RO")
    currency: Mapped[str] = mapped_column(String(3), default="RON")
    allow_negative_stock: Mapped[bool] = mapped_column(Boolean, default=False)
    thresholds: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __table_args__ = (UniqueConstraint("tenant_id"),)


class CatalogFile(IdMixin, TenantMixin, Base):
    """An uploaded import file or a finished export, kept in the database until it expires."""

    __tablename__ = "catalog_files"
    __audit__ = False

    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CatalogTask(IdMixin, TenantMixin, TimestampMixin, Base):
    """One import or export run: its options, progress counters and per-row errors.

    The API's ``jobId`` is this row's id; ``queue_job_id`` is the background job running it.
    """

    __tablename__ = "catalog_tasks"

    kind: Mapped[str] = mapped_column(String(16))  # import | export
    status: Mapped[str] = mapped_column(String(16), default="queued")
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    file_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("catalog_files.id", ondelete="SET NULL"))
    result_file_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("catalog_files.id", ondelete="SET NULL"))
    queue_job_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0)
    skipped_count: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    message: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(200))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_catalog_tasks_tenant_kind", "tenant_id", "kind"),)
