"""Reconciliation (seed 002): clients, client users/invites, connectors, jobs.

Revision ID: 3e2613a7ffdb
Revises:
Create Date: 2026-11-27 13:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3e2613a7ffdb"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("reconciliation",)
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _base(with_timestamps: bool = True) -> list[sa.Column]:
    cols = [sa.Column("id", sa.Uuid(), nullable=False),
            sa.Column("tenant_id", sa.Uuid(), nullable=False)]
    if with_timestamps:
        cols += [sa.Column("created_at", TS, nullable=False),
                 sa.Column("updated_at", TS, nullable=False)]
    return cols


def _client_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["client_id"], ["recon_clients.id"], ondelete="CASCADE",
                                   name=op.f(f"fk_{table}_client_id_recon_clients"))


def upgrade() -> None:
    op.create_table(
        "recon_clients",
        *_base(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("slug", sa.String(100), nullable=False),
        sa.Column("logo_url", sa.String(2000), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recon_clients")),
        sa.UniqueConstraint("tenant_id", "slug", name=op.f("uq_recon_clients_tenant_id_slug")),
    )
    op.create_index(op.f("ix_recon_clients_tenant_id"), "recon_clients", ["tenant_id"])

    op.create_table(
        "recon_client_users",
        *_base(),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("invited_by", sa.Uuid(), nullable=True),
        sa.Column("invite_token_hash", sa.String(64), nullable=True),
        sa.Column("invite_expires_at", TS, nullable=True),
        sa.Column("accepted_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recon_client_users")),
        _client_fk("recon_client_users"),
        sa.UniqueConstraint("client_id", "email",
                            name=op.f("uq_recon_client_users_client_id_email")),
        sa.UniqueConstraint("invite_token_hash",
                            name=op.f("uq_recon_client_users_invite_token_hash")),
        sa.CheckConstraint("status IN ('invited', 'active')",
                           name=op.f("ck_recon_client_users_status")),
        sa.CheckConstraint("role IN ('admin', 'manager', 'viewer')",
                           name=op.f("ck_recon_client_users_role")),
    )
    op.create_index(op.f("ix_recon_client_users_tenant_id"), "recon_client_users", ["tenant_id"])
    op.create_index(op.f("ix_recon_client_users_client_id"), "recon_client_users", ["client_id"])
    op.create_index(op.f("ix_recon_client_users_user_id"), "recon_client_users", ["user_id"])

    op.create_table(
        "recon_connectors",
        *_base(),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("connector_type", sa.String(20), nullable=False),
        sa.Column("config_encrypted", sa.Text(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("last_tested_at", TS, nullable=True),
        sa.Column("last_test_ok", sa.Boolean(), nullable=True),
        sa.Column("last_test_message", sa.String(500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recon_connectors")),
        _client_fk("recon_connectors"),
        sa.CheckConstraint("connector_type IN ('ga4', 'shopify', 'woocommerce', 'tillbridge')",
                           name=op.f("ck_recon_connectors_connector_type")),
    )
    op.create_index(op.f("ix_recon_connectors_tenant_id"), "recon_connectors", ["tenant_id"])
    op.create_index(op.f("ix_recon_connectors_client_id"), "recon_connectors", ["client_id"])

    op.create_table(
        "recon_jobs",
        *_base(),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("trigger", sa.String(20), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("max_retries", sa.Integer(), nullable=False),
        sa.Column("retry_count", sa.Integer(), nullable=False),
        sa.Column("manual_retries", sa.Integer(), nullable=False),
        sa.Column("queue_job_id", sa.Uuid(), nullable=True),
        sa.Column("schedule_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("started_at", TS, nullable=True),
        sa.Column("finished_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recon_jobs")),
        _client_fk("recon_jobs"),
        sa.CheckConstraint(
            "status IN ('PENDING', 'RUNNING', 'RETRYING', 'COMPLETED', 'FAILED')",
            name=op.f("ck_recon_jobs_status")),
        sa.CheckConstraint("max_retries BETWEEN 0 AND 5", name=op.f("ck_recon_jobs_max_retries")),
        sa.CheckConstraint("days BETWEEN 1 AND 366", name=op.f("ck_recon_jobs_days")),
        sa.CheckConstraint("start_date <= end_date", name=op.f("ck_recon_jobs_date_range")),
    )
    op.create_index(op.f("ix_recon_jobs_tenant_id"), "recon_jobs", ["tenant_id"])
    op.create_index(op.f("ix_recon_jobs_client_id"), "recon_jobs", ["client_id"])
    op.create_index(op.f("ix_recon_jobs_queue_job_id"), "recon_jobs", ["queue_job_id"])
    op.create_index("ix_recon_jobs_tenant_status", "recon_jobs", ["tenant_id", "status"])


def downgrade() -> None:
    op.drop_table("recon_jobs")
    op.drop_table("recon_connectors")
    op.drop_table("recon_client_users")
    op.drop_table("recon_clients")
