"""Outgoing webhook subscriptions (seed 001 §14, seed 000 quality webhooks) and their history.

One table serves both families: ``kind`` is ``api`` for §14 subscriptions and ``pim_quality``
for the one quality-webhook config a shop has. Every delivery attempt is a history row.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, Integer, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from cloud.models.base import Base, IdMixin, Name, TenantMixin, TimestampMixin, UTCDateTime

__all__ = ["WebhookDelivery", "WebhookEventRetry", "WebhookSubscription"]


class WebhookSubscription(IdMixin, TenantMixin, TimestampMixin, Base):
    """Where to POST which events, and how to authenticate and retry."""

    __tablename__ = "webhook_subscriptions"

    kind: Mapped[str] = mapped_column(String(20), default="api")
    name: Mapped[str] = mapped_column(Name)
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="active")
    # HMAC signing secret and auth credentials, Fernet-encrypted (never returned after creation).
    secret_enc: Mapped[str] = mapped_column(Text, info={"secret": True})
    auth_type: Mapped[str] = mapped_column(String(10), default="hmac")
    auth_enc: Mapped[str | None] = mapped_column(Text, info={"secret": True})
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    retry_policy: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    custom_headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        CheckConstraint("kind IN ('api', 'pim_quality')", name="kind"),
        CheckConstraint("status IN ('active', 'paused', 'failed')", name="status"),
        CheckConstraint("auth_type IN ('none', 'basic', 'bearer', 'hmac')", name="auth_type"),
        # A shop has at most one quality-webhook config.
        Index("uq_webhook_subscriptions_pim", "tenant_id", unique=True,
              postgresql_where=text("kind = 'pim_quality'"),
              sqlite_where=text("kind = 'pim_quality'")),
    )


class WebhookDelivery(IdMixin, TenantMixin, Base):
    """One attempt to deliver one event to one subscription (``id`` is the delivery id).

    ``event_id`` is the payload's ``id``; it stays the same across attempts and manual retries
    so a receiver can de-duplicate.
    """

    __tablename__ = "webhook_deliveries"
    __audit__ = False  # history rows, written by workers

    subscription_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    event_type: Mapped[str] = mapped_column(String(100))
    job_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    max_attempts: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    url: Mapped[str] = mapped_column(String(2000))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    http_status: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    response_excerpt: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'success', 'failed')", name="status"),
        Index("ix_webhook_deliveries_sub_requested", "subscription_id", "requested_at"),
    )


class WebhookEventRetry(TenantMixin, Base):
    """Last manual retry of an event, so "1 per minute per event" holds across processes."""

    __tablename__ = "webhook_event_retries"
    __audit__ = False

    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    last_retry_at: Mapped[datetime] = mapped_column(UTCDateTime)
