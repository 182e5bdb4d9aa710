"""A read-only role writes nothing through the reconciliation API (SQLite and PostgreSQL).

``viewer`` holds ``recon:read`` only: every write answers 403 and leaves the data as it was,
and an API key holding ``recon:read`` only is as read-only as its scopes say.
"""

from __future__ import annotations

import uuid
from typing import Any

from _recon_api_env import API_NOW, ApiWorld
from sqlalchemy import func, select

from cloud.models import Base
from cloud.models.reconciliation import ReconJob

SHOPIFY = {"shop_url": "my-store.myshopify.com", "access_token": "shpat_0123456789abcdef"}
GA4 = {"property_id": "42", "credentials_json": {
    "type": "service_account", "project_id": "p", "client_email": "a@p.iam.example.com",
    "private_key": "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n"}}
TABLES = ("recon_clients", "recon_connectors", "recon_jobs", "recon_client_users",
          "job_schedules")


def _ok(resp: Any, status: int = 201) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    return resp.json()  # type: ignore[no-any-return]


def _snapshot(w: ApiWorld, tenant: uuid.UUID) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with w.sessions() as s:
        for name in TABLES:
            table = Base.metadata.tables[name]
            out[name] = s.scalar(select(func.count()).select_from(table)
                                 .where(table.c.tenant_id == tenant))
        for name, column in (("recon_clients", "name"), ("recon_connectors", "name"),
                             ("job_schedules", "frequency"), ("recon_jobs", "status")):
            table = Base.metadata.tables[name]
            out[f"{name}.{column}"] = sorted(s.scalars(
                select(table.c[column]).where(table.c.tenant_id == tenant)))
    return out


def _failed_job(w: ApiWorld, client_id: uuid.UUID) -> str:
    """A failed job to retry, stored without queueing (other suites' workers share the queue)."""
    with w.sessions.begin() as s:
        job = ReconJob(tenant_id=w.a.id, client_id=client_id, status="FAILED", days=1,
                       start_date=API_NOW.date(), end_date=API_NOW.date(), history=[])
        s.add(job)
        s.flush()
        return str(job.id)


def _cleanup(w: ApiWorld) -> None:
    """Delete the clients (with their schedules) so no other test's scheduler fires them."""
    for client in w.call(w.a.admin, "GET", "/api/v1/clients").json():
        assert w.call(w.a.admin, "DELETE", f"/api/v1/clients/{client['id']}").status_code == 204


def _writes(w: ApiWorld) -> list[tuple[str, str, Any]]:
    """Every reconciliation write, aimed at real rows of tenant A."""
    a = w.a.admin
    cid = _ok(w.call(a, "POST", "/api/v1/clients", json={"name": "Shop"}))["id"]
    conn = _ok(w.call(a, "POST", f"/api/v1/clients/{cid}/connectors",
                      json={"connector_type": "shopify", "config": SHOPIFY}))["id"]
    _ok(w.call(a, "POST", f"/api/v1/clients/{cid}/connectors",
               json={"connector_type": "ga4", "config": GA4}))
    member = _ok(w.call(a, "POST", f"/api/v1/clients/{cid}/invite",
                        json={"email": "someone@example.com"}))["id"]
    job = _failed_job(w, uuid.UUID(cid))
    _ok(w.call(a, "POST", f"/api/v1/clients/{cid}/schedule", json={"frequency": "daily"}),
        200)
    return [
        ("POST", "/api/v1/clients", {"name": "Mine"}),
        ("PUT", f"/api/v1/clients/{cid}", {"name": "Mine"}),
        ("DELETE", f"/api/v1/clients/{cid}", None),
        ("POST", f"/api/v1/clients/{cid}/invite", {"email": "x@example.com"}),
        ("DELETE", f"/api/v1/users/{member}", None),
        ("POST", f"/api/v1/clients/{cid}/connectors",
         {"connector_type": "shopify", "config": SHOPIFY}),
        ("PUT", f"/api/v1/connectors/{conn}", {"name": "Mine"}),
        ("DELETE", f"/api/v1/connectors/{conn}", None),
        ("POST", f"/api/v1/connectors/{conn}/test", None),
        ("POST", f"/api/v1/jobs/run/{cid}", {"days": 3}),
        ("POST", f"/api/v1/trigger/{cid}", {"days": 3}),
        ("POST", f"/api/v1/jobs/{job}/retry", None),
        ("POST", f"/api/v1/clients/{cid}/schedule", {"frequency": "weekly"}),
        ("PUT", f"/api/v1/clients/{cid}/schedule", {"frequency": "weekly"}),
        ("DELETE", f"/api/v1/clients/{cid}/schedule", None),
    ]


def test_a_read_only_role_is_refused_every_reconciliation_write(world: ApiWorld) -> None:
    w = world
    writes = _writes(w)
    before = _snapshot(w, w.a.id)
    for method, path, body in writes:
        resp = w.call(w.a.viewer, method, path, json=body)
        assert resp.status_code == 403, (method, path, resp.text)
        assert resp.json()["code"] == "AUTHZ_PERMISSION_DENIED", resp.json()
    assert _snapshot(w, w.a.id) == before
    # Reading is still allowed.
    assert w.call(w.a.viewer, "GET", "/api/v1/clients").status_code == 200
    _cleanup(w)


def test_an_api_key_with_recon_read_only_cannot_write(world: ApiWorld) -> None:
    w = world
    writes = _writes(w)
    made = _ok(w.call(w.a.admin, "POST", "/api/v1/auth/api-keys",
                      json={"name": "reader", "scopes": ["recon:read"]}))
    key = {"X-API-Key": made["data"]["key"]}
    before = _snapshot(w, w.a.id)
    for method, path, body in writes:
        resp = w.client.request(method, path, headers=key, json=body)
        assert resp.status_code == 403, (method, path, resp.text)
    assert _snapshot(w, w.a.id) == before
    assert w.client.get("/api/v1/clients", headers=key).status_code == 200
    _cleanup(w)
