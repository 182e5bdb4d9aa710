"""The seed-002 API over HTTP (TestClient), on SQLite and PostgreSQL, with the fakes."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from _recon_api_env import ApiWorld, api_settings
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from cloud.app import create_app
from cloud.integrations.emulators.harness import run_fakes
from cloud.integrations.emulators.scenario import build_scenario
from cloud.models import Base
from shared.clock import ManualClock

SHOPIFY = {"shop_url": "my-store.myshopify.com", "access_token": "shpat_0123456789abcdef"}


def _client(w: ApiWorld, email: str | None = None, name: str = "Client") -> dict[str, Any]:
    resp = w.call(email or w.a.admin, "POST", "/api/v1/clients", json={"name": name})
    assert resp.status_code == 201, resp.text
    return resp.json()  # type: ignore[no-any-return]


def _count(w: ApiWorld, table: str, tenant: uuid.UUID) -> int:
    rows = Base.metadata.tables[table]
    with w.sessions() as s:
        return int(s.execute(select(func.count()).select_from(rows)
                             .where(rows.c.tenant_id == tenant)).scalar_one())


def _err(resp: Any, status: int) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) >= {"detail", "code"}, body  # seed-002 error shape
    return body  # type: ignore[no-any-return]


def test_clients_crud_and_paging(world: ApiWorld) -> None:
    w = world
    made = [_client(w, name=f"Shop {i:02d}") for i in range(5)]
    resp = w.call(w.a.viewer, "GET", "/api/v1/clients", params={"skip": 1, "limit": 2})
    assert resp.status_code == 200
    assert resp.headers["X-Total-Count"] == "5"
    assert [c["name"] for c in resp.json()] == ["Shop 01", "Shop 02"]
    cid = made[0]["id"]
    assert w.call(w.a.viewer, "GET", f"/api/v1/clients/{cid}").json()["slug"] == "shop-00"
    resp = w.call(w.a.admin, "PUT", f"/api/v1/clients/{cid}",
                  json={"name": "Renamed", "slug": "renamed",
                        "logo_url": "https://cdn.example.com/l.png"})
    assert resp.status_code == 200 and resp.json()["logo_url"].endswith("l.png")
    _err(w.call(w.a.admin, "PUT", f"/api/v1/clients/{made[1]['id']}",
                json={"slug": "renamed"}), 409)
    _err(w.call(w.a.viewer, "PUT", f"/api/v1/clients/{cid}", json={"name": "x"}), 403)
    assert w.call(w.a.admin, "DELETE", f"/api/v1/clients/{cid}").status_code == 204
    _err(w.call(w.a.admin, "GET", f"/api/v1/clients/{cid}"), 404)
    _err(w.client.get("/api/v1/clients"), 401)


def test_another_tenants_ids_are_not_found(world: ApiWorld) -> None:
    w = world
    theirs = _client(w, w.b.admin)
    cid = theirs["id"]
    resp = w.call(w.b.admin, "POST", f"/api/v1/clients/{cid}/connectors",
                  json={"connector_type": "shopify", "config": SHOPIFY})
    conn_id = resp.json()["id"]
    for method, path, body in [
        ("GET", f"/api/v1/clients/{cid}", None),
        ("PUT", f"/api/v1/clients/{cid}", {"name": "mine"}),
        ("DELETE", f"/api/v1/clients/{cid}", None),
        ("GET", f"/api/v1/clients/{cid}/connectors", None),
        ("POST", f"/api/v1/clients/{cid}/connectors",
         {"connector_type": "shopify", "config": SHOPIFY}),
        ("POST", f"/api/v1/clients/{cid}/invite", {"email": "x@example.com"}),
        ("GET", f"/api/v1/clients/{cid}/users", None),
        ("GET", f"/api/v1/connectors/{conn_id}", None),
        ("PUT", f"/api/v1/connectors/{conn_id}", {"name": "mine"}),
        ("DELETE", f"/api/v1/connectors/{conn_id}", None),
        ("POST", f"/api/v1/connectors/{conn_id}/test", None),
        ("POST", f"/api/v1/jobs/run/{cid}", {"days": 3}),
        ("POST", f"/api/v1/trigger/{cid}", {"days": 3}),
        ("GET", f"/api/v1/clients/{cid}/schedule", None),
        ("POST", f"/api/v1/clients/{cid}/schedule", {"frequency": "daily"}),
        ("GET", f"/api/v1/jobs?client_id={cid}", None),
    ]:
        _err(w.call(w.a.admin, method, path, json=body), 404)
    for table in ("recon_clients", "recon_connectors", "recon_jobs", "recon_client_users"):
        assert _count(w, table, w.a.id) == 0
    assert w.call(w.a.admin, "GET", "/api/v1/clients").json() == []
    assert w.call(w.b.admin, "GET", f"/api/v1/clients/{cid}").json()["name"] == "Client"


GA4_OK: dict[str, Any] = {
    "property_id": "1", "credentials_json": {
        "type": "service_account", "project_id": "p", "client_email": "a@p.iam.example.com",
        "private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}}


BAD_CONNECTORS: list[tuple[str, dict[str, Any]]] = [
    ("magento", SHOPIFY),
    ("shopify", {"shop_url": "http://shop.example.com", "access_token": "shpat_0123456789"}),
    ("shopify", {"shop_url": "my-store.myshopify.com"}),
    ("woocommerce", {"url": "https://x.ro", "consumer_key": "nope", "consumer_secret": "cs_1"}),
    ("ga4", {**GA4_OK, "property_id": "G-XYZ"}),
    ("ga4", {**GA4_OK, "credentials_json": {**GA4_OK["credentials_json"],
                                            "type": "authorized_user"}}),
    ("tillbridge", {"store_ids": []}),
    ("tillbridge", {"store_ids": [str(uuid.uuid4())]}),  # not one of the tenant's stores
]


def test_invalid_connectors_are_refused_and_not_stored(world: ApiWorld) -> None:
    w = world
    cid = _client(w)["id"]
    for kind, config in BAD_CONNECTORS:
        body = _err(w.call(w.a.admin, "POST", f"/api/v1/clients/{cid}/connectors",
                           json={"connector_type": kind, "config": config}), 422)
        assert body["code"].startswith("VAL_"), (kind, body)
    assert _count(w, "recon_connectors", w.a.id) == 0


BAD_JOBS: list[dict[str, Any]] = [
    {"days": 0}, {"days": 366}, {"max_retries": 6}, {"start_date": "2026-13-01"},
    {"start_date": "01/02/2026"}, {"start_date": "2026-03-10", "end_date": "2026-03-01"},
    {"start_date": "2026-04-02"}, {"days": "many"},
]


def test_bad_job_input_is_refused_and_nothing_is_queued(world: ApiWorld) -> None:
    w = world
    cid = _client(w)["id"]
    for kind, cfg in (("shopify", SHOPIFY), ("ga4", GA4_OK)):
        assert w.call(w.a.admin, "POST", f"/api/v1/clients/{cid}/connectors",
                      json={"connector_type": kind, "config": cfg}).status_code == 201
    for body in BAD_JOBS:
        for path in (f"/api/v1/jobs/run/{cid}", f"/api/v1/trigger/{cid}"):
            assert _err(w.call(w.a.admin, "POST", path, json=body), 422)["detail"], body
    _err(w.call(w.a.admin, "POST", f"/api/v1/jobs/run/{cid}", params={"days": 0}), 422)
    assert _count(w, "recon_jobs", w.a.id) == 0
    assert _count(w, "jobs", w.a.id) == 0


def test_trigger_without_connectors_is_a_conflict(world: ApiWorld) -> None:
    w = world
    cid = _client(w)["id"]
    assert "GA4" in _err(w.call(w.a.admin, "POST", f"/api/v1/jobs/run/{cid}"), 409)["detail"]
    _err(w.call(w.a.admin, "GET", "/api/v1/clients/00000000-0000-0000-0000-000000000000/"
                                  "connectors/config-examples/magento"), 422)


def test_connectors_masked_examples_and_test_endpoint(world: ApiWorld) -> None:
    w = world
    cid = _client(w)["id"]
    ex = w.call(w.a.admin, "GET", f"/api/v1/clients/{cid}/connectors/config-examples/ga4")
    assert ex.status_code == 200 and ex.json()["config"]["property_id"] == "123456789"
    assert "private_key" in ex.json()["secret_fields"]
    sc = build_scenario("shopify", orders=12, days=1, missing=0, mismatched=0,
                        end=w.clock.now().date())
    with run_fakes(sc) as fakes:
        resp = w.call(w.a.admin, "POST", f"/api/v1/clients/{cid}/connectors",
                      json={"connector_type": "shopify", "config": fakes.backend_config,
                            "name": "Main shop"})
        assert resp.status_code == 201, resp.text
        shown = resp.json()
        token = fakes.backend_config["access_token"]
        assert token not in resp.text and shown["config"]["access_token"].startswith("****")
        assert shown["role"] == "backend"
        conn_id = shown["id"]
        tested = w.call(w.a.admin, "POST", f"/api/v1/connectors/{conn_id}/test").json()
        assert tested["ok"] is True and tested["records"] == 12
        # The masked config sent back keeps the token; a changed field is re-encrypted.
        cfg = copy.deepcopy(shown["config"])
        cfg["api_version"] = "2024-10"
        resp = w.call(w.a.admin, "PUT", f"/api/v1/connectors/{conn_id}", json={"config": cfg})
        assert resp.status_code == 200 and resp.json()["config"]["api_version"] == "2024-10"
        assert w.call(w.a.admin, "POST", f"/api/v1/connectors/{conn_id}/test").json()["ok"]
        cfg["access_token"] = "shpat_revoked_0000000"
        w.call(w.a.admin, "PUT", f"/api/v1/connectors/{conn_id}", json={"config": cfg})
        tested = w.call(w.a.admin, "POST", f"/api/v1/connectors/{conn_id}/test").json()
        assert tested["ok"] is False and "credentials" in tested["message"]
    got = w.call(w.a.viewer, "GET", f"/api/v1/connectors/{conn_id}").json()
    assert got["last_test_ok"] is False
    with w.sessions() as s:
        table = Base.metadata.tables["recon_connectors"]
        raw = s.execute(select(table.c.config_encrypted)
                        .where(table.c.id == uuid.UUID(conn_id))).scalar_one()
    assert "shpat" not in raw and "127.0.0.1" not in raw
    _err(w.call(w.a.viewer, "DELETE", f"/api/v1/connectors/{conn_id}"), 403)
    assert w.call(w.a.admin, "DELETE", f"/api/v1/connectors/{conn_id}").status_code == 204


def test_wrong_encryption_key_is_a_clear_error(world: ApiWorld, recon_api_db: str) -> None:
    w = world
    cid = _client(w)["id"]
    conn = w.call(w.a.admin, "POST", f"/api/v1/clients/{cid}/connectors",
                  json={"connector_type": "shopify", "config": SHOPIFY}).json()
    other = api_settings(recon_api_db)  # same database, another ENCRYPTION_KEY
    other = other.model_copy(update={"jwt_secret": w.settings.jwt_secret})
    with TestClient(create_app(other, clock=ManualClock(w.clock.now()))) as client:
        resp = client.get(f"/api/v1/connectors/{conn['id']}", headers=w.h(w.a.admin))
    body = _err(resp, 500)
    assert "ENCRYPTION_KEY" in body["detail"]
    assert "shpat" not in resp.text


def test_invites_duplicates_expiry_accept_and_revoke(world: ApiWorld) -> None:
    w = world
    cid = _client(w)["id"]
    other = _client(w, name="Other")["id"]
    resp = w.call(w.a.admin, "POST", f"/api/v1/clients/{cid}/invite",
                  json={"email": w.a.viewer.upper(), "role": "admin"})
    assert resp.status_code == 201, resp.text
    inv = resp.json()
    assert inv["status"] == "invited" and inv["user_id"] is not None  # a platform user
    assert inv["invite_token"] in inv["invite_link"]
    _err(w.call(w.a.admin, "POST", f"/api/v1/clients/{cid}/invite",
                json={"email": w.a.viewer}), 409)
    _err(w.call(w.a.admin, "POST", f"/api/v1/clients/{cid}/invite",
                json={"email": "not-an-email"}), 422)
    # Before accepting, the viewer cannot manage the client.
    _err(w.call(w.a.viewer, "GET", f"/api/v1/clients/{cid}/users"), 403)
    _err(w.call(w.a.admin, "POST", f"/api/v1/clients/{cid}/invite/accept",
                json={"token": inv["invite_token"]}), 403)  # someone else's invite
    ok = w.call(w.a.viewer, "POST", f"/api/v1/clients/{cid}/invite/accept",
                json={"token": inv["invite_token"]})
    assert ok.status_code == 200 and ok.json()["status"] == "active"
    # As client admin the viewer manages this client, and only this one.
    users = w.call(w.a.viewer, "GET", f"/api/v1/clients/{cid}/users").json()
    assert [u["status"] for u in users] == ["active"]
    assert w.call(w.a.viewer, "POST", f"/api/v1/clients/{cid}/connectors",
                  json={"connector_type": "shopify", "config": SHOPIFY}).status_code == 201
    _err(w.call(w.a.viewer, "POST", f"/api/v1/clients/{other}/connectors",
                json={"connector_type": "shopify", "config": SHOPIFY}), 403)
    _err(w.call(w.a.admin, "POST", f"/api/v1/clients/{cid}/invite",
                json={"email": w.a.viewer}), 409)  # already has access
    # An invite expires; an expired one can be renewed.
    late = w.call(w.a.admin, "POST", f"/api/v1/clients/{cid}/invite",
                  json={"email": "late@example.com"}).json()
    w.clock.advance(w.settings.invite_ttl_s + 1)
    listed = {u["email"]: u["status"] for u in
              w.call(w.a.admin, "GET", f"/api/v1/clients/{cid}/users").json()}
    assert listed["late@example.com"] == "expired"
    assert w.call(w.a.admin, "POST", f"/api/v1/clients/{cid}/invite",
                  json={"email": "late@example.com"}).status_code == 201
    assert w.call(w.a.admin, "DELETE", f"/api/v1/users/{late['id']}").status_code == 204
    _err(w.call(w.a.admin, "DELETE", f"/api/v1/users/{late['id']}"), 404)
    assert w.call(w.a.admin, "DELETE", f"/api/v1/users/{ok.json()['id']}").status_code == 204
    _err(w.call(w.a.viewer, "GET", f"/api/v1/clients/{cid}/users"), 403)


def test_jobs_run_list_retry_and_admin(world: ApiWorld) -> None:
    w = world
    cid = _client(w)["id"]
    sc = build_scenario("woocommerce", orders=80, days=5, missing=3, mismatched=2,
                        end=w.clock.now().date())
    with run_fakes(sc) as fakes:
        for kind, cfg in (("woocommerce", fakes.backend_config), ("ga4", fakes.ga4_config)):
            w.call(w.a.admin, "POST", f"/api/v1/clients/{cid}/connectors",
                   json={"connector_type": kind, "config": cfg})
        fakes.ga4.faults.set(always=True)
        resp = w.call(w.a.admin, "POST", f"/api/v1/jobs/run/{cid}",
                      json={"days": 5, "max_retries": 1})
        assert resp.status_code == 202, resp.text
        job = resp.json()
        assert job["status"] == "PENDING" and resp.headers["Location"].endswith(job["id"])
        assert w.worker.run_once() == 1
        mid = w.call(w.a.viewer, "GET", f"/api/v1/jobs/{job['id']}").json()
        assert mid["status"] == "RETRYING" and mid["next_retry_at"] is not None
        assert mid["can_retry"] is False
        _err(w.call(w.a.admin, "POST", f"/api/v1/jobs/{job['id']}/retry"), 409)
        w.clock.advance(2)
        assert w.worker.run_once() == 1
        failed = w.call(w.a.viewer, "GET", f"/api/v1/jobs/{job['id']}").json()
        assert failed["status"] == "FAILED" and failed["can_retry"] is True
        assert failed["retry_count"] == 1
        fakes.ga4.faults.clear()
        _err(w.call(w.a.viewer, "POST", f"/api/v1/jobs/{job['id']}/retry"), 403)
        again = w.call(w.a.admin, "POST", f"/api/v1/jobs/{job['id']}/retry")
        assert again.status_code == 202 and again.json()["status"] == "PENDING"
        assert w.worker.run_once() == 1
        second = w.call(w.a.admin, "POST", f"/api/v1/trigger/{cid}",
                        params={"start_date": "2026-03-27"}).json()
        assert second["days"] == 5 and second["trigger"] == "trigger"
        assert w.worker.run_once() == 1
    done = w.call(w.a.viewer, "GET", f"/api/v1/jobs/{job['id']}").json()
    assert done["status"] == "COMPLETED" and done["manual_retries"] == 1
    assert sorted(done["result"]["missing_ids"]) == sorted(sc.missing_ids)
    assert done["result"]["mismatch_count"] == 2
    listed = w.call(w.a.viewer, "GET", "/api/v1/jobs",
                    params={"client_id": cid, "status": "COMPLETED"})
    assert listed.headers["X-Total-Count"] == "2"
    _err(w.call(w.a.viewer, "GET", "/api/v1/jobs", params={"status": "DONE"}), 422)
    stats = w.call(w.a.admin, "GET", "/api/v1/admin/stats").json()
    assert stats["client_count"] == 1 and stats["job_count"] == 2
    assert stats["jobs_by_status"]["COMPLETED"] == 2 and stats["jobs_by_status"]["FAILED"] == 0
    assert len(stats["recent_jobs"]) == 2
    _err(w.call(w.a.viewer, "GET", "/api/v1/admin/stats"), 403)
    adm = w.call(w.a.admin, "GET", "/api/v1/admin/jobs", params={"trigger": "trigger"})
    assert [j["id"] for j in adm.json()] == [second["id"]]
    assert w.call(w.b.admin, "GET", "/api/v1/admin/jobs").json() == []
