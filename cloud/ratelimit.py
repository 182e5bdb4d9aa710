"""Rate limits: a declarative table of rules over the ``limits`` library.

Each request is matched against :data:`RULES` (first match wins) and counted in a bucket:
the caller's IP for anonymous requests and for rules marked ``per="ip"`` (login), the API key
for key requests (with the key's own per-minute limit when it has one), the user otherwise.
Authenticated requests also count against their tenant's plan quota (seed 001 §16.2, hourly
and daily; AI paths against the AI daily quota). Later families add a row to :data:`RULES`.

Storage is in-process memory by default and Redis when ``REDIS_URL`` is set, so several cloud
processes share the counters. A storage outage fails open (logged): the API stays up.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal

import structlog
from limits import RateLimitItem, parse
from limits.aio.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter, RateLimiter
from limits.storage import storage_from_string

__all__ = [
    "PLAN_LIMITS",
    "RULES",
    "Decision",
    "Identity",
    "Limiter",
    "PlanLimits",
    "Rule",
    "Usage",
    "match_rule",
]

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Rule:
    """One row of the rate-limit table."""

    name: str
    prefixes: tuple[str, ...]
    limit: str
    methods: frozenset[str] | None = None
    per: Literal["ip", "caller"] = "caller"
    strategy: Literal["moving", "fixed"] = "moving"
    note: str = ""

    def matches(self, method: str, path: str) -> bool:
        if self.methods is not None and method not in self.methods:
            return False
        return any(path.startswith(p) for p in self.prefixes)


_READ = frozenset({"GET", "HEAD", "OPTIONS"})
_WRITE = frozenset({"POST", "PUT", "PATCH"})

# First match wins. Sources: seed 001 §16.2 (special endpoints, endpoint categories; auth uses a
# fixed window, the rest a sliding window) and seed 003 "Rate Limiting" (per API family).
RULES: list[Rule] = [
    Rule("auth-login", ("/api/v1/auth/login",), "5/minute", _WRITE, per="ip",
         strategy="fixed", note="seed 001: 5/minute per IP"),
    Rule("auth-token", ("/api/v1/auth/refresh", "/api/v1/auth/logout",
                        "/api/v1/auth/invite/accept"), "30/minute", per="ip",
         strategy="fixed", note="token endpoints, per IP"),
    Rule("retail-supplier", ("/api/supplier",), "100/minute", note="seed 003 Supplier API"),
    Rule("retail-b2b", ("/api/b2b",), "60/minute", note="seed 003 B2B API"),
    Rule("retail-admin", ("/api/admin/", "/api/hardware", "/api/ai/"), "120/minute",
         note="seed 003 Admin API"),
    Rule("sync-enroll", ("/api/v1/sync/enroll",), "10/minute", per="ip", strategy="fixed",
         note="till enrollment: code guessing is throttled per IP"),
    Rule("sync-device", ("/api/v1/sync/push", "/api/v1/sync/pull", "/api/v1/sync/snapshot",
                         "/api/v1/sync/status"), "1200/minute", per="ip",
         note="till sync (device tokens): catch-up after hours offline is many batches"),
    Rule("v1-delete", ("/api/v1/",), "10/minute", frozenset({"DELETE"}),
         note="seed 001 Delete"),
    Rule("v1-write", ("/api/v1/",), "30/minute", _WRITE, note="seed 001 Write"),
    Rule("v1-read", ("/api/v1/",), "100/minute", _READ, note="seed 001 Read"),
    Rule("pim", ("/api/",), "120/minute", note="seed 000 (admin sessions)"),
    Rule("public", ("",), "300/minute", per="ip", note="health, docs, anything else"),
]

AI_PREFIXES = ("/api/v1/ai/", "/api/ai/")


@dataclass(frozen=True)
class PlanLimits:
    requests_per_hour: int
    requests_per_day: int
    ai_requests_per_day: int


PLAN_LIMITS: dict[str, PlanLimits] = {
    "starter": PlanLimits(500, 5_000, 500),
    "professional": PlanLimits(2_000, 20_000, 2_000),
    "enterprise": PlanLimits(10_000, 100_000, 10_000),
}


@dataclass(frozen=True)
class Identity:
    """Who is calling, as far as rate limiting cares."""

    bucket: str  # "user:<id>" or "key:<id>"
    tenant_id: str
    plan: str = "professional"
    per_minute: int | None = None  # an API key's own limit


@dataclass
class Usage:
    name: str
    limit: int
    remaining: int
    reset: float
    window: int

    @property
    def used(self) -> int:
        return max(0, self.limit - self.remaining)


@dataclass
class Decision:
    allowed: bool
    shown: Usage | None = None
    blocked_by: Usage | None = None
    usages: list[Usage] = field(default_factory=list)

    def headers(self) -> dict[str, str]:
        u = self.blocked_by or self.shown
        if u is None:
            return {}
        h = {"X-RateLimit-Limit": str(u.limit), "X-RateLimit-Remaining": str(max(0, u.remaining)),
             "X-RateLimit-Reset": str(int(u.reset + 0.999)), "X-RateLimit-Window": str(u.window)}
        if not self.allowed:
            h["Retry-After"] = str(self.retry_after)
        return h

    @property
    def retry_after(self) -> int:
        u = self.blocked_by or self.shown
        return max(1, int((u.reset if u else 0) - time.time() + 0.999))


def match_rule(method: str, path: str, rules: list[Rule] | None = None) -> Rule:
    for rule in rules if rules is not None else RULES:
        if rule.matches(method, path):
            return rule
    return RULES[-1]


class Limiter:
    """Counts requests in the configured storage and decides allow/deny."""

    def __init__(self, storage_uri: str = "memory://",
                 overrides: dict[str, str] | None = None, *,
                 key_prefix: str = "tillbridge") -> None:
        uri = storage_uri or "memory://"
        if uri.startswith(("redis://", "rediss://")):
            self._storage = storage_from_string("async+" + uri, implementation="redispy",
                                                key_prefix=key_prefix)
        else:
            self._storage = storage_from_string("async+memory://")
        self.backend = "redis" if "redis" in uri else "memory"
        self._moving = MovingWindowRateLimiter(self._storage)
        self._fixed = FixedWindowRateLimiter(self._storage)
        self._overrides = dict(overrides or {})
        self._items: dict[str, RateLimitItem] = {}

    def item(self, name: str, default: str) -> RateLimitItem:
        text = self._overrides.get(name, default)
        if text not in self._items:
            self._items[text] = parse(text)
        return self._items[text]

    async def _hit(self, strategy: RateLimiter, name: str, item: RateLimitItem,
                   bucket: str) -> Usage:
        allowed = await strategy.hit(item, name, bucket)
        stats = await strategy.get_window_stats(item, name, bucket)
        remaining = stats.remaining if allowed else -1
        return Usage(name, item.amount, remaining, stats.reset_time, int(item.get_expiry()))

    async def check(self, method: str, path: str, ip: str,
                    identity: Identity | None) -> Decision:
        """Count one request; the decision carries the headers to send."""
        rule = match_rule(method, path)
        try:
            return await self._check(rule, method, path, ip, identity)
        except Exception as exc:  # storage outage: fail open, never take the API down
            log.warning("rate_limit_storage_error", backend=self.backend,
                        error=type(exc).__name__)
            return Decision(allowed=True)

    async def _check(self, rule: Rule, method: str, path: str, ip: str,
                     identity: Identity | None) -> Decision:
        strategy = self._moving if rule.strategy == "moving" else self._fixed
        if rule.per == "ip" or identity is None:
            usage = await self._hit(strategy, rule.name, self.item(rule.name, rule.limit),
                                    f"ip:{ip}")
            return _decide([usage])
        if identity.per_minute:
            own = parse(f"{identity.per_minute}/minute")
            usages = [await self._hit(self._moving, "api-key", own, identity.bucket)]
        else:
            usages = [await self._hit(strategy, rule.name, self.item(rule.name, rule.limit),
                                      identity.bucket)]
        usages.extend(await self._quota_hits(identity, path))
        return _decide(usages)

    async def _quota_hits(self, identity: Identity, path: str) -> list[Usage]:
        plan = PLAN_LIMITS.get(identity.plan, PLAN_LIMITS["starter"])
        tenant = f"tenant:{identity.tenant_id}"
        out = [
            await self._hit(self._fixed, "plan-hourly",
                            self.item("plan-hourly", f"{plan.requests_per_hour}/hour"), tenant),
            await self._hit(self._fixed, "plan-daily",
                            self.item("plan-daily", f"{plan.requests_per_day}/day"), tenant),
        ]
        if path.startswith(AI_PREFIXES):
            out.append(await self._hit(
                self._fixed, "plan-ai-daily",
                self.item("plan-ai-daily", f"{plan.ai_requests_per_day}/day"), tenant))
        return out

    async def peek(self, name: str, limit: str, bucket: str, *,
                   strategy: Literal["moving", "fixed"] = "moving") -> Usage:
        """Current usage of one bucket without counting a request."""
        item = self.item(name, limit)
        strat = self._moving if strategy == "moving" else self._fixed
        stats = await strat.get_window_stats(item, name, bucket)
        return Usage(name, item.amount, stats.remaining, stats.reset_time,
                     int(item.get_expiry()))

    async def reset(self) -> None:
        await self._storage.reset()

    async def aclose(self) -> None:
        """Close the storage's connections on the event loop that opened them."""
        client = getattr(getattr(self._storage, "bridge", None), "storage", None)
        if client is not None and hasattr(client, "aclose"):
            await client.aclose()
        timer = getattr(self._storage, "timer", None)
        if timer is not None and not timer.done():
            timer.cancel()


def _decide(usages: list[Usage]) -> Decision:
    blocked = next((u for u in usages if u.remaining < 0), None)
    shown = min(usages, key=lambda u: (u.remaining, -u.limit)) if usages else None
    return Decision(allowed=blocked is None, shown=shown, blocked_by=blocked, usages=usages)
