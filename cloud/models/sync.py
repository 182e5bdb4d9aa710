"""Sync tables: enrolled till devices, one-time enrollment codes, the event store, till users.

``sync_events`` is the cloud's copy of every till's outbox: primary key ``(device_id, seq)`` and
``UNIQUE(event_id)``, so an event is stored at most once however often it is sent. Rows are
written by :mod:`cloud.services.sync.push` with Core statements in the same transaction as
their projection into the sales tables (:mod:`cloud.models.sales`).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from cloud.models.base import Base, IdMixin, TenantMixin, TimestampMixin, UTCDateTime

__all__ = ["SyncDevice", "SyncEnrollmentCode", "SyncEvent", "TillUser"]


class SyncDevice(IdMixin, TenantMixin, TimestampMixin, Base):
    """An enrolled till installation and where its event stream stands.

    ``acked_through`` is the highest seq up to which every event is stored (the answer to a
    push); ``max_seq`` the highest seq stored at all (above it, or between, are gaps).
    """

    __tablename__ = "sync_devices"

    store_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    till_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("tills.id", ondelete="CASCADE"), index=True)
    device_uid: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, info={"secret": True})
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | revoked
    app_version: Mapped[str] = mapped_column(String(32), default="")
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(200))
    base_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    acked_through: Mapped[int] = mapped_column(BigInteger, default=0, info={"audit": False})
    max_seq: Mapped[int] = mapped_column(BigInteger, default=0, info={"audit": False})
    events_count: Mapped[int] = mapped_column(BigInteger, default=0, info={"audit": False})
    last_push_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info={"audit": False})
    last_pull_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info={"audit": False})
    feed_cursor: Mapped[str | None] = mapped_column(String(64), info={"audit": False})

    __table_args__ = (Index("ix_sync_devices_till_uid", "till_id", "device_uid"),)


class SyncEnrollmentCode(IdMixin, TenantMixin, Base):
    """A one-time code the back office hands to whoever sets up a till (hash stored only)."""

    __tablename__ = "sync_enrollment_codes"

    store_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("stores.id", ondelete="CASCADE"))
    till_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("tills.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True, info={"secret": True})
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_by: Mapped[str | None] = mapped_column(String(200))


class SyncEvent(TenantMixin, Base):
    """One till event, stored exactly once."""

    __tablename__ = "sync_events"
    __audit__ = False

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid)  # composite indexes lead with it

    device_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)  # devices are kept
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    type: Mapped[str] = mapped_column(String(64))
    aggregate_id: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    content_hash: Mapped[str] = mapped_column(String(64))
    batch_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Set when the event claimed a document of another tenant or till: kept, never projected
    # (see cloud.services.sales.claims for the reasons).
    refused: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (
        Index("ix_sync_events_tenant_refused", "tenant_id", "received_at",
              postgresql_where=text("refused IS NOT NULL"),
              sqlite_where=text("refused IS NOT NULL")),
    )


class TillUser(IdMixin, TenantMixin, TimestampMixin, Base):
    """A cashier or store manager who logs in on tills with a PIN (argon2id hash).

    ``store_id`` None: the user may log in at every store's tills. Tills receive the row (with
    the PIN hash, never the PIN) through the change feed.
    """

    __tablename__ = "sync_till_users"

    store_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("stores.id", ondelete="CASCADE"))
    login: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # cashier | store_manager
    pin_hash: Mapped[str] = mapped_column(String(200), info={"secret": True})
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("tenant_id", "login"),)
