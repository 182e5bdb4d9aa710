"""Stores, their tills (fiscal device and printers) and per-store price lists.

Enrollment binds a device to a till; sync serves these rows to tills through the change feed.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from cloud.models.base import Base, IdMixin, TenantMixin, TimestampMixin, UTCDateTime

__all__ = ["Store", "StorePrice", "Till"]


class Store(IdMixin, TenantMixin, TimestampMixin, Base):
    """A shop: where tills stand, whose address and fiscal ids print on receipts."""

    __tablename__ = "stores"

    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    country: Mapped[str] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    fiscal_ids: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="active")
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("tenant_id", "code"),)


class Till(IdMixin, TenantMixin, TimestampMixin, Base):
    """One point of sale in a store, with its fiscal device and printers configuration."""

    __tablename__ = "tills"

    store_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    fiscal_device: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    printers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="active")
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("store_id", "code"),)


class StorePrice(IdMixin, TenantMixin, TimestampMixin, Base):
    """A store's own price for a product (net minor units like ``products.price``; it
    overrides the catalog price while valid)."""

    __tablename__ = "store_prices"

    store_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("products.id", ondelete="CASCADE"), index=True)
    price: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("store_id", "product_id"),)
