"""Connectors may not reach private addresses (SSRF), at store time and at request time, and a
connector test never echoes what the upstream sent. SQLite and PostgreSQL.

The strict app runs with an empty ``OUTBOUND_ALLOWED_TARGETS`` (production's default); the fakes
are small apps on 127.0.0.1 that count the requests they receive.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from _recon_api_env import API_NOW, ApiWorld, api_settings, make_worker, seed_shop
from fastapi import FastAPI, Request, Response
from fastapi.testclient import TestClient
from sqlalchemy import select

from cloud.app import create_app
from cloud.crypto import box_from_settings
from cloud.integrations.configs import ConnectorType
from cloud.integrations.emulators.server import serve_in_thread
from cloud.integrations.outbound import OutboundPolicy
from cloud.models import Base
from cloud.schemas.reconciliation import ConnectorCreate
from cloud.services.reconciliation import connectors
from shared.clock import ManualClock

TOKEN = "shpat_0123456789abcdef"
SECRET_BODY = "INTERNAL-METADATA-do-not-echo"
PRIVATE = ["http://127.0.0.1:{port}", "http://localhost", "http://localhost:{port}",
           "https://169.254.169.254", "https://10.0.0.1"]


@dataclass
class Fake:
    """An upstream that answers ``status`` with a secret body, or a redirect / next link."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: str = '{"orders": []}'
    hits: list[str] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.api_route("/{path:path}", methods=["GET", "POST"])
        async def anything(path: str, request: Request) -> Response:
            self.hits.append(str(request.url))
            return Response(self.body, status_code=self.status, headers=self.headers,
                            media_type="application/json")

        return app


@contextmanager
def serve(fake: Fake) -> Iterator[str]:
    with serve_in_thread(fake.app()) as url:
        yield url


@contextmanager
def app_world(db: str, allowed: str) -> Iterator[ApiWorld]:
    clock = ManualClock(API_NOW)
    settings = api_settings(db, outbound_allowed_targets=allowed)
    app = create_app(settings, clock=clock)
    sessions = app.state.runtime.sessions
    a = seed_shop(sessions, f"Shop A {uuid.uuid4().hex[:6]}", API_NOW)
    b = seed_shop(sessions, f"Shop B {uuid.uuid4().hex[:6]}", API_NOW)
    with TestClient(app) as client:
        yield ApiWorld(app, client, clock, settings, sessions,
                       make_worker(sessions, clock, settings), a, b, {})


@pytest.fixture
def strict(recon_api_db: str) -> Iterator[ApiWorld]:
    """The cloud as production runs it: no private target allowed."""
    with app_world(recon_api_db, "") as w:
        yield w


def _client(w: ApiWorld) -> str:
    resp = w.call(w.a.admin, "POST", "/api/v1/clients", json={"name": "Shop"})
    assert resp.status_code == 201, resp.text
    return str(resp.json()["id"])


def _stored_as_before_the_fix(w: ApiWorld, client_id: str, config: dict[str, Any],
                              kind: str = "shopify") -> str:
    """A connector row whose URL was accepted before targets were checked."""
    anything = OutboundPolicy("0.0.0.0/0, ::/0, localhost")
    with w.sessions.begin() as s:
        row = connectors.create_connector(
            s, tenant_id=w.a.id, client_id=uuid.UUID(client_id), policy=anything,
            box=box_from_settings(w.settings),
            data=ConnectorCreate(connector_type=ConnectorType(kind), config=config))
        return str(row.id)


def _configs(w: ApiWorld, tenant: uuid.UUID) -> list[str]:
    table = Base.metadata.tables["recon_connectors"]
    with w.sessions() as s:
        return list(s.scalars(select(table.c.config_encrypted)
                              .where(table.c.tenant_id == tenant)))


def _refused(resp: Any, field_name: str) -> None:
    assert resp.status_code == 422, resp.text
    body = resp.json()
    assert body["code"] == "VAL_INVALID_FORMAT" and body["field"] == field_name, body


@pytest.mark.parametrize("template", PRIVATE)
def test_private_targets_are_refused_on_create_update_and_test(strict: ApiWorld,
                                                               template: str) -> None:
    w = strict
    upstream = Fake()
    with serve(upstream) as url:
        port = url.rsplit(":", 1)[1]
        private = template.format(port=port)
        cid = _client(w)
        shopify = {"shop_url": private, "access_token": TOKEN}
        _refused(w.call(w.a.admin, "POST", f"/api/v1/clients/{cid}/connectors",
                        json={"connector_type": "shopify", "config": shopify}),
                 "config.shop_url")
        assert _configs(w, w.a.id) == []

        # An update to a private address is refused and changes nothing.
        ok = w.call(w.a.admin, "POST", f"/api/v1/clients/{cid}/connectors", json={
            "connector_type": "shopify",
            "config": {"shop_url": "my-store.myshopify.com", "access_token": TOKEN}})
        assert ok.status_code == 201, ok.text
        before = _configs(w, w.a.id)
        _refused(w.call(w.a.admin, "PUT", f"/api/v1/connectors/{ok.json()['id']}",
                        json={"config": {**ok.json()["config"], "shop_url": private}}),
                 "config.shop_url")
        assert _configs(w, w.a.id) == before

        # A row stored before the check: the test refuses to connect and sends nothing.
        old = _stored_as_before_the_fix(w, cid, shopify)
        tested = w.call(w.a.admin, "POST", f"/api/v1/connectors/{old}/test")
        assert tested.status_code == 200, tested.text
        result = tested.json()
        assert result["ok"] is False and result["reason"] == "target_refused", result
        assert result["upstream_status"] is None
    assert upstream.hits == []


