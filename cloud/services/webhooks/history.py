"""Delivery history, manual retries and the synchronous test send."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cloud.db import insert_on_conflict
from cloud.errors import Conflict, NotFound, RateLimited
from cloud.integrations.outbound import OutboundPolicy, TargetRefused
from cloud.models.jobs import PENDING_STATES, Job
from cloud.models.tenancy import Tenant
from cloud.models.webhooks import WebhookDelivery, WebhookEventRetry, WebhookSubscription
from cloud.services.webhooks.delivery import DeliveryResult, build_request, encode_body, send
from cloud.services.webhooks.subscriptions import build_payload, enqueue_delivery
from shared.ids import uuid7

__all__ = ["DeliveryPage", "TestOutcome", "list_deliveries", "retry_delivery", "retry_event",
           "test_send"]

MANUAL_RETRY_INTERVAL = timedelta(minutes=1)


@dataclass(frozen=True)
class DeliveryPage:
    rows: list[tuple[WebhookDelivery, datetime | None]]  # (attempt, next retry if any)
    page: int
    limit: int
    total: int

    @property
    def total_pages(self) -> int:
        return math.ceil(self.total / self.limit) if self.total else 0


@dataclass(frozen=True)
class TestOutcome:
    delivered: bool
    url: str
    request_headers: dict[str, str]
    body: dict[str, Any]
    result: DeliveryResult
    delivery_id: uuid.UUID


def list_deliveries(session: Session, *, tenant_id: uuid.UUID,
                    subscription_ids: list[uuid.UUID] | None, page: int = 1, limit: int = 25,
                    status: str | None = None, start: datetime | None = None,
                    end: datetime | None = None,
                    event_id: uuid.UUID | None = None) -> DeliveryPage:
    """Attempts newest first, each with when the queue will try again (if it will)."""
    d = WebhookDelivery
    conditions: list[Any] = [d.tenant_id == tenant_id]
    if subscription_ids is not None:
        conditions.append(d.subscription_id.in_(subscription_ids))
    if status:
        conditions.append(d.status == status)
    if start:
        conditions.append(d.requested_at >= start)
    if end:
        conditions.append(d.requested_at <= end)
    if event_id:
        conditions.append(d.event_id == event_id)
    total = session.execute(select(func.count()).select_from(d).where(*conditions)).scalar()
    rows = list(session.execute(select(d).where(*conditions)
                                .order_by(d.requested_at.desc(), d.id.desc())
                                .limit(limit).offset((page - 1) * limit)).scalars())
    job_ids = {r.job_id for r in rows if r.job_id is not None}
    jobs = {}
    if job_ids:
        jobs = {j.id: j for j in session.execute(
            select(Job.id, Job.state, Job.attempts, Job.run_at).where(Job.id.in_(job_ids)))}
    out = []
    for row in rows:
        job = jobs.get(row.job_id) if row.job_id else None
        nxt = None
        if (job is not None and job.state in PENDING_STATES and row.status == "failed"
                and row.attempt == job.attempts):
            nxt = job.run_at
        out.append((row, nxt))
    return DeliveryPage(rows=out, page=page, limit=limit, total=int(total or 0))


def _delivery(session: Session, *, tenant_id: uuid.UUID, delivery_id: uuid.UUID,
              subscription_id: uuid.UUID) -> WebhookDelivery:
    row = session.execute(select(WebhookDelivery).where(
        WebhookDelivery.id == delivery_id, WebhookDelivery.tenant_id == tenant_id,
        WebhookDelivery.subscription_id == subscription_id)).scalar_one_or_none()
    if row is None:
        raise NotFound("Delivery not found")
    return row


def retry_delivery(session: Session, *, sub: WebhookSubscription, delivery_id: uuid.UUID,
                   now: datetime) -> tuple[uuid.UUID, uuid.UUID]:
    """Send a failed delivery's event again as a new delivery; returns (delivery, job) ids."""
    row = _delivery(session, tenant_id=sub.tenant_id, delivery_id=delivery_id,
                    subscription_id=sub.id)
    if row.status != "failed":
        raise Conflict(f"Only failed deliveries can be retried (this one is {row.status})")
    return enqueue_delivery(session, sub=sub, event_id=row.event_id, event_type=row.event_type,
                            body=row.payload, now=now)


