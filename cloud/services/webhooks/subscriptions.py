"""Webhook subscriptions (seed 001 §14) and publishing events to them as delivery jobs.

Publishing happens in the caller's transaction: the business change, the pending history row
and the delivery job commit together, so an event is never lost or sent for a rolled-back
change. Secrets are Fernet-encrypted at rest and returned only by :func:`create_subscription`.
"""

from __future__ import annotations

import fnmatch
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from cloud.crypto import box_from_settings
from cloud.errors import NotFound
from cloud.integrations.outbound import OutboundPolicy
from cloud.jobs import repository as jobs_repo
from cloud.models.tenancy import Tenant
from cloud.models.webhooks import WebhookDelivery, WebhookSubscription
from cloud.services.webhooks.delivery import DELIVER_TASK, QUEUE
from cloud.services.webhooks.signing import new_secret
from shared.ids import uuid7

__all__ = [
    "DEFAULT_RETRY_POLICY",
    "Published",
    "Stats",
    "SubscriptionInput",
    "create_subscription",
    "delete_subscription",
    "enqueue_delivery",
    "event_matches",
    "get_subscription",
    "list_subscriptions",
    "publish_event",
    "update_subscription",
]

DEFAULT_RETRY_POLICY = {"maxRetries": 3, "retryDelay": 2000, "backoffMultiplier": 2}


@dataclass(frozen=True)
class SubscriptionInput:
    """A subscription as the API accepts it (already validated for shape)."""

    name: str
    url: str
    events: list[str]
    auth_type: str = "hmac"
    username: str | None = None
    password: str | None = None
    token: str | None = None
    secret: str | None = None
    filters: dict[str, Any] = field(default_factory=dict)
    retry_policy: dict[str, Any] = field(default_factory=dict)
    custom_headers: dict[str, str] = field(default_factory=dict)
    status: str = "active"


@dataclass(frozen=True)
class Stats:
    total: int = 0
    success_rate: float = 0.0
    last_delivery: datetime | None = None
    last_status: int | None = None


@dataclass(frozen=True)
class Published:
    subscription_id: uuid.UUID
    event_id: uuid.UUID
    delivery_id: uuid.UUID
    job_id: uuid.UUID


def _auth_blob(data: SubscriptionInput) -> dict[str, str] | None:
    if data.auth_type == "basic":
        return {"username": data.username or "", "password": data.password or ""}
    if data.auth_type == "bearer":
        return {"token": data.token or ""}
    return None


def create_subscription(session: Session, *, tenant_id: uuid.UUID, data: SubscriptionInput,
                        settings: Any, now: datetime,
                        kind: str = "api") -> tuple[WebhookSubscription, str]:
    """Create a subscription; returns it and its signing secret (the only time it is shown)."""
    OutboundPolicy.from_settings(settings).check(data.url)
    box = box_from_settings(settings)
    secret = data.secret or new_secret()
    auth = _auth_blob(data)
    sub = WebhookSubscription(
        id=uuid7(), tenant_id=tenant_id, kind=kind, name=data.name, url=data.url,
        events=list(dict.fromkeys(data.events)), status=data.status,
        secret_enc=box.encrypt(secret.encode("utf-8")), auth_type=data.auth_type,
        auth_enc=box.encrypt_json(auth) if auth else None, filters=dict(data.filters),
        retry_policy={**DEFAULT_RETRY_POLICY, **data.retry_policy},
        custom_headers=dict(data.custom_headers), consecutive_failures=0,
        created_at=now, updated_at=now,
    )
    session.add(sub)
    session.flush()
    return sub, secret


def get_subscription(session: Session, *, tenant_id: uuid.UUID, subscription_id: uuid.UUID,
                     kind: str = "api") -> WebhookSubscription:
    sub = session.execute(select(WebhookSubscription).where(
        WebhookSubscription.id == subscription_id, WebhookSubscription.tenant_id == tenant_id,
        WebhookSubscription.kind == kind)).scalar_one_or_none()
    if sub is None:
        raise NotFound("Webhook not found")
    return sub


