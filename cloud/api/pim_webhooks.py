"""``/api/pim/webhooks``: the shop's quality-webhook config and deliveries (seed 000)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request

from cloud.api.deps import ClockDep, SessionDep, SettingsDep, require_scopes
from cloud.api.responses import PageDep, error_responses, ok, paginated
from cloud.auth.principal import Principal
from cloud.models.webhooks import WebhookSubscription
from cloud.schemas.common import Envelope, OffsetPagination, Paginated
from cloud.schemas.pim_webhooks import (
    ConfigIn,
    ConfigOut,
    DeliveryOut,
    RetryOut,
)
from cloud.services.webhooks import history, pim
from shared.errors import Family

router = APIRouter(prefix="/api/pim/webhooks", tags=["pim-webhooks"],
                   responses=error_responses(Family.PIM, statuses=(400, 401, 403, 404, 413,
                                                                   422, 429, 500)))

Reader = Annotated[Principal, require_scopes("webhooks:read")]
Writer = Annotated[Principal, require_scopes("webhooks:write")]


def _config_out(sub: WebhookSubscription | None, secret: str | None = None) -> ConfigOut:
    if sub is None:
        return ConfigOut(configured=False)
    return ConfigOut(configured=True, url=sub.url, enabled=sub.status == "active",
                     subscribed_events=list(sub.events or []), has_secret=bool(sub.secret_enc),
                     status=sub.status,  # type: ignore[arg-type]
                     updated_at=sub.updated_at, secret=secret)


@router.get("/config", response_model=Envelope[ConfigOut])
def get_config(request: Request, session: SessionDep, principal: Reader) -> Any:
    """The shop's quality-webhook config (the secret itself is never returned)."""
    return ok(request, _config_out(pim.get_config(session, tenant_id=principal.tenant_id)))


@router.put("/config", response_model=Envelope[ConfigOut])
def put_config(body: ConfigIn, request: Request, session: SessionDep, settings: SettingsDep,
               clock: ClockDep, principal: Writer) -> Any:
    """Set url, secret, enabled and subscribed events (fields left out stay as they are)."""
    sub, secret = pim.put_config(session, tenant_id=principal.tenant_id, settings=settings,
                                 now=clock.now(),
                                 changes=body.model_dump(exclude_unset=True, by_alias=False))
    return ok(request, _config_out(sub, secret))


@router.get("/deliveries", response_model=Paginated[DeliveryOut])
def list_deliveries(
    request: Request, session: SessionDep, principal: Reader, page: PageDep,
    status: Annotated[Literal["pending", "success", "failed"] | None, Query()] = None,
    event_id: Annotated[uuid.UUID | None, Query(alias="eventId")] = None,
) -> Any:
    """Delivery attempts of quality webhooks, newest first (for debugging a receiver)."""
    sub = pim.get_config(session, tenant_id=principal.tenant_id)
    found = history.list_deliveries(session, tenant_id=principal.tenant_id,
                                    subscription_ids=[sub.id] if sub else [], page=page.page,
                                    limit=page.limit, status=status, event_id=event_id)
    items = [DeliveryOut(id=r.id, event_id=r.event_id, event_type=r.event_type,
                         status=r.status,  # type: ignore[arg-type]
                         http_status=r.http_status, attempt=r.attempt,
                         max_attempts=r.max_attempts, latency=r.latency_ms, error=r.error,
                         response_excerpt=r.response_excerpt, requested_at=r.requested_at,
                         responded_at=r.responded_at, next_retry=nxt)
             for r, nxt in found.rows]
    pages = found.total_pages
    return paginated(request, items, OffsetPagination(
        page=page.page, limit=page.limit, total=found.total, total_pages=pages,
        has_next=page.page < pages, has_previous=page.page > 1))


@router.post("/deliveries/{eventId}/retry", response_model=Envelope[RetryOut])
def retry_event(event_id: Annotated[uuid.UUID, Path(alias="eventId")], request: Request,
                session: SessionDep, clock: ClockDep, principal: Writer) -> Any:
    """Send an event again now; at most once a minute per event (429 with Retry-After)."""
    delivery_id, job_id = history.retry_event(session, tenant_id=principal.tenant_id,
                                              event_id=event_id, kind=pim.KIND,
                                              now=clock.now())
    return ok(request, RetryOut(event_id=event_id, delivery_id=delivery_id, job_id=job_id))