def _claim_retry_slot(session: Session, *, tenant_id: uuid.UUID, event_id: uuid.UUID,
                      now: datetime, interval: timedelta) -> bool:
    """Atomically take this event's manual-retry slot (one per ``interval``, all processes)."""
    table = WebhookEventRetry.__table__
    stmt = insert_on_conflict(
        session, table, {"event_id": event_id, "tenant_id": tenant_id, "last_retry_at": now},
        index_elements=[table.c.event_id], set_={"last_retry_at": now},
        where=table.c.last_retry_at <= now - interval,
    ).returning(table.c.event_id)
    return session.execute(stmt).scalar_one_or_none() is not None


def retry_event(session: Session, *, tenant_id: uuid.UUID, event_id: uuid.UUID, kind: str,
                now: datetime, interval: timedelta = MANUAL_RETRY_INTERVAL,
                ) -> tuple[uuid.UUID, uuid.UUID]:
    """Seed 000 manual retry of an event, at most once per ``interval`` per event."""
    latest = session.execute(
        select(WebhookDelivery).join(WebhookSubscription,
                                     WebhookSubscription.id == WebhookDelivery.subscription_id)
        .where(WebhookDelivery.tenant_id == tenant_id, WebhookDelivery.event_id == event_id,
               WebhookSubscription.kind == kind)
        .order_by(WebhookDelivery.requested_at.desc()).limit(1)).scalar_one_or_none()
    if latest is None:
        raise NotFound("Webhook event not found")
    if not _claim_retry_slot(session, tenant_id=tenant_id, event_id=event_id, now=now,
                             interval=interval):
        wait = math.ceil(interval.total_seconds())
        raise RateLimited("Manual retry is limited to one per minute per event",
                          headers={"Retry-After": str(wait)})
    sub = session.get(WebhookSubscription, latest.subscription_id)
    if sub is None:  # pragma: no cover - deliveries of deleted subscriptions are kept
        raise NotFound("Webhook subscription not found")
    return enqueue_delivery(session, sub=sub, event_id=event_id, event_type=latest.event_type,
                            body=latest.payload, now=now)


def test_send(session: Session, *, sub: WebhookSubscription, event_type: str,
              data: dict[str, Any] | None, settings: Any, now: datetime) -> TestOutcome:
    """Send one signed test event now (not through the queue) and record it in history."""
    event_id = uuid7()
    tenant_name = session.execute(select(Tenant.name).where(Tenant.id == sub.tenant_id)
                                  ).scalar_one_or_none() or ""
    body = build_payload(event_id=event_id, event=event_type, now=now, tenant_id=sub.tenant_id,
                         tenant_name=tenant_name, data=data or {"test": True})
    raw = encode_body(body)
    headers: dict[str, str] = {}
    try:
        target = OutboundPolicy.from_settings(settings).check(sub.url)
    except TargetRefused as exc:
        result = DeliveryResult(ok=False, status=None, latency_ms=0, error=exc.message,
                                refused=True)
    else:
        headers = build_request(sub, raw, settings=settings, event=event_type,
                                delivery_id=str(event_id), timestamp=int(now.timestamp()))
        result = send(target, raw, headers, timeout=settings.webhook_timeout_s)
    row = WebhookDelivery(
        id=uuid7(), tenant_id=sub.tenant_id, subscription_id=sub.id, event_id=event_id,
        event_type=event_type, job_id=None, attempt=1, max_attempts=1,
        status="success" if result.ok else "failed", url=sub.url, payload=body,
        http_status=result.status, latency_ms=result.latency_ms,
        response_excerpt=result.excerpt, error=result.error, requested_at=now,
        responded_at=now + timedelta(milliseconds=result.latency_ms))
    session.add(row)
    session.flush()
    shown = {k: ("[redacted]" if k.lower() == "authorization" else v)
             for k, v in headers.items()}
    return TestOutcome(delivered=result.ok, url=sub.url, request_headers=shown, body=body,
                       result=result, delivery_id=row.id)
