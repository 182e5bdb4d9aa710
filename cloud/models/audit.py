"""The audit log: who changed what, from where, in which request."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from cloud.models.base import Base, Email, IdMixin, JSONType, Name, TenantMixin, UTCDateTime, utcnow

__all__ = ["AuditLog"]


class AuditLog(IdMixin, TenantMixin, Base):
    __tablename__ = "audit_log"
    __audit__ = False
    __table_args__ = (
        Index("ix_audit_log_tenant_created", "tenant_id", "created_at"),
        Index("ix_audit_log_tenant_entity", "tenant_id", "entity_type", "entity_id"),
    )

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_type: Mapped[str] = mapped_column(String(16))  # user | api_key | system
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None, index=True)
    actor_email: Mapped[str | None] = mapped_column(Email, default=None)
    actor_name: Mapped[str | None] = mapped_column(Name, default=None)
    action: Mapped[str] = mapped_column(String(64), index=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64), default=None)
    changes: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONType, default=None)
    ip_address: Mapped[str | None] = mapped_column(String(64), default=None)
    user_agent: Mapped[str | None] = mapped_column(String(256), default=None)
    session_id: Mapped[str | None] = mapped_column(String(64), default=None)
    request_id: Mapped[str | None] = mapped_column(String(64), default=None)
