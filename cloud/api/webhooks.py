"""``/api/v1/webhooks``: subscriptions, test sends and delivery history (seed 001 §14)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request

from cloud.api.deps import ClockDep, SessionDep, SettingsDep, require_scopes
from cloud.api.responses import error_responses, ok
from cloud.auth.principal import Principal
from cloud.models.webhooks import WebhookDelivery, WebhookSubscription
from cloud.schemas.common import Envelope, IsoDateTime
from cloud.schemas.webhooks import (
    AttemptRequest,
    AttemptResponse,
    AuthInfo,
    Created,
    CreateWebhook,
    Deleted,
    DeliveryList,
    DeliveryOut,
    PageInfo,
    Received,
    RetryOut,
    SentRequest,
    StatsOut,
    TestResult,
    TestWebhook,
    Updated,
    UpdateWebhook,
    WebhookList,
    WebhookOut,
)
from cloud.services.webhooks import history
from cloud.services.webhooks import subscriptions as svc
from cloud.services.webhooks.subscriptions import Stats

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"],
                   responses=error_responses(statuses=(400, 401, 403, 404, 409, 413, 422, 429,
                                                       500)))

Reader = Annotated[Principal, require_scopes("webhooks:read")]
Writer = Annotated[Principal, require_scopes("webhooks:write")]
Deleter = Annotated[Principal, require_scopes("webhooks:delete")]

# Seed 001 §14.2 ``WebhookEvent``.
WebhookId = Annotated[uuid.UUID, Path(alias="id", description="webhook id")]
DeliveryId = Annotated[uuid.UUID, Path(alias="deliveryId", description="delivery id")]


def _webhook_out(sub: WebhookSubscription, stats: Stats) -> WebhookOut:
    auth_type = sub.auth_type if sub.auth_type in ("basic", "bearer", "hmac") else "none"
    return WebhookOut(
        id=sub.id, name=sub.name, url=sub.url, events=list(sub.events or []),
        status=sub.status,  # type: ignore[arg-type]
        authentication=AuthInfo(type=auth_type,  # type: ignore[arg-type]
                                configured=bool(sub.auth_enc) or auth_type == "hmac"),
        stats=StatsOut(total_deliveries=stats.total, success_rate=stats.success_rate,
                       last_delivery=stats.last_delivery, last_status=stats.last_status),
        created_at=sub.created_at, updated_at=sub.updated_at)


def delivery_out(row: WebhookDelivery, next_retry: datetime | None) -> DeliveryOut:
    return DeliveryOut(
        id=row.id, event_id=row.event_id, event_type=row.event_type,
        status=row.status,  # type: ignore[arg-type]
        http_status=row.http_status, attempt=row.attempt, max_attempts=row.max_attempts,
        request=AttemptRequest(timestamp=row.requested_at, payload=row.payload),
        response=AttemptResponse(timestamp=row.responded_at, status=row.http_status,
                                 body=row.response_excerpt, error=row.error),
        latency=row.latency_ms, next_retry=next_retry)


def _input(body: CreateWebhook | UpdateWebhook, name: str, url: str,
           events: list[str]) -> svc.SubscriptionInput:
    auth = body.authentication
    return svc.SubscriptionInput(
        name=name, url=url, events=events, auth_type=auth.type if auth else "hmac",
        username=auth.username if auth else None, password=auth.password if auth else None,
        token=auth.token if auth else None, secret=auth.secret if auth else None,
        filters=body.filters.model_dump(exclude_none=True) if body.filters else {},
        retry_policy=body.retry_policy.model_dump() if body.retry_policy else {},
        custom_headers=dict(body.custom_headers or {}))


@router.get("", response_model=Envelope[WebhookList])
def list_webhooks(request: Request, session: SessionDep, principal: Reader) -> Any:
    """Subscriptions with delivery statistics (secrets are never returned)."""
    rows = svc.list_subscriptions(session, tenant_id=principal.tenant_id)
    return ok(request, WebhookList(webhooks=[_webhook_out(s, st) for s, st in rows]))


@router.post("", response_model=Envelope[Created], status_code=201)
def create_webhook(body: CreateWebhook, request: Request, session: SessionDep,
                   settings: SettingsDep, clock: ClockDep, principal: Writer) -> Any:
    """Subscribe a URL to events; the response carries the signing secret, once."""
    sub, secret = svc.create_subscription(
        session, tenant_id=principal.tenant_id, settings=settings, now=clock.now(),
        data=_input(body, body.name, body.url, list(body.events)))
    return ok(request, Created(id=sub.id, name=sub.name, secret=secret,
                               created_at=sub.created_at))


@router.put("/{id}", response_model=Envelope[Updated])
def update_webhook(webhook_id: WebhookId, body: UpdateWebhook, request: Request,
                   session: SessionDep, settings: SettingsDep, clock: ClockDep,
                   principal: Writer) -> Any:
    """Change any of the subscription's fields; `status` pauses or resumes it."""
    sub = svc.get_subscription(session, tenant_id=principal.tenant_id,
                               subscription_id=webhook_id)
    given = body.model_dump(exclude_unset=True, by_alias=False)
    changes: dict[str, Any] = {k: given[k] for k in ("name", "url", "events", "status")
                               if given.get(k) is not None}
    if "filters" in given:
        changes["filters"] = body.filters.model_dump(exclude_none=True) if body.filters else {}
    if "retry_policy" in given:
        changes["retry_policy"] = body.retry_policy.model_dump() if body.retry_policy else {}
    if "custom_headers" in given:
        changes["custom_headers"] = dict(body.custom_headers or {})
    if body.authentication is not None:
        changes["auth"] = _input(body, sub.name, sub.url, list(sub.events))
    svc.update_subscription(session, sub=sub, changes=changes, settings=settings,
                            now=clock.now())
    return ok(request, Updated(updated=True))


