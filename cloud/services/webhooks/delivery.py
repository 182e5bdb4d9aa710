"""Sending one webhook (httpx) and the ``webhooks.deliver`` job that records every attempt.

An attempt is one POST with a fresh timestamp and signature. Any non-2xx answer or network
error is retried by the queue's backoff (the subscription's retry policy); ``410 Gone`` and a
refused target are final. Each attempt leaves a :class:`WebhookDelivery` row with the status
code, latency and the first kilobyte of the answer.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from cloud.crypto import box_from_settings
from cloud.integrations.outbound import OutboundPolicy, ResolvedTarget, TargetRefused
from cloud.jobs.errors import PermanentJobError
from cloud.jobs.registry import JobContext, default_registry
from cloud.models.webhooks import WebhookDelivery, WebhookSubscription
from cloud.services.webhooks.signing import signature_headers

__all__ = ["DELIVER_TASK", "QUEUE", "DeliveryFailed", "DeliveryResult", "build_request",
           "deliver", "encode_body", "send"]

log = structlog.get_logger(__name__)

QUEUE = "webhooks"
DELIVER_TASK = "webhooks.deliver"
EXCERPT_CHARS = 1000
_READ_LIMIT = 64 * 1024
FAIL_AFTER_DEAD_DELIVERIES = 5
_RESERVED = {"host", "content-length", "content-type", "authorization", "transfer-encoding",
             "x-webhook-signature", "x-webhook-timestamp", "x-webhook-id", "x-webhook-event"}


class DeliveryFailed(Exception):
    """The receiver did not answer 2xx (retried with backoff)."""


@dataclass(frozen=True)
class DeliveryResult:
    """What happened to one POST."""

    ok: bool
    status: int | None
    latency_ms: int
    excerpt: str | None = None
    error: str | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    refused: bool = False  # the target was not allowed; nothing was sent

    @property
    def permanent(self) -> bool:
        """Retrying cannot help: the target is refused or answered ``410 Gone``."""
        return self.refused or self.status == 410


def encode_body(payload: dict[str, Any]) -> bytes:
    """The exact bytes that are signed and sent."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False,
                      default=str).encode("utf-8")


def send(target: ResolvedTarget, body: bytes, headers: dict[str, str], *,
         timeout: float) -> DeliveryResult:
    """POST ``body`` to the checked address; never raises for HTTP or network failures."""
    extensions: dict[str, Any] = {}
    if target.scheme == "https":
        extensions["sni_hostname"] = target.host
    all_headers = {"User-Agent": "Tillbridge-Webhooks/1.0", **headers,
                   "Content-Type": "application/json", "Host": target.host_header}
    started = time.perf_counter()
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client, \
                client.stream("POST", target.pinned_url(), content=body, headers=all_headers,
                              extensions=extensions) as resp:
            raw = b""
            for chunk in resp.iter_bytes():
                raw += chunk
                if len(raw) >= _READ_LIMIT:
                    break
            latency = int((time.perf_counter() - started) * 1000)
            text = raw.decode(resp.encoding or "utf-8", errors="replace")[:EXCERPT_CHARS]
            return DeliveryResult(ok=200 <= resp.status_code < 300, status=resp.status_code,
                                  latency_ms=latency, excerpt=text,
                                  response_headers=dict(resp.headers))
    except httpx.HTTPError as exc:
        latency = int((time.perf_counter() - started) * 1000)
        return DeliveryResult(ok=False, status=None, latency_ms=latency,
                              error=f"{type(exc).__name__}: {exc}"[:EXCERPT_CHARS])


