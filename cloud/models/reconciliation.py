"""Reconciliation (seed 002): clients, their users and invites, connectors and jobs.

Every table is tenant-owned. Connector configs are stored only as Fernet tokens
(``config_encrypted``); schedules live in the jobs package's ``job_schedules`` table with
``entity_type = 'recon_client'``. The Tillbridge-sales connector reads the sync service's
``sales`` table.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from cloud.models.base import Base, Email, IdMixin, Name, TenantMixin, TimestampMixin, UTCDateTime

__all__ = [
    "ClientUser",
    "ClientUserStatus",
    "Connector",
    "ReconClient",
    "ReconJob",
    "ReconStatus",
]


class ReconStatus(StrEnum):
    """Where a reconciliation job stands (the seed's words)."""

    PENDING = "PENDING"
    """Queued, not started yet."""
    RUNNING = "RUNNING"
    """A worker is fetching and comparing."""
    RETRYING = "RETRYING"
    """An attempt failed; the next one is scheduled after the backoff."""
    COMPLETED = "COMPLETED"
    """Finished; ``result`` holds the comparison."""
    FAILED = "FAILED"
    """Every attempt failed (or the job cannot run); a manual retry can start it again."""


class ClientUserStatus(StrEnum):
    INVITED = "invited"
    """Invite sent; the token works until ``invite_expires_at``."""
    ACTIVE = "active"
    """The user has access to the client."""


class ReconClient(IdMixin, TenantMixin, TimestampMixin, Base):
    """A shop whose orders are reconciled (an agency's customer, or the tenant itself)."""

    __tablename__ = "recon_clients"

    name: Mapped[str] = mapped_column(Name)
    slug: Mapped[str] = mapped_column(String(100))
    logo_url: Mapped[str | None] = mapped_column(String(2000))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (UniqueConstraint("tenant_id", "slug"),)


class ClientUser(IdMixin, TenantMixin, TimestampMixin, Base):
    """A person's access to one client: an open invite or an active membership.

    ``user_id`` points at the platform's user once known (not a foreign key, so this family
    does not depend on the auth tables' migrations); the invite token is kept only as SHA-256.
    """

    __tablename__ = "recon_client_users"

    client_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("recon_clients.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(Email)
    role: Mapped[str] = mapped_column(String(20), default="viewer")
    status: Mapped[str] = mapped_column(String(20), default=ClientUserStatus.INVITED.value)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    invited_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    invite_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True,
                                                          info={"secret": True})
    invite_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("client_id", "email"),
        CheckConstraint("status IN ('invited', 'active')", name="status"),
        CheckConstraint("role IN ('admin', 'manager', 'viewer')", name="role"),
    )


class Connector(IdMixin, TenantMixin, TimestampMixin, Base):
    """Where a client's orders (backend) or transactions (analytics) come from."""

    __tablename__ = "recon_connectors"

    client_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("recon_clients.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Name)
    connector_type: Mapped[str] = mapped_column(String(20))
    config_encrypted: Mapped[str] = mapped_column(Text, info={"secret": True})
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_tested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_test_ok: Mapped[bool | None] = mapped_column(Boolean)
    last_test_message: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        CheckConstraint("connector_type IN ('ga4', 'shopify', 'woocommerce', 'tillbridge')",
                        name="connector_type"),
    )


class ReconJob(IdMixin, TenantMixin, TimestampMixin, Base):
    """One reconciliation run of a client over a date range, with its retries and result."""

    __tablename__ = "recon_jobs"

    client_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("recon_clients.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=ReconStatus.PENDING.value)
    trigger: Mapped[str] = mapped_column(String(20), default="manual")
    days: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    max_retries: Mapped[int] = mapped_column(Integer, default=3)
    retry_count: Mapped[int] = mapped_column(Integer, default=0)
    manual_retries: Mapped[int] = mapped_column(Integer, default=0)
    queue_job_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    schedule_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, info={"audit": False})
    error_message: Mapped[str | None] = mapped_column(Text)
    history: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list,
                                                          info={"audit": False})
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint(
            "status IN ('PENDING', 'RUNNING', 'RETRYING', 'COMPLETED', 'FAILED')", name="status"),
        CheckConstraint("max_retries BETWEEN 0 AND 5", name="max_retries"),
        CheckConstraint("days BETWEEN 1 AND 366", name="days"),
        CheckConstraint("start_date <= end_date", name="date_range"),
        Index("ix_recon_jobs_tenant_status", "tenant_id", "status"),
    )
