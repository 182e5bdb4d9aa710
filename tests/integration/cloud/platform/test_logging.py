"""One structured access-log line per request, with request id, tenant and actor, no secrets."""

from __future__ import annotations

import json

import pytest
from conftest import World

from tests.support.cloud_api import PASSWORD


def test_access_log_carries_request_tenant_and_actor(world: World,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    api, a = world.api, world.a
    capsys.readouterr()
    tokens = api.login(a.admin)
    resp = api.as_(a.admin, "GET", "/api/v1/admin/users", headers={"X-Request-ID": "req-log-1"})
    assert resp.headers["x-request-id"] == "req-log-1"
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()
             if line.startswith("{")]
    access = [e for e in lines if e.get("event") == "request"
              and e.get("path") == "/api/v1/admin/users"]
    assert access and access[-1]["request_id"] == "req-log-1"
    assert access[-1]["tenant_id"] == str(a.id)
    assert access[-1]["actor"] == f"user:{a.admin.id}" and access[-1]["status"] == 200
    text = json.dumps(lines)
    for secret in (PASSWORD, tokens["accessToken"], tokens["refreshToken"]):
        assert secret not in text
