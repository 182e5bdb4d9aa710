"""The N+1-th request in the window is refused with 429 and the headers, in memory and in Redis."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from conftest import World, make_world

from shared.clock import ManualClock
from tests.support.cloud_api import PASSWORD, error_code

REDIS = "redis://127.0.0.1:6379/0"


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(params=["memory", "redis"])
def limited(request: pytest.FixtureRequest, platform_db: str,
            clock: ManualClock) -> Iterator[World]:
    """A world whose read limit is 3/minute and login limit 2/minute."""
    url = ""
    if request.param == "redis":
        if not _redis_up():
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        url = REDIS
    yield from make_world(platform_db, clock, redis_url=url,
                          rate_limit_key_prefix=f"tbtest-{uuid.uuid4().hex}",
                          rate_limit_overrides={"v1-read": "3/minute", "auth-login": "2/minute",
                                                "auth-token": "100/minute"})


def test_n_plus_first_request_is_refused(limited: World) -> None:
    api, a = limited.api, limited.a
    headers = api.headers(a.admin)
    remaining = []
    for _ in range(3):
        resp = api.client.get("/api/v1/admin/users", headers=headers)
        assert resp.status_code == 200
        assert resp.headers["x-ratelimit-limit"] == "3"
        assert int(resp.headers["x-ratelimit-reset"]) >= int(limited.clock.now().timestamp()) - 5
        remaining.append(int(resp.headers["x-ratelimit-remaining"]))
    assert remaining == [2, 1, 0]
    refused = api.client.get("/api/v1/admin/users", headers=headers)
    assert refused.status_code == 429
    assert error_code(refused) == "RATE_LIMIT_EXCEEDED"
    assert refused.headers["x-ratelimit-remaining"] == "0"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    body = refused.json()["error"]
    assert body["details"]["limit"] == 3 and body["requestId"] == refused.headers["x-request-id"]
    # Limits are per caller: another user of the same tenant is not affected.
    assert api.as_(a.viewer, "GET", "/api/v1/rate-limit/status").status_code == 200


def test_login_is_limited_per_ip(limited: World) -> None:
    api, a = limited.api, limited.a
    body = {"email": a.viewer.email, "password": PASSWORD}
    assert api.client.post("/api/v1/auth/login", json=body).status_code == 200
    assert api.client.post("/api/v1/auth/login", json=body).status_code == 200
    third = api.client.post("/api/v1/auth/login", json=body)
    assert third.status_code == 429 and error_code(third) == "RATE_LIMIT_EXCEEDED"
    assert "retry-after" in third.headers


def test_api_key_uses_its_own_limit(limited: World) -> None:
    api, a = limited.api, limited.a
    made = api.as_(a.admin, "POST", "/api/v1/auth/api-keys",
                   json={"name": "slow", "scopes": ["products:read"], "rateLimit": 2})
    key = {"X-API-Key": made.json()["data"]["key"]}
    statuses = [api.client.get("/api/v1/rate-limit/status", headers=key) for _ in range(3)]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    assert statuses[0].headers["x-ratelimit-limit"] == "2"
    status = statuses[1].json()["data"]
    assert status["tenant"]["plan"] == "professional"
    assert status["current"]["hourly"]["used"] >= 2


def test_every_response_carries_the_headers(limited: World) -> None:
    client = limited.api.client
    for resp in (client.get("/health"), client.get("/api/v1/admin/users"),
                 client.get("/no/such/path"), client.get("/api/v1/auth/jwks")):
        assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset",
                "x-request-id"} <= set(resp.headers), resp.url


def test_storage_outage_fails_open(platform_db: str, clock: ManualClock) -> None:
    for world in make_world(platform_db, clock, redis_url="redis://127.0.0.1:1/0"):
        resp = world.api.as_(world.a.admin, "GET", "/api/v1/admin/users")
        assert resp.status_code == 200
        assert "x-ratelimit-limit" not in resp.headers
