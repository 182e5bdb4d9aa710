"""Authenticated GET requests/s through the full middleware stack vs the same app without auth.

In-process ASGI (httpx ``ASGITransport``), embedded SQLite, one tenant. Three runs of ``size``
requests each to ``GET /api/v1/admin/users?limit=10``:

* ``jwt``: ``Authorization: Bearer`` (signature checked once in the rate limiter, then user,
  session and revocation looked up in the database),
* ``api_key``: ``X-API-Key`` (hash lookup, scopes),
* baseline: the same app and route function mounted without authentication (a fixed admin),
  so request id, rate limiting, tenant-scoped session, the route and the envelope all still
  run: only authentication is gone.

``ratio_auth_overhead`` = time per JWT request / time per baseline request.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from cryptography.fernet import Fernet
from fastapi import APIRouter, Depends, Request

from bench._harness import percentile
from cloud import tenancy
from cloud.api import admin
from cloud.api.deps import SessionDep
from cloud.api.responses import PageDep

PATH = "/api/v1/admin/users?limit=10"
BASELINE_PATH = "/api/v1/bench-noauth/users?limit=10"
UNLIMITED = {name: "100000000/minute" for name in ("v1-read", "public", "auth-login")}
UNLIMITED.update({"plan-hourly": "100000000/hour", "plan-daily": "100000000/day"})


def _build(home: Path) -> tuple[Any, dict[str, str], dict[str, str], Any]:
    from cloud import audit, tenancy
    from cloud.app import create_app
    from cloud.auth.principal import Principal
    from cloud.auth.rbac import permissions_for
    from cloud.config import Settings
    from cloud.migrate import upgrade
    from cloud.services.identity import api_keys, tenants, users

    url = f"sqlite:///{home / 'bench.sqlite3'}"
    upgrade(url)
    settings = Settings(database_url=url, jwt_secret=secrets.token_urlsafe(40),
                        encryption_key=Fernet.generate_key().decode(),
                        rate_limit_overrides=UNLIMITED)
    app = create_app(settings)
    now = datetime.now(UTC)
    with app.state.runtime.sessions() as s:
        audit.set_context(s, audit.AuditContext(actor_type="system"))
        tenant = tenants.create_tenant(session=s, name="Bench Shop")
        tenancy.scope(s, tenant.id)
        admin, _ = users.create_user(session=s, tenant=tenant, now=now, invite_ttl_s=60,
                                     data=users.NewUser(email="bench@example.com",
                                                        first_name="B", last_name="A",
                                                        role="admin",
                                                        temp_password="bench password"))
        for i in range(9):
            users.create_user(session=s, tenant=tenant, now=now, invite_ttl_s=60,
                              data=users.NewUser(email=f"u{i}@example.com", first_name="U",
                                                 last_name=str(i), role="viewer",
                                                 send_invite=True))
        _row, key = api_keys.create_api_key(session=s, principal=None, name="bench",
                                            scopes=["admin:users"], expires_at=None,
                                            rate_limit=None, mode="live", now=now)
        s.commit()
        fixed = Principal(kind="user", id=admin.id, tenant_id=tenant.id,
                          permissions=permissions_for("admin"), roles=("admin",),
                          email=admin.email, name=admin.name, user_id=admin.id)
        tenant_row = tenant
    return app, {"X-API-Key": key}, {"email": "bench@example.com",
                                     "password": "bench password"}, (fixed, tenant_row)


async def _measure(client: httpx.AsyncClient, path: str, headers: dict[str, str],
                   n: int) -> list[float]:
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        resp = await client.get(path, headers=headers)
        samples.append(time.perf_counter() - t0)
        assert resp.status_code == 200, resp.text
    return samples


ROUNDS = 5


async def _run(home: Path, n: int) -> dict[str, list[float]]:
    app, key_headers, login, (fixed, tenant) = _build(home)
    app.include_router(_unauthenticated_twin(fixed, tenant))
    transport = httpx.ASGITransport(app=app)
    out: dict[str, list[float]] = {"jwt": [], "api_key": [], "baseline": []}
    variants = (("jwt", PATH), ("api_key", PATH), ("baseline", BASELINE_PATH))
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=transport, base_url="http://bench") as client:
        tokens = (await client.post("/api/v1/auth/login", json=login)).json()["data"]
        headers = {"jwt": {"Authorization": f"Bearer {tokens['accessToken']}"},
                   "api_key": key_headers, "baseline": {}}
        # Interleaved rounds, so drift (caches, WAL growth, limiter state) hits every variant.
        for round_no in range(ROUNDS + 1):
            per = max(1, n // ROUNDS) if round_no else min(50, n)  # round 0 warms up
            for name, path in variants:
                samples = await _measure(client, path, headers[name], per)
                if round_no:
                    out[name].extend(samples)
    return out


def _unauthenticated_twin(fixed: Any, tenant: Any) -> APIRouter:
    """``GET /api/v1/admin/users`` without authentication: the same route function, the
    same middleware, session, tenant filter and envelope, with a fixed caller.

    (Not ``app.dependency_overrides``: FastAPI re-inspects an overridden dependency on every
    request, which would make the baseline slower than the real thing.)
    """

    async def no_auth(request: Request, session: SessionDep) -> Any:
        tenancy.scope(session, fixed.tenant_id)
        request.scope["state"]["principal"] = fixed
        request.scope["state"]["tenant"] = tenant
        return fixed

    router = APIRouter()

    @router.get(BASELINE_PATH.split("?")[0])
    def twin(request: Request, session: SessionDep, page: PageDep,
             principal: Any = Depends(no_auth)) -> Any:
        return admin.list_users(request=request, session=session, _p=principal, page=page,
                                role=None, status=None, search=None)

    return router


def run(size: int) -> tuple[dict[str, object], dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp, open(os.devnull, "w") as null:
        os.environ.setdefault("TILLBRIDGE_HOME", tmp)
        # The access log is still rendered for every request; it just is not printed.
        with contextlib.redirect_stderr(null):
            samples = asyncio.run(_run(Path(tmp), size))
    size = len(samples["jwt"])
    t = {k: sum(v) for k, v in samples.items()}
    return (
        {"requests_per_variant": size, "path": PATH, "database": "sqlite (embedded)",
         "transport": "httpx.ASGITransport, sequential"},
        {
            "jwt_requests_per_s": size / t["jwt"],
            "api_key_requests_per_s": size / t["api_key"],
            "baseline_requests_per_s": size / t["baseline"],
            "jwt_p50_ms": percentile(samples["jwt"], 50) * 1000,
            "jwt_p95_ms": percentile(samples["jwt"], 95) * 1000,
            "baseline_p50_ms": percentile(samples["baseline"], 50) * 1000,
            "baseline_p95_ms": percentile(samples["baseline"], 95) * 1000,
            "ratio_auth_overhead": t["jwt"] / t["baseline"],
            "ratio_api_key_overhead": t["api_key"] / t["baseline"],
        },
    )
