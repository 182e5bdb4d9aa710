"""Stock: locations, levels per product per location, the movement ledger, reservations.

``available = on_hand - reserved``. Levels change only through :mod:`cloud.services.stock`,
which writes a movement for every change and guards against overselling with one atomic
conditional ``UPDATE`` (PostgreSQL re-checks the condition on the committed row version when two
updates race; SQLite has a single writer).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from cloud.models.base import Base, IdMixin, TenantMixin, TimestampMixin, UTCDateTime, utcnow
from cloud.models.catalog import Decimal3

__all__ = ["StockLevel", "StockLocation", "StockMovement", "StockReservation",
           "StockReservationItem"]


class StockLocation(IdMixin, TenantMixin, TimestampMixin, Base):
    """A warehouse or a store's shelf; each tenant has one default location."""

    __tablename__ = "stock_locations"

    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="warehouse")  # warehouse | store
    store_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("stores.id", ondelete="SET NULL"))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("tenant_id", "code"),)


class StockLevel(IdMixin, TenantMixin, Base):
    __tablename__ = "stock_levels"

    product_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("products.id", ondelete="CASCADE"))
    location_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("stock_locations.id", ondelete="CASCADE"))
    on_hand: Mapped[Decimal] = mapped_column(Decimal3, default=Decimal(0))
    reserved: Mapped[Decimal] = mapped_column(Decimal3, default=Decimal(0))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("product_id", "location_id"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        Index("ix_stock_levels_tenant_product", "tenant_id", "product_id"),
    )


class StockMovement(IdMixin, TenantMixin, Base):
    """One change of stock with its reason and reference; the ledger is append-only.

    For ``reservation``/``release`` the quantities are of *available* stock (on hand is
    unchanged); for the other types they are of stock on hand.
    """

    __tablename__ = "stock_movements"

    # No foreign keys and no tenant-only index: the ledger is written for every synced receipt
    # line, and a per-row referential check (a query plus a KEY SHARE lock on the product row,
    # a multixact when two tills push at once) cost more than the row. Products are
    # soft-deleted; their hard delete removes the history explicitly.
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    location_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    type: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[Decimal] = mapped_column(Decimal3)
    previous_stock: Mapped[Decimal] = mapped_column(Decimal3)
    new_stock: Mapped[Decimal] = mapped_column(Decimal3)
    reason: Mapped[str] = mapped_column(String(500), default="")
    reference_type: Mapped[str] = mapped_column(String(32), default="manual")
    reference_id: Mapped[str | None] = mapped_column(String(100))
    reference_name: Mapped[str | None] = mapped_column(String(200))
    created_by_type: Mapped[str] = mapped_column(String(8), default="system")
    created_by_id: Mapped[str] = mapped_column(String(100), default="system")
    created_by_name: Mapped[str] = mapped_column(String(200), default="system")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_stock_movements_tenant_product_created", "tenant_id", "product_id",
              "created_at"),
    )


class StockReservation(IdMixin, TenantMixin, TimestampMixin, Base):
    """Stock held for a negotiation until it expires or is released."""

    __tablename__ = "stock_reservations"

    negotiation_id: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default="active")  # active|released|expired
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    notes: Mapped[str | None] = mapped_column(String(1000))
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        Index("ix_stock_reservations_tenant_status_expires", "tenant_id", "status",
              "expires_at"),
    )


class StockReservationItem(IdMixin, TenantMixin, Base):
    __tablename__ = "stock_reservation_items"

    reservation_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("stock_reservations.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("products.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("stock_locations.id", ondelete="CASCADE"))
    requested: Mapped[Decimal] = mapped_column(Decimal3)
    reserved: Mapped[Decimal] = mapped_column(Decimal3)
