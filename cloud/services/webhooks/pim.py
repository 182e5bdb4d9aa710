"""Seed 000 quality webhooks: one config per shop, stored as a ``pim_quality`` subscription."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cloud.errors import InvalidInput
from cloud.models.webhooks import WebhookSubscription
from cloud.services.webhooks.subscriptions import (
    SubscriptionInput,
    create_subscription,
    update_subscription,
)

__all__ = ["KIND", "get_config", "put_config"]

KIND = "pim_quality"
# Seed 000 quality timeline events (promotions, thresholds, review); "*" subscribes to all.


def get_config(session: Session, *, tenant_id: uuid.UUID) -> WebhookSubscription | None:
    return session.execute(select(WebhookSubscription).where(
        WebhookSubscription.tenant_id == tenant_id, WebhookSubscription.kind == KIND,
    )).scalar_one_or_none()


def put_config(session: Session, *, tenant_id: uuid.UUID, changes: dict[str, Any],
               settings: Any, now: datetime) -> tuple[WebhookSubscription, str | None]:
    """Create or update the shop's config; returns it and a secret generated just now."""
    current = get_config(session, tenant_id=tenant_id)
    status = None
    if "enabled" in changes:
        status = "active" if changes["enabled"] else "paused"
    if current is None:
        if not changes.get("url"):
            raise InvalidInput("url is required to create the webhook config", field="url")
        data = SubscriptionInput(
            name="quality webhooks", url=changes["url"],
            events=list(changes.get("subscribed_events") or ["*"]),
            secret=changes.get("secret") or None, status=status or "active")
        sub, secret = create_subscription(session, tenant_id=tenant_id, data=data,
                                          settings=settings, now=now, kind=KIND)
        return sub, (None if changes.get("secret") else secret)
    update: dict[str, Any] = {}
    if changes.get("url"):
        update["url"] = changes["url"]
    if "subscribed_events" in changes and changes["subscribed_events"] is not None:
        update["events"] = changes["subscribed_events"]
    if status is not None:
        update["status"] = status
    if changes.get("secret"):
        update["secret"] = changes["secret"]
    return update_subscription(session, sub=current, changes=update, settings=settings,
                               now=now), None