@router.delete("/{id}", response_model=Envelope[Deleted])
def delete_webhook(webhook_id: WebhookId, request: Request, session: SessionDep,
                   principal: Deleter) -> Any:
    """Delete the subscription (its history stays; queued deliveries are dropped)."""
    sub = svc.get_subscription(session, tenant_id=principal.tenant_id,
                               subscription_id=webhook_id)
    svc.delete_subscription(session, sub=sub)
    return ok(request, Deleted(deleted=True))


@router.post("/{id}/test", response_model=Envelope[TestResult])
def test_webhook(webhook_id: WebhookId, body: TestWebhook, request: Request,
                 session: SessionDep, settings: SettingsDep, clock: ClockDep,
                 principal: Writer) -> Any:
    """Send one signed test event now and report the receiver's answer."""
    sub = svc.get_subscription(session, tenant_id=principal.tenant_id,
                               subscription_id=webhook_id)
    out = history.test_send(session, sub=sub, event_type=body.event_type,
                            data=body.mock_payload, settings=settings, now=clock.now())
    res = out.result
    return ok(request, TestResult(
        delivered=out.delivered,
        request=SentRequest(url=out.url, headers=out.request_headers, body=out.body),
        response=Received(status=res.status or 0, headers=res.response_headers,
                          body=res.excerpt, latency=res.latency_ms),
        error=res.error if not out.delivered else None))


@router.get("/{id}/deliveries", response_model=Envelope[DeliveryList])
def list_deliveries(
    webhook_id: WebhookId, request: Request, session: SessionDep, principal: Reader,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    status: Annotated[Literal["success", "failed"] | None, Query()] = None,
    start_date: Annotated[IsoDateTime | None, Query(alias="startDate")] = None,
    end_date: Annotated[IsoDateTime | None, Query(alias="endDate")] = None,
) -> Any:
    """Every delivery attempt, newest first, with the next retry when one is queued."""
    svc.get_subscription(session, tenant_id=principal.tenant_id, subscription_id=webhook_id)
    found = history.list_deliveries(session, tenant_id=principal.tenant_id,
                                    subscription_ids=[webhook_id], page=page, limit=limit,
                                    status=status, start=start_date, end=end_date)
    return ok(request, DeliveryList(
        deliveries=[delivery_out(r, nxt) for r, nxt in found.rows],
        pagination=PageInfo(page=page, limit=limit, total=found.total,
                            total_pages=found.total_pages)))


@router.post("/{id}/deliveries/{deliveryId}/retry", response_model=Envelope[RetryOut])
def retry_delivery(webhook_id: WebhookId, delivery_id: DeliveryId, request: Request,
                   session: SessionDep, clock: ClockDep, principal: Writer) -> Any:
    """Queue a failed delivery's event again; the new delivery starts as `pending`."""
    sub = svc.get_subscription(session, tenant_id=principal.tenant_id,
                               subscription_id=webhook_id)
    new_id, _job = history.retry_delivery(session, sub=sub, delivery_id=delivery_id,
                                          now=clock.now())
    return ok(request, RetryOut(retried=True, new_delivery_id=new_id, status="pending"))
