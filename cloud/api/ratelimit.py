"""``/api/v1/rate-limit/status``: the caller's quotas and usage (seed 001 §16.6)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request

from cloud.api.deps import CurrentPrincipal, RuntimeDep, TenantDep
from cloud.api.responses import error_responses, ok
from cloud.ratelimit import PLAN_LIMITS, RULES, Usage
from cloud.schemas.admin import (
    Current,
    EndpointUsage,
    PlanLimitsOut,
    RateLimitStatus,
    TenantLimits,
    Window,
)
from cloud.schemas.common import Envelope

router = APIRouter(prefix="/api/v1/rate-limit", tags=["rate-limit"],
                   responses=error_responses())


def _window(u: Usage) -> Window:
    return Window(used=u.used, remaining=max(0, u.remaining),
                  resets_at=datetime.fromtimestamp(u.reset, tz=UTC))


@router.get("/status", response_model=Envelope[RateLimitStatus])
async def status(request: Request, principal: CurrentPrincipal, tenant: TenantDep,
                 runtime: RuntimeDep) -> Any:
    """Plan quotas of the tenant and the caller's use of each per-minute limit."""
    limiter = runtime.limiter
    plan = PLAN_LIMITS.get(tenant.plan, PLAN_LIMITS["starter"])
    bucket = f"tenant:{tenant.id}"
    hourly = await limiter.peek("plan-hourly", f"{plan.requests_per_hour}/hour", bucket,
                                strategy="fixed")
    daily = await limiter.peek("plan-daily", f"{plan.requests_per_day}/day", bucket,
                               strategy="fixed")
    ai = await limiter.peek("plan-ai-daily", f"{plan.ai_requests_per_day}/day", bucket,
                            strategy="fixed")
    caller = f"{'user' if principal.kind == 'user' else 'key'}:{principal.id}"
    endpoints: list[EndpointUsage] = []
    for rule in RULES:
        if rule.per != "caller":
            continue
        u = await limiter.peek(rule.name, rule.limit, caller, strategy=rule.strategy)
        methods = ",".join(sorted(rule.methods)) if rule.methods else "*"
        endpoints.append(EndpointUsage(endpoint=f"{methods} {' '.join(rule.prefixes)}",
                                       used=u.used, limit=u.limit, remaining=u.remaining))
    if principal.kind == "api_key" and principal.rate_limit:
        u = await limiter.peek("api-key", f"{principal.rate_limit}/minute", caller)
        endpoints.insert(0, EndpointUsage(endpoint="* (this API key's own limit)", used=u.used,
                                          limit=u.limit, remaining=u.remaining))
    body = RateLimitStatus(
        tenant=TenantLimits(plan=tenant.plan, limits=PlanLimitsOut(
            requests_per_hour=plan.requests_per_hour, requests_per_day=plan.requests_per_day,
            ai_requests_per_day=plan.ai_requests_per_day)),
        current=Current(hourly=_window(hourly), daily=_window(daily), ai=_window(ai)),
        by_endpoint=endpoints)
    return ok(request, body)