def build_request(sub: WebhookSubscription, body: bytes, *, settings: Any, event: str,
                  delivery_id: str, timestamp: int) -> dict[str, str]:
    """Headers for one attempt: custom headers, auth, then the signature (which wins)."""
    box = box_from_settings(settings)
    headers = {k: v for k, v in (sub.custom_headers or {}).items()
               if k.lower() not in _RESERVED}
    if sub.auth_enc and sub.auth_type in ("basic", "bearer"):
        auth = box.decrypt_json(sub.auth_enc)
        if sub.auth_type == "bearer" and auth.get("token"):
            headers["Authorization"] = f"Bearer {auth['token']}"
        elif sub.auth_type == "basic":
            pair = f"{auth.get('username') or ''}:{auth.get('password') or ''}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    secret = box.decrypt(sub.secret_enc).decode("utf-8")
    headers.update(signature_headers(secret, timestamp, body, delivery_id=delivery_id,
                                     event=event))
    return headers


def _record(session: Session, *, ctx: JobContext, sub: WebhookSubscription,
            payload: dict[str, Any], requested_at: datetime, result: DeliveryResult) -> None:
    row = None
    pending_id = payload.get("delivery_id")
    if pending_id and ctx.attempt == 1:
        row = session.execute(select(WebhookDelivery).where(
            WebhookDelivery.id == uuid.UUID(pending_id),
            WebhookDelivery.tenant_id == ctx.tenant_id,
            WebhookDelivery.status == "pending")).scalar_one_or_none()
    if row is None:
        row = WebhookDelivery(tenant_id=ctx.tenant_id, subscription_id=sub.id,
                              event_id=uuid.UUID(payload["event_id"]),
                              event_type=payload["event_type"], job_id=ctx.job_id,
                              url=sub.url, payload=payload["body"])
        session.add(row)
    row.attempt, row.max_attempts = ctx.attempt, ctx.max_retries + 1
    row.status = "success" if result.ok else "failed"
    row.http_status, row.latency_ms = result.status, result.latency_ms
    row.response_excerpt, row.error = result.excerpt, result.error
    row.requested_at, row.responded_at = requested_at, ctx.clock.now()
    row.url = sub.url


@default_registry.task(DELIVER_TASK, queue=QUEUE)
def deliver(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """One delivery attempt of ``payload['body']`` to its subscription."""
    settings = ctx.settings
    with ctx.sessions.begin() as session:
        sub = session.execute(select(WebhookSubscription).where(
            WebhookSubscription.id == uuid.UUID(payload["subscription_id"]),
            WebhookSubscription.tenant_id == ctx.tenant_id)).scalar_one_or_none()
        if sub is None:
            raise PermanentJobError("webhook subscription was deleted")
        if sub.status == "paused":
            raise PermanentJobError("webhook subscription is paused")
        session.expunge(sub)
    body = encode_body(payload["body"])
    requested_at = ctx.clock.now()
    policy = OutboundPolicy.from_settings(settings)
    try:
        target = policy.check(sub.url)
    except TargetRefused as exc:
        result = DeliveryResult(ok=False, status=None, latency_ms=0, error=exc.message,
                                refused=True)
    else:
        headers = build_request(sub, body, settings=settings, event=payload["event_type"],
                                delivery_id=payload["event_id"],
                                timestamp=int(requested_at.timestamp()))
        result = send(target, body, headers,
                      timeout=float(getattr(settings, "webhook_timeout_s", 10.0)))
    final = not result.ok and (result.permanent or ctx.attempt > ctx.max_retries)
    with ctx.sessions.begin() as session:
        _record(session, ctx=ctx, sub=sub, payload=payload, requested_at=requested_at,
                result=result)
        live = session.get(WebhookSubscription, sub.id)
        if live is not None:
            if result.ok:
                live.consecutive_failures = 0
            elif final:
                live.consecutive_failures += 1
                if live.consecutive_failures >= FAIL_AFTER_DEAD_DELIVERIES:
                    live.status = "failed"
    log.info("webhook.attempt", subscription_id=str(sub.id), event_type=payload["event_type"],
             attempt=ctx.attempt, status=result.status, ok=result.ok,
             latency_ms=result.latency_ms)
    if result.ok:
        return {"status": result.status, "latency_ms": result.latency_ms}
    reason = result.error or f"HTTP {result.status}"
    if result.permanent:
        raise PermanentJobError(reason)
    raise DeliveryFailed(reason)