@pytest.mark.parametrize(("kind", "config", "field_name"), [
    ("woocommerce", {"url": "http://127.0.0.1:9", "consumer_key": "ck_0123456789",
                     "consumer_secret": "cs_0123456789"}, "config.url"),
    ("ga4", {"api_base": "https://169.254.169.254"}, "config.api_base"),
    ("ga4", {"token_uri": "https://10.0.0.1/token"}, "config.credentials_json.token_uri"),
])
def test_every_connector_url_field_is_checked(strict: ApiWorld, kind: str,
                                              config: dict[str, Any], field_name: str) -> None:
    w = strict
    cid = _client(w)
    config = dict(config)
    if kind == "ga4":
        account = {"type": "service_account", "project_id": "p",
                   "client_email": "a@p.iam.example.com",
                   "private_key": "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n"}
        if "token_uri" in config:
            account["token_uri"] = config.pop("token_uri")
        config = {"property_id": "42", "credentials_json": account, **config}
    _refused(w.call(w.a.admin, "POST", f"/api/v1/clients/{cid}/connectors",
                    json={"connector_type": kind, "config": config}), field_name)
    assert _configs(w, w.a.id) == []


def test_a_redirect_or_next_link_to_a_private_address_is_not_followed(
        recon_api_db: str) -> None:
    """``localhost`` is allowed by name; 127.0.0.1 is not. The allowed fake points at the
    other one by a redirect and by a next-page link: neither is followed."""
    inner = Fake()
    with serve(inner) as inner_url, app_world(recon_api_db, "localhost") as w:
        target = f"{inner_url}/admin/api/2025-01/orders.json"
        redirect = Fake(status=302, headers={"Location": target})
        paging = Fake(headers={"Link": f'<{target}?page_info=x>; rel="next"'})
        cid = _client(w)
        for fake, reason in ((redirect, "http_302"), (paging, "target_refused")):
            with serve(fake) as url:
                shop = url.replace("127.0.0.1", "localhost")
                made = w.call(w.a.admin, "POST", f"/api/v1/clients/{cid}/connectors", json={
                    "connector_type": "shopify",
                    "config": {"shop_url": shop, "access_token": TOKEN}})
                assert made.status_code == 201, made.text
                result = w.call(w.a.admin, "POST",
                                f"/api/v1/connectors/{made.json()['id']}/test").json()
                assert len(fake.hits) == 1
            assert result["ok"] is False and result["reason"] == reason, result
    assert inner.hits == []


@pytest.mark.parametrize(("status", "reason"), [(500, "http_500"), (401, "auth_failed"),
                                                (404, "http_404")])
def test_connector_test_reports_a_reason_never_the_upstream_body(
        world: ApiWorld, status: int, reason: str) -> None:
    w = world
    upstream = Fake(status=status, body=SECRET_BODY)
    with serve(upstream) as url:
        cid = _client(w)
        made = w.call(w.a.admin, "POST", f"/api/v1/clients/{cid}/connectors", json={
            "connector_type": "shopify", "config": {"shop_url": url, "access_token": TOKEN}})
        assert made.status_code == 201, made.text
        tested = w.call(w.a.admin, "POST", f"/api/v1/connectors/{made.json()['id']}/test")
    assert upstream.hits, "the allowed fake was called"
    assert SECRET_BODY not in tested.text
    result = tested.json()
    assert result["ok"] is False and result["reason"] == reason
    assert result["upstream_status"] == status
    again = w.call(w.a.admin, "GET", f"/api/v1/connectors/{made.json()['id']}")
    assert SECRET_BODY not in again.text


def test_unreachable_upstream_is_reported_as_such(world: ApiWorld) -> None:
    w = world
    with serve(Fake()) as url:
        pass  # the port is closed again
    cid = _client(w)
    made = w.call(w.a.admin, "POST", f"/api/v1/clients/{cid}/connectors", json={
        "connector_type": "shopify", "config": {"shop_url": url, "access_token": TOKEN}})
    result = w.call(w.a.admin, "POST", f"/api/v1/connectors/{made.json()['id']}/test").json()
    assert result["ok"] is False and result["reason"] == "unreachable", result
