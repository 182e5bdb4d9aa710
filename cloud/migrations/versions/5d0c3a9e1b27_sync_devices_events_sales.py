"""Sync: enrolled devices, enrollment codes, the event store, till users; synced sales, lines,
payments, shifts, cash movements and fiscal results.

Revision ID: 5d0c3a9e1b27
Revises:
Create Date: 2026-11-27 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d0c3a9e1b27"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("sync",)
depends_on: str | Sequence[str] | None = ("6c1a7d0e2b94",)  # stores and tills (catalog)

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sales",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("event_seq", sa.BigInteger(), nullable=False),
        sa.Column("shift_id", sa.Uuid(), nullable=False),
        sa.Column("shift_no", sa.Integer(), nullable=False),
        sa.Column("cashier_id", sa.String(length=64), nullable=False),
        sa.Column("cashier_name", sa.String(length=200), nullable=False),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("completed_at", TS, nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("subtotal", sa.BigInteger(), nullable=False),
        sa.Column("discount_total", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("rounding", sa.BigInteger(), nullable=False),
        sa.Column("payable", sa.BigInteger(), nullable=False),
        sa.Column("paid", sa.BigInteger(), nullable=False),
        sa.Column("change", sa.BigInteger(), nullable=False),
        sa.Column("vat_total", sa.BigInteger(), nullable=False),
        sa.Column("excise_total", sa.BigInteger(), nullable=False),
        sa.Column("cash_amount", sa.BigInteger(), nullable=False),
        sa.Column("card_amount", sa.BigInteger(), nullable=False),
        sa.Column("lines_count", sa.Integer(), nullable=False),
        sa.Column("voided_lines", sa.Integer(), nullable=False),
        sa.Column("price_flags", sa.Integer(), nullable=False),
        sa.Column("original_sale_id", sa.Uuid(), nullable=True),
        sa.Column("original_number", sa.String(length=64), nullable=True),
        sa.Column("approved_by", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("till_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales")),
    )
    op.create_index("ix_sales_tenant_date", "sales", ["tenant_id", "business_date"], unique=False)
    op.create_index("ix_sales_tenant_number", "sales", ["tenant_id", "number"], unique=False)
    op.create_index("ix_sales_tenant_shift", "sales", ["tenant_id", "shift_id"], unique=False)
    op.create_index(
        "ix_sales_tenant_store_completed",
        "sales",
        ["tenant_id", "store_id", "completed_at"],
        unique=False,
    )
    op.create_index(
        "ix_sales_tenant_till_completed",
        "sales",
        ["tenant_id", "till_id", "completed_at"],
        unique=False,
    )
    op.create_table(
        "till_cash_movements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("shift_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("approved_by", sa.String(length=64), nullable=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("till_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_till_cash_movements")),
    )
    op.create_index(
        op.f("ix_till_cash_movements_shift_id"), "till_cash_movements", ["shift_id"], unique=False
    )
    op.create_index(
        op.f("ix_till_cash_movements_tenant_id"), "till_cash_movements", ["tenant_id"], unique=False
    )
    op.create_table(
        "till_fiscal_results",
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("document_type", sa.String(length=32), nullable=True),
        sa.Column("receipt_number", sa.String(length=64), nullable=True),
        sa.Column("fiscal_number", sa.String(length=64), nullable=False),
        sa.Column("fiscal_date", TS, nullable=False),
        sa.Column("verification_url", sa.String(length=1000), nullable=True),
        sa.Column("fiscal_device_id", sa.String(length=100), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("recorded_at", TS, nullable=True),
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("till_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_till_fiscal_results")),
    )
    op.create_index(
        op.f("ix_till_fiscal_results_tenant_id"), "till_fiscal_results", ["tenant_id"], unique=False
    )
    op.create_table(
        "till_shifts",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("opened_by", sa.String(length=64), nullable=False),
        sa.Column("opened_by_name", sa.String(length=200), nullable=False),
        sa.Column("opening_float", sa.BigInteger(), nullable=False),
        sa.Column("closed_at", TS, nullable=True),
        sa.Column("closed_by", sa.String(length=64), nullable=True),
        sa.Column("sales_count", sa.Integer(), nullable=True),
        sa.Column("returns_count", sa.Integer(), nullable=True),
        sa.Column("sales_total", sa.BigInteger(), nullable=True),
        sa.Column("returns_total", sa.BigInteger(), nullable=True),
        sa.Column("expected_cash", sa.BigInteger(), nullable=True),
        sa.Column("counted_cash", sa.BigInteger(), nullable=True),
        sa.Column("cash_difference", sa.BigInteger(), nullable=True),
        sa.Column("z_report", sa.JSON(), nullable=True),
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("till_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_till_shifts")),
    )
    op.create_index(
        "ix_till_shifts_tenant_store_opened",
        "till_shifts",
        ["tenant_id", "store_id", "opened_at"],
        unique=False,
    )
    op.create_index(
        "ix_till_shifts_tenant_till_opened",
        "till_shifts",
        ["tenant_id", "till_id", "opened_at"],
        unique=False,
    )
    op.create_table(
        "sale_lines",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("sale_id", sa.Uuid(), nullable=False),
        sa.Column("line_no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=True),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("list_price", sa.BigInteger(), nullable=False),
        sa.Column("base", sa.BigInteger(), nullable=False),
        sa.Column("line_discount", sa.BigInteger(), nullable=False),
        sa.Column("receipt_discount", sa.BigInteger(), nullable=False),
        sa.Column("gross", sa.BigInteger(), nullable=False),
        sa.Column("net", sa.BigInteger(), nullable=False),
        sa.Column("vat", sa.BigInteger(), nullable=False),
        sa.Column("excise", sa.BigInteger(), nullable=False),
        sa.Column("vat_group", sa.String(length=32), nullable=False),
        sa.Column("vat_rate", sa.String(length=12), nullable=False),
        sa.Column("barcode", sa.String(length=64), nullable=True),
        sa.Column("original_line_no", sa.Integer(), nullable=True),
        sa.Column("price_flag", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("sale_id", "line_no", name=op.f("pk_sale_lines")),
    )
    op.create_index("ix_sale_lines_tenant_sku", "sale_lines", ["tenant_id", "sku"], unique=False)
    op.create_table(
        "sale_payments",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("sale_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("tendered", sa.BigInteger(), nullable=True),
        sa.Column("change", sa.BigInteger(), nullable=False),
        sa.Column("rounding", sa.BigInteger(), nullable=False),
        sa.Column("card", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sale_payments")),
    )
    op.create_index(op.f("ix_sale_payments_sale_id"), "sale_payments", ["sale_id"], unique=False)
    op.create_table(
        "sync_till_users",
        sa.Column("store_id", sa.Uuid(), nullable=True),
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", TS, nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_sync_till_users_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_till_users")),
        sa.UniqueConstraint("tenant_id", "login", name=op.f("uq_sync_till_users_tenant_id_login")),
    )
    op.create_index(
        op.f("ix_sync_till_users_tenant_id"), "sync_till_users", ["tenant_id"], unique=False
    )
    op.create_table(
        "sync_devices",
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("till_id", sa.Uuid(), nullable=False),
        sa.Column("device_uid", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("app_version", sa.String(length=32), nullable=False),
        sa.Column("enrolled_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
        sa.Column("revoked_by", sa.String(length=200), nullable=True),
        sa.Column("base_seq", sa.BigInteger(), nullable=False),
        sa.Column("acked_through", sa.BigInteger(), nullable=False),
        sa.Column("max_seq", sa.BigInteger(), nullable=False),
        sa.Column("events_count", sa.BigInteger(), nullable=False),
        sa.Column("last_push_at", TS, nullable=True),
        sa.Column("last_pull_at", TS, nullable=True),
        sa.Column("feed_cursor", sa.String(length=64), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_sync_devices_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["till_id"],
            ["tills.id"],
            name=op.f("fk_sync_devices_till_id_tills"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_devices")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sync_devices_token_hash")),
    )
    op.create_index(op.f("ix_sync_devices_store_id"), "sync_devices", ["store_id"], unique=False)
    op.create_index(op.f("ix_sync_devices_tenant_id"), "sync_devices", ["tenant_id"], unique=False)
    op.create_index(op.f("ix_sync_devices_till_id"), "sync_devices", ["till_id"], unique=False)
    op.create_index(
        "ix_sync_devices_till_uid", "sync_devices", ["till_id", "device_uid"], unique=False
    )
    op.create_table(
        "sync_enrollment_codes",
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("till_id", sa.Uuid(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS, nullable=True),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_sync_enrollment_codes_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["till_id"],
            ["tills.id"],
            name=op.f("fk_sync_enrollment_codes_till_id_tills"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_enrollment_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_sync_enrollment_codes_code_hash")),
    )
    op.create_index(
        op.f("ix_sync_enrollment_codes_tenant_id"),
        "sync_enrollment_codes",
        ["tenant_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_sync_enrollment_codes_till_id"), "sync_enrollment_codes", ["till_id"], unique=False
    )
    op.create_table(
        "sync_events",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("aggregate_id", sa.String(length=100), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "seq", name=op.f("pk_sync_events")),
        sa.UniqueConstraint("event_id", name=op.f("uq_sync_events_event_id")),
    )


def downgrade() -> None:
    op.drop_table("sync_events")
    op.drop_table("sync_enrollment_codes")
    op.drop_table("sync_devices")
    op.drop_table("sync_till_users")
    op.drop_table("sale_payments")
    op.drop_table("sale_lines")
    op.drop_table("till_shifts")
    op.drop_table("till_fiscal_results")
    op.drop_table("till_cash_movements")
    op.drop_table("sales")
