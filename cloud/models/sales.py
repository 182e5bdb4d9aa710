"""What tills sold, as projected from their synced events: receipts (sales and returns) with
lines and payments, shifts with their Z totals, service cash movements and fiscal results.

Rows are immutable facts from the till: the cloud never edits them, it only adds what arrives.
Lines and payments carry their receipt's id without a foreign key: they are written in the same
statement as the receipt and never deleted, and a per-row constraint check would cost the push
path more than all its indexes.
Ids are the till's own UUIDv7s, so a re-sent fact lands on the same row. Amounts are positive
integer minor units (``kind`` tells a sale from a return); quantities are :class:`Decimal3`.
Stock effects go to the stock ledger (``stock_movements`` with ``reference_type`` ``sale`` or
``return``), as deltas.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    Index,
    Integer,
    String,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from cloud.models.base import Base, TenantMixin, UTCDateTime
from cloud.models.catalog import Decimal3

__all__ = ["Sale", "SaleLine", "SalePayment", "TillCashMovement", "TillFiscalResult",
           "TillShift"]


class _Origin(TenantMixin):
    """Where a fact comes from."""

    store_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    till_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    device_id: Mapped[uuid.UUID] = mapped_column(Uuid)


class Sale(_Origin, Base):
    """A completed receipt: a sale or a return."""

    __tablename__ = "sales"
    __audit__ = False

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid)  # composite indexes lead with it

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # sale | return
    number: Mapped[str] = mapped_column(String(64))
    event_seq: Mapped[int] = mapped_column(BigInteger)
    shift_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    shift_no: Mapped[int] = mapped_column(Integer)
    cashier_id: Mapped[str] = mapped_column(String(64))
    cashier_name: Mapped[str] = mapped_column(String(200))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    business_date: Mapped[date] = mapped_column(Date)
    country: Mapped[str] = mapped_column(String(2))
    currency: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[int] = mapped_column(BigInteger)
    discount_total: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    rounding: Mapped[int] = mapped_column(BigInteger)
    payable: Mapped[int] = mapped_column(BigInteger)
    paid: Mapped[int] = mapped_column(BigInteger)
    change: Mapped[int] = mapped_column(BigInteger)
    vat_total: Mapped[int] = mapped_column(BigInteger)
    excise_total: Mapped[int] = mapped_column(BigInteger)
    cash_amount: Mapped[int] = mapped_column(BigInteger)
    """Cash that stayed in the drawer (cash paid minus change; refunded cash on returns)."""
    card_amount: Mapped[int] = mapped_column(BigInteger)
    lines_count: Mapped[int] = mapped_column(Integer)
    voided_lines: Mapped[int] = mapped_column(Integer)
    price_flags: Mapped[int] = mapped_column(Integer)
    """Lines whose price differs from the cloud's (overridden or stale): flagged, not refused."""
    original_sale_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    original_number: Mapped[str | None] = mapped_column(String(64))
    approved_by: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(String(500))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_sales_tenant_store_completed", "tenant_id", "store_id", "completed_at"),
        Index("ix_sales_tenant_till_completed", "tenant_id", "till_id", "completed_at"),
        Index("ix_sales_tenant_date", "tenant_id", "business_date"),
        Index("ix_sales_tenant_shift", "tenant_id", "shift_id"),
        Index("ix_sales_tenant_number", "tenant_id", "number"),
    )


class SaleLine(TenantMixin, Base):
    __tablename__ = "sale_lines"
    __audit__ = False

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid)  # composite indexes lead with it

    sale_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    product_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    """The cloud product with this SKU when the line arrived (None: unknown to the cloud)."""
    unit: Mapped[str] = mapped_column(String(8))
    quantity: Mapped[Decimal] = mapped_column(Decimal3)
    unit_price: Mapped[int] = mapped_column(BigInteger)
    list_price: Mapped[int] = mapped_column(BigInteger)
    base: Mapped[int] = mapped_column(BigInteger)
    line_discount: Mapped[int] = mapped_column(BigInteger)
    receipt_discount: Mapped[int] = mapped_column(BigInteger)
    gross: Mapped[int] = mapped_column(BigInteger)
    net: Mapped[int] = mapped_column(BigInteger)
    vat: Mapped[int] = mapped_column(BigInteger)
    excise: Mapped[int] = mapped_column(BigInteger)
    vat_group: Mapped[str] = mapped_column(String(32))
    vat_rate: Mapped[str] = mapped_column(String(12))
    barcode: Mapped[str | None] = mapped_column(String(64))
    original_line_no: Mapped[int | None] = mapped_column(Integer)
    price_flag: Mapped[str | None] = mapped_column(String(16))  # override | mismatch

    __table_args__ = (Index("ix_sale_lines_tenant_sku", "tenant_id", "sku"),)


class SalePayment(TenantMixin, Base):
    __tablename__ = "sale_payments"
    __audit__ = False

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid)  # composite indexes lead with it

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sale_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(BigInteger)
    tendered: Mapped[int | None] = mapped_column(BigInteger)
    change: Mapped[int] = mapped_column(BigInteger)
    rounding: Mapped[int] = mapped_column(BigInteger)
    card: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """Brand, masked PAN, RRN, auth code, terminal (never the full card number)."""


class TillShift(_Origin, Base):
    """A cashier shift: opened, and once closed, its Z totals."""

    __tablename__ = "till_shifts"
    __audit__ = False

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid)  # composite indexes lead with it

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(8))  # open | closed
    currency: Mapped[str] = mapped_column(String(3))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_by: Mapped[str] = mapped_column(String(64))
    opened_by_name: Mapped[str] = mapped_column(String(200))
    opening_float: Mapped[int] = mapped_column(BigInteger)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(64))
    sales_count: Mapped[int | None] = mapped_column(Integer)
    returns_count: Mapped[int | None] = mapped_column(Integer)
    sales_total: Mapped[int | None] = mapped_column(BigInteger)
    returns_total: Mapped[int | None] = mapped_column(BigInteger)
    expected_cash: Mapped[int | None] = mapped_column(BigInteger)
    counted_cash: Mapped[int | None] = mapped_column(BigInteger)
    cash_difference: Mapped[int | None] = mapped_column(BigInteger)
    z_report: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __table_args__ = (
        Index("ix_till_shifts_tenant_store_opened", "tenant_id", "store_id", "opened_at"),
        Index("ix_till_shifts_tenant_till_opened", "tenant_id", "till_id", "opened_at"),
    )


class TillCashMovement(_Origin, Base):
    """A service cash in/out."""

    __tablename__ = "till_cash_movements"
    __audit__ = False

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    shift_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(4))  # in | out
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(String(500))
    user_id: Mapped[str] = mapped_column(String(64))
    approved_by: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class TillFiscalResult(_Origin, Base):
    """What the fiscal device answered for a receipt, a cash movement or a Z report."""

    __tablename__ = "till_fiscal_results"
    __audit__ = False

    document_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_type: Mapped[str | None] = mapped_column(String(32))
    receipt_number: Mapped[str | None] = mapped_column(String(64))
    fiscal_number: Mapped[str] = mapped_column(String(64))
    fiscal_date: Mapped[datetime] = mapped_column(UTCDateTime)
    verification_url: Mapped[str | None] = mapped_column(String(1000))
    fiscal_device_id: Mapped[str | None] = mapped_column(String(100))
    extra: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
