"""Users, API keys and login sessions (refresh-token families)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column

from cloud.models.base import (
    Base,
    Email,
    IdMixin,
    JSONType,
    TenantMixin,
    TimestampMixin,
    UTCDateTime,
    utcnow,
)

__all__ = ["ApiKey", "AuthSession", "RefreshToken", "RevokedToken", "User", "UserStatus"]

_SECRET = {"secret": True}
_QUIET = {"audit": False}


class UserStatus(StrEnum):
    ACTIVE = "active"
    """Can log in."""
    INACTIVE = "inactive"
    """Deactivated (deleted without GDPR erase); cannot log in."""
    INVITED = "invited"
    """Invitation sent, password not chosen yet."""
    SUSPENDED = "suspended"
    """Blocked by an administrator; sessions revoked."""


class User(IdMixin, TimestampMixin, TenantMixin, Base):
    __tablename__ = "users"

    email: Mapped[str] = mapped_column(Email, unique=True)  # lower-cased; one tenant per e-mail
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(32))
    permissions: Mapped[list[str]] = mapped_column(JSONType, default=list)
    status: Mapped[str] = mapped_column(String(16), default=UserStatus.ACTIVE.value)
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None, info=_SECRET)
    mfa_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    mfa_secret: Mapped[str | None] = mapped_column(String(255), default=None, info=_SECRET)
    mfa_pending_secret: Mapped[str | None] = mapped_column(String(255), default=None,
                                                           info=_SECRET)
    mfa_last_step: Mapped[int | None] = mapped_column(Integer, default=None, info=_QUIET)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, info=_QUIET)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None,
                                                          info=_QUIET)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None,
                                                           info=_QUIET)
    invite_token_hash: Mapped[str | None] = mapped_column(String(64), default=None,
                                                          unique=True, info=_SECRET)
    invite_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSONType, default=dict)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email


class ApiKey(IdMixin, TimestampMixin, TenantMixin, Base):
    """A service credential: only its SHA-256 is stored; the key is shown once."""

    __tablename__ = "api_keys"

    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(8))
    hint: Mapped[str] = mapped_column(String(8))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, info=_SECRET)
    scopes: Mapped[list[str]] = mapped_column(JSONType, default=list)
    rate_limit: Mapped[int | None] = mapped_column(Integer, default=None)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None,
                                                          info=_QUIET)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL"), default=None)
    # A service key (made by an admin, on purpose) outlives its creator; any other key is
    # revoked when its creator is deleted or suspended, and refused if that was missed.
    service: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    @property
    def mode(self) -> str:
        return "test" if self.prefix == "sk_test_" else "live"


class AuthSession(IdMixin, TenantMixin, Base):
    """One login on one device: the family of its rotating refresh tokens."""

    __tablename__ = "auth_sessions"
    __audit__ = False

    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    device_id: Mapped[str | None] = mapped_column(String(128), default=None)
    ip: Mapped[str | None] = mapped_column(String(64), default=None)
    user_agent: Mapped[str | None] = mapped_column(String(256), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_reason: Mapped[str | None] = mapped_column(String(32), default=None)


class RefreshToken(IdMixin, TenantMixin, Base):
    """One refresh token of a family; ``used_at`` set once it has been rotated."""

    __tablename__ = "refresh_tokens"
    __audit__ = False

    session_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class RevokedToken(TenantMixin, Base):
    """An access token revoked before its expiry (by ``jti``); purged once expired."""

    __tablename__ = "revoked_tokens"
    __audit__ = False
    __table_args__ = (Index("ix_revoked_tokens_expires_at", "expires_at"),)

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