def update_subscription(session: Session, *, sub: WebhookSubscription, changes: dict[str, Any],
                        settings: Any, now: datetime) -> WebhookSubscription:
    """Apply the fields present in ``changes`` (seed 001 §14.3: all optional)."""
    if "url" in changes:
        OutboundPolicy.from_settings(settings).check(changes["url"])
        sub.url = changes["url"]
    if "name" in changes:
        sub.name = changes["name"]
    if "events" in changes:
        sub.events = list(dict.fromkeys(changes["events"]))
    if "status" in changes:
        sub.status = changes["status"]
        if changes["status"] == "active":
            sub.consecutive_failures = 0
    if "filters" in changes:
        sub.filters = dict(changes["filters"] or {})
    if "retry_policy" in changes:
        sub.retry_policy = {**DEFAULT_RETRY_POLICY, **(changes["retry_policy"] or {})}
    if "custom_headers" in changes:
        sub.custom_headers = dict(changes["custom_headers"] or {})
    box = box_from_settings(settings)
    if "auth" in changes:
        data: SubscriptionInput = changes["auth"]
        sub.auth_type = data.auth_type
        blob = _auth_blob(data)
        sub.auth_enc = box.encrypt_json(blob) if blob else None
        if data.secret:
            sub.secret_enc = box.encrypt(data.secret.encode("utf-8"))
    if changes.get("secret"):
        sub.secret_enc = box.encrypt(str(changes["secret"]).encode("utf-8"))
    sub.updated_at = now
    session.flush()
    return sub


def delete_subscription(session: Session, *, sub: WebhookSubscription) -> None:
    """Delete the subscription; pending deliveries fail permanently when they run."""
    session.delete(sub)
    session.flush()


def list_subscriptions(session: Session, *, tenant_id: uuid.UUID,
                       kind: str = "api") -> list[tuple[WebhookSubscription, Stats]]:
    subs = list(session.execute(select(WebhookSubscription).where(
        WebhookSubscription.tenant_id == tenant_id, WebhookSubscription.kind == kind,
    ).order_by(WebhookSubscription.created_at, WebhookSubscription.id)).scalars())
    stats = delivery_stats(session, tenant_id=tenant_id, ids=[s.id for s in subs])
    return [(s, stats.get(s.id, Stats())) for s in subs]


def delivery_stats(session: Session, *, tenant_id: uuid.UUID,
                   ids: list[uuid.UUID]) -> dict[uuid.UUID, Stats]:
    """Finished attempts per subscription: count, share of successes, latest attempt."""
    if not ids:
        return {}
    d = WebhookDelivery
    done = d.status.in_(("success", "failed"))
    rows = session.execute(
        select(d.subscription_id, func.count(), func.sum(case((d.status == "success", 1),
                                                              else_=0)),
               func.max(d.requested_at))
        .where(d.tenant_id == tenant_id, d.subscription_id.in_(ids), done)
        .group_by(d.subscription_id)).all()
    out: dict[uuid.UUID, Stats] = {}
    for sub_id, total, ok, last in rows:
        last_status = session.execute(
            select(d.http_status).where(d.subscription_id == sub_id, d.tenant_id == tenant_id,
                                        done)
            .order_by(d.requested_at.desc(), d.id.desc()).limit(1)).scalar()
        out[sub_id] = Stats(total=int(total), success_rate=round(int(ok or 0) / int(total), 4),
                            last_delivery=last, last_status=last_status)
    return out


def event_matches(patterns: list[str], event: str) -> bool:
    """``negotiation.won`` matches ``negotiation.won``, ``negotiation.*`` and ``*``."""
    return any(fnmatch.fnmatchcase(event, p) for p in patterns)


