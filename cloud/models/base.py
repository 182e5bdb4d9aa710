"""Declarative base, naming convention and the columns every table shares.

Why a naming convention: Alembic migrations must produce the same constraint names on SQLite
and PostgreSQL, or later ALTERs (batch mode on SQLite) cannot find them.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, MetaData, String, TypeDecorator, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.ids import uuid7

__all__ = [
    "Base",
    "IdMixin",
    "JSONType",
    "TenantMixin",
    "TimestampMixin",
    "UTCDateTime",
    "utcnow",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always returned timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store UTC-aware timestamps only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class IdMixin:
    """UUIDv7 primary key: made by whoever creates the row, sortable by creation time."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class TenantMixin:
    """Marks a tenant-owned table; the tenant-scoped session filters on this column.

    ``cloud.tenancy`` adds ``tenant_id = <session tenant>`` to every ORM query touching the
    model and stamps it on insert; writes made with an audit context are recorded in the audit
    log unless the model sets ``__audit__ = False``. Columns with ``info={"secret": True}`` are
    redacted there, columns with ``info={"audit": False}`` are left out.
    """

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)


# JSON documents: JSONB on PostgreSQL (indexable), JSON text on SQLite.
JSONType = JSON().with_variant(JSONB(), "postgresql")

# String lengths used across models, so the same column is the same type everywhere.
Email = String(320)
Name = String(200)
