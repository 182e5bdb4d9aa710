"""Tenants: the shops/companies that own every other cloud row."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from cloud.models.base import Base, IdMixin, JSONType, Name, TimestampMixin, UTCDateTime

__all__ = ["Plan", "Tenant", "TenantStatus"]


class Plan(StrEnum):
    """Commercial plan; sets the rate-limit quotas (seed 001 §16.2)."""

    STARTER = "starter"
    PROFESSIONAL = "professional"
    ENTERPRISE = "enterprise"


class TenantStatus(StrEnum):
    ACTIVE = "active"
    """Normal operation."""
    SUSPENDED = "suspended"
    """Nobody of the tenant can authenticate."""


class Tenant(IdMixin, TimestampMixin, Base):
    """A tenant. Not tenant-owned itself, but a scoped session only sees its own row."""

    __tablename__ = "tenants"
    __tenant_key__ = "id"

    name: Mapped[str] = mapped_column(Name)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    company_name: Mapped[str] = mapped_column(Name, default="")
    cui: Mapped[str] = mapped_column(String(32), default="")
    plan: Mapped[str] = mapped_column(String(20), default=Plan.PROFESSIONAL.value)
    plan_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    status: Mapped[str] = mapped_column(String(20), default=TenantStatus.ACTIVE.value)
    # Seed 001 §13.2 sections: branding, regional, defaults, notifications, security, features.
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