def _passes_filters(filters: dict[str, Any], *, entity_type: str | None, actor_id: str | None,
                    data: dict[str, Any]) -> bool:
    types = filters.get("entityTypes")
    if types and entity_type not in types:
        return False
    users = filters.get("userIds")
    if users and actor_id not in users:
        return False
    conditions = filters.get("conditions") or {}
    return all(data.get(k) == v for k, v in conditions.items())


def _retry_job_options(policy: dict[str, Any]) -> dict[str, Any]:
    """Seed 001 retryPolicy (ms, multiplier) -> job options: n-th retry waits delay*mult^(n-1)."""
    merged = {**DEFAULT_RETRY_POLICY, **(policy or {})}
    factor = max(1.0, float(merged["backoffMultiplier"]))
    return {"max_retries": max(0, min(5, int(merged["maxRetries"]))),
            "retry_delay": float(merged["retryDelay"]) / 1000 / factor,
            "backoff_factor": factor}


def build_payload(*, event_id: uuid.UUID, event: str, now: datetime, tenant_id: uuid.UUID,
                  tenant_name: str, data: dict[str, Any],
                  related: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """Seed 001 §14.8 ``WebhookPayload``."""
    body: dict[str, Any] = {
        "id": str(event_id), "timestamp": now.isoformat().replace("+00:00", "Z"),
        "event": event, "version": "1.0",
        "tenant": {"id": str(tenant_id), "name": tenant_name}, "data": data,
    }
    if related:
        body["related"] = related
    return body


def enqueue_delivery(session: Session, *, sub: WebhookSubscription, event_id: uuid.UUID,
                     event_type: str, body: dict[str, Any], now: datetime,
                     idempotency_key: str | None = None) -> tuple[uuid.UUID, uuid.UUID]:
    """A pending history row plus the job that fills it; returns (delivery id, job id)."""
    options = _retry_job_options(sub.retry_policy)
    delivery_id = uuid7()
    job = jobs_repo.enqueue(
        session, tenant_id=sub.tenant_id, task=DELIVER_TASK, queue=QUEUE, now=now,
        payload={"subscription_id": str(sub.id), "event_id": str(event_id),
                 "event_type": event_type, "delivery_id": str(delivery_id), "body": body},
        idempotency_key=idempotency_key, **options)
    if job.created:
        session.add(WebhookDelivery(
            id=delivery_id, tenant_id=sub.tenant_id, subscription_id=sub.id,
            event_id=event_id, event_type=event_type, job_id=job.job_id, attempt=1,
            max_attempts=options["max_retries"] + 1, status="pending", url=sub.url,
            payload=body, requested_at=now))
        session.flush()
    return delivery_id, job.job_id


def publish_event(session: Session, *, tenant_id: uuid.UUID, event: str,
                  data: dict[str, Any], now: datetime, kind: str | None = None,
                  entity_type: str | None = None, actor_id: str | None = None,
                  related: list[dict[str, str]] | None = None) -> list[Published]:
    """Queue ``event`` for every active subscription of the tenant that wants it."""
    stmt = select(WebhookSubscription).where(WebhookSubscription.tenant_id == tenant_id,
                                             WebhookSubscription.status == "active")
    if kind is not None:
        stmt = stmt.where(WebhookSubscription.kind == kind)
    subs = [s for s in session.execute(stmt).scalars()
            if event_matches(s.events or [], event)
            and _passes_filters(s.filters or {}, entity_type=entity_type, actor_id=actor_id,
                                data=data)]
    if not subs:
        return []
    tenant_name = session.execute(select(Tenant.name).where(Tenant.id == tenant_id)
                                  ).scalar_one_or_none() or ""
    out = []
    for sub in subs:
        event_id = uuid7()
        body = build_payload(event_id=event_id, event=event, now=now, tenant_id=tenant_id,
                             tenant_name=tenant_name, data=data, related=related)
        delivery_id, job_id = enqueue_delivery(session, sub=sub, event_id=event_id,
                                               event_type=event, body=body, now=now,
                                               idempotency_key=f"webhook:{event_id}")
        out.append(Published(sub.id, event_id, delivery_id, job_id))
    return out
