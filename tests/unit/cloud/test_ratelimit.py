"""The rate-limit table and the limiter's decisions (in-process storage)."""

from __future__ import annotations

import asyncio

from cloud.ratelimit import Identity, Limiter, match_rule


def test_rules_by_family_and_method() -> None:
    assert match_rule("POST", "/api/v1/auth/login").name == "auth-login"
    assert match_rule("GET", "/api/v1/auth/login").name == "v1-read"
    assert match_rule("POST", "/api/v1/auth/refresh").name == "auth-token"
    assert match_rule("GET", "/api/supplier/orders").name == "retail-supplier"
    assert match_rule("POST", "/api/b2b/orders").name == "retail-b2b"
    assert match_rule("POST", "/api/admin/fiscal/receipt").name == "retail-admin"
    assert match_rule("DELETE", "/api/v1/products/1").name == "v1-delete"
    assert match_rule("PUT", "/api/v1/products/1").name == "v1-write"
    assert match_rule("GET", "/api/v1/products").name == "v1-read"
    assert match_rule("GET", "/api/pim/stats/x").name == "pim"
    assert match_rule("GET", "/health").name == "public"


def test_limits_per_caller_and_quota() -> None:
    async def scenario() -> None:
        limiter = Limiter(overrides={"v1-read": "2/minute"})
        user = Identity(bucket="user:1", tenant_id="t", plan="starter")
        other = Identity(bucket="user:2", tenant_id="t", plan="starter")
        d1 = await limiter.check("GET", "/api/v1/x", "1.2.3.4", user)
        d2 = await limiter.check("GET", "/api/v1/x", "1.2.3.4", user)
        d3 = await limiter.check("GET", "/api/v1/x", "1.2.3.4", user)
        assert (d1.allowed, d2.allowed, d3.allowed) == (True, True, False)
        assert d1.headers()["X-RateLimit-Remaining"] == "1"
        assert d3.headers()["X-RateLimit-Remaining"] == "0" and "Retry-After" in d3.headers()
        assert (await limiter.check("GET", "/api/v1/x", "1.2.3.4", other)).allowed
        hourly = await limiter.peek("plan-hourly", "500/hour", "tenant:t", strategy="fixed")
        assert hourly.used == 4  # three of user 1 (one refused still counts) + one of user 2
        key = Identity(bucket="key:9", tenant_id="t", per_minute=1)
        assert (await limiter.check("GET", "/api/v1/x", "ip", key)).allowed
        assert not (await limiter.check("POST", "/api/v1/x", "ip", key)).allowed
        anon = [await limiter.check("POST", "/api/v1/auth/login", "9.9.9.9", None)
                for _ in range(6)]
        assert [d.allowed for d in anon] == [True] * 5 + [False]
        await limiter.aclose()

    asyncio.run(scenario())
