"""Login, refresh with rotation, logout, token failures, RBAC and API keys (SQLite + PostgreSQL)."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import jwt
from conftest import World
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.support.cloud_api import error_code

USERS = "/api/v1/admin/users"


def test_login_access_refresh_logout(world: World) -> None:
    api, a = world.api, world.a
    tokens = api.login(a.admin)
    assert tokens["tokenType"] == "Bearer" and tokens["expiresIn"] == 900
    assert tokens["user"]["tenantId"] == str(a.id) and tokens["user"]["roles"] == ["admin"]
    bearer = {"Authorization": f"Bearer {tokens['accessToken']}"}
    assert api.client.get(USERS, headers=bearer).status_code == 200

    refreshed = api.client.post("/api/v1/auth/refresh",
                                json={"refreshToken": tokens["refreshToken"]})
    assert refreshed.status_code == 200, refreshed.text
    new = refreshed.json()["data"]
    assert new["refreshToken"] != tokens["refreshToken"]
    new_bearer = {"Authorization": f"Bearer {new['accessToken']}"}
    assert api.client.get(USERS, headers=new_bearer).status_code == 200

    out = api.client.post("/api/v1/auth/logout", headers=new_bearer,
                          json={"refreshToken": new["refreshToken"]})
    assert out.status_code == 200 and out.json()["data"] == {"loggedOut": True,
                                                            "sessionsRevoked": 1}
    for headers in (bearer, new_bearer):
        resp = api.client.get(USERS, headers=headers)
        assert resp.status_code == 401 and error_code(resp) == "AUTH_TOKEN_INVALID"
    again = api.client.post("/api/v1/auth/refresh", json={"refreshToken": new["refreshToken"]})
    assert again.status_code == 401 and error_code(again) == "AUTH_REFRESH_INVALID"


def test_replayed_refresh_token_revokes_the_family(world: World) -> None:
    api, a = world.api, world.a
    first = api.login(a.admin)
    second = api.client.post("/api/v1/auth/refresh",
                             json={"refreshToken": first["refreshToken"]}).json()["data"]
    replay = api.client.post("/api/v1/auth/refresh", json={"refreshToken": first["refreshToken"]})
    assert replay.status_code == 401 and error_code(replay) == "AUTH_REFRESH_INVALID"
    # The legitimate holder's newer tokens died with the family.
    later = api.client.post("/api/v1/auth/refresh", json={"refreshToken": second["refreshToken"]})
    assert later.status_code == 401 and error_code(later) == "AUTH_REFRESH_INVALID"
    resp = api.client.get(USERS, headers={"Authorization": f"Bearer {second['accessToken']}"})
    assert resp.status_code == 401
    # Another login of the same user is untouched, and the incident is in the audit log.
    other = {"Authorization": f"Bearer {api.login(a.admin)['accessToken']}"}
    audit = api.client.get("/api/v1/admin/audit", headers=other,
                           params={"action": "auth.refresh_reuse_detected"})
    assert audit.status_code == 200 and len(audit.json()["data"]["entries"]) == 1


def test_expired_invalid_and_missing_tokens(world: World) -> None:
    api, a = world.api, world.a
    tokens = api.login(a.admin)
    access = tokens["accessToken"]

    missing = api.client.get(USERS)
    assert missing.status_code == 401 and error_code(missing) == "AUTH_TOKEN_MISSING"
    assert missing.headers["www-authenticate"] == "Bearer"

    header, payload, sig = access.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["roles"], claims["tenantId"] = ["admin"], str(world.b.id)
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    other_key = jwt.encode(claims, Ed25519PrivateKey.generate(), algorithm="EdDSA")
    unsigned = jwt.encode(claims, key=None, algorithm="none")  # type: ignore[arg-type]
    for bad in ("not-a-jwt", f"{header}.{forged_payload}.{sig}", other_key, unsigned,
                access[:-4] + "AAAA"):
        resp = api.client.get(USERS, headers={"Authorization": f"Bearer {bad}"})
        assert resp.status_code == 401, bad
        assert error_code(resp) == "AUTH_TOKEN_INVALID", resp.text

    world.clock.advance(900 + 31)
    expired = api.client.get(USERS, headers={"Authorization": f"Bearer {access}"})
    assert expired.status_code == 401 and error_code(expired) == "AUTH_TOKEN_EXPIRED"
    # The refresh token still works, and gives a working access token.
    fresh = api.client.post("/api/v1/auth/refresh", json={"refreshToken": tokens["refreshToken"]})
    assert fresh.status_code == 200
    ok = api.client.get(USERS, headers={
        "Authorization": f"Bearer {fresh.json()['data']['accessToken']}"})
    assert ok.status_code == 200


def _sessions_of(world: World, user_id: object) -> int:
    from sqlalchemy import func, select

    from cloud import tenancy
    from cloud.models.identity import AuthSession

    with world.app.state.runtime.sessions() as s, tenancy.unscoped(s):
        return int(s.scalar(select(func.count(AuthSession.id))
                            .where(AuthSession.user_id == user_id)) or 0)


def test_session_expiry_and_idle_timeout(world: World) -> None:
    api, a = world.api, world.a
    tokens = api.login(a.admin)
    world.clock.advance(days=31)
    resp = api.client.post("/api/v1/auth/refresh", json={"refreshToken": tokens["refreshToken"]})
    assert resp.status_code == 401 and error_code(resp) == "AUTH_SESSION_EXPIRED"
    assert _sessions_of(world, a.admin.id) == 1
    world.clock.advance(days=1, seconds=1)
    api.login(a.viewer)  # any login purges the tenant's dead sessions
    assert _sessions_of(world, a.admin.id) == 0

    admin = {"Authorization": f"Bearer {api.login(a.admin)['accessToken']}"}
    put = api.client.put("/api/v1/admin/config", headers=admin,
                         json={"security": {"sessionTimeout": 30}})
    assert put.status_code == 200
    idle = api.login(a.viewer)
    world.clock.advance(minutes=31)
    resp = api.client.post("/api/v1/auth/refresh", json={"refreshToken": idle["refreshToken"]})
    assert resp.status_code == 401 and error_code(resp) == "AUTH_SESSION_EXPIRED"


def test_viewer_is_denied_admin_endpoints(world: World) -> None:
    api, a = world.api, world.a
    for method, path in (("GET", USERS), ("GET", "/api/v1/admin/config"),
                         ("GET", "/api/v1/admin/audit"), ("GET", "/api/v1/admin/health"),
                         ("POST", "/api/v1/auth/api-keys")):
        body = {"name": "x", "scopes": ["products:read"]} if method == "POST" else None
        resp = api.as_(a.viewer, method, path, json=body)
        assert resp.status_code == 403, (path, resp.text)
        assert error_code(resp) == "AUTHZ_PERMISSION_DENIED"
        assert resp.json()["error"]["details"]["missing"]
    assert api.as_(a.viewer, "GET", "/api/v1/rate-limit/status").status_code == 200


def test_api_key_scopes_expiry_and_revocation(world: World) -> None:
    api, a = world.api, world.a
    reader = {"X-API-Key": a.key}
    denied = api.client.get(USERS, headers=reader)
    assert denied.status_code == 403 and error_code(denied) == "AUTHZ_PERMISSION_DENIED"
    assert api.client.get("/api/v1/rate-limit/status", headers=reader).status_code == 200

    made = api.as_(a.admin, "POST", "/api/v1/auth/api-keys",
                   json={"name": "users-sync", "scopes": ["admin:users"],
                         "expiresAt": (world.clock.now() + timedelta(days=1)).isoformat(),
                         "rateLimit": 100, "mode": "test"})
    assert made.status_code == 201, made.text
    created = made.json()["data"]
    assert created["key"].startswith("sk_test_") and created["prefix"] == "sk_test_"
    key = {"X-API-Key": created["key"]}
    assert api.client.get(USERS, headers=key).status_code == 200
    listed = api.as_(a.admin, "GET", "/api/v1/auth/api-keys").json()["data"]
    mine = next(k for k in listed if k["id"] == created["id"])
    assert mine["lastUsedAt"] is not None and "key" not in mine
    assert created["key"] not in json.dumps(listed)

    world.clock.advance(days=1, seconds=1)
    expired = api.client.get(USERS, headers=key)
    assert expired.status_code == 401 and error_code(expired) == "AUTH_API_KEY_INVALID"

    api.login(a.admin)  # the earlier access token expired with the clock
    revoked = api.as_(a.admin, "DELETE", f"/api/v1/auth/api-keys/{a.key_id}")
    assert revoked.status_code == 200, revoked.text
    assert revoked.status_code == 200 and revoked.json()["data"]["revokedAt"]
    gone = api.client.get("/api/v1/rate-limit/status", headers=reader)
    assert gone.status_code == 401 and error_code(gone) == "AUTH_API_KEY_INVALID"
    for junk in ("sk_live_short", "nope", "sk_live_" + "A" * 43):
        resp = api.client.get(USERS, headers={"X-API-Key": junk})
        assert resp.status_code == 401 and error_code(resp) == "AUTH_API_KEY_INVALID"


def test_api_key_cannot_exceed_its_creator(world: World) -> None:
    api, a = world.api, world.a
    key = api.as_(a.admin, "POST", "/api/v1/auth/api-keys",
                  json={"name": "k", "scopes": ["admin:api-keys"]}).json()["data"]["key"]
    wider = api.client.post("/api/v1/auth/api-keys", headers={"X-API-Key": key},
                            json={"name": "k2", "scopes": ["admin:users"]})
    assert wider.status_code == 403 and error_code(wider) == "AUTHZ_PERMISSION_DENIED"
    unknown = api.as_(a.admin, "POST", "/api/v1/auth/api-keys",
                      json={"name": "k", "scopes": ["root:all"]})
    assert unknown.status_code == 422 and error_code(unknown) == "VAL_INVALID_ENUM"
    past = api.as_(a.admin, "POST", "/api/v1/auth/api-keys",
                   json={"name": "k", "scopes": ["products:read"],
                         "expiresAt": "2020-01-01T00:00:00Z"})
    assert past.status_code == 422 and error_code(past) == "VAL_OUT_OF_RANGE"


def test_logout_everywhere(world: World) -> None:
    api, a = world.api, world.a
    phone = api.login(a.admin, deviceId="phone")
    till = api.login(a.admin, deviceId="till-1")
    resp = api.client.post("/api/v1/auth/logout",
                           json={"refreshToken": phone["refreshToken"], "allDevices": True})
    assert resp.status_code == 200 and resp.json()["data"]["sessionsRevoked"] == 2
    for tokens in (phone, till):
        assert api.client.get(USERS, headers={
            "Authorization": f"Bearer {tokens['accessToken']}"}).status_code == 401
    # Logging out twice is harmless; an unknown token is not.
    again = api.client.post("/api/v1/auth/logout", json={"refreshToken": till["refreshToken"]})
    assert again.status_code == 200 and again.json()["data"]["sessionsRevoked"] == 0
    bogus = api.client.post("/api/v1/auth/logout", json={"refreshToken": "x" * 40})
    assert bogus.status_code == 401 and error_code(bogus) == "AUTH_REFRESH_INVALID"


def test_wrong_password_and_lockout(world: World) -> None:
    api, a = world.api, world.a
    unknown = api.client.post("/api/v1/auth/login",
                              json={"email": "ghost@example.com", "password": "whatever"})
    assert unknown.status_code == 401 and error_code(unknown) == "AUTH_INVALID_CREDENTIALS"
    for _ in range(10):
        resp = api.client.post("/api/v1/auth/login",
                               json={"email": a.viewer.email, "password": "wrong password"})
        assert resp.status_code == 401 and error_code(resp) == "AUTH_INVALID_CREDENTIALS"
    # Locked: the right password is refused too, exactly like a wrong one (a distinct answer
    # would tell a guesser which e-mails exist and that guessing locked one).
    locked = api.client.post("/api/v1/auth/login",
                             json={"email": a.viewer.email, "password": a.viewer.password})
    wrong = api.client.post("/api/v1/auth/login",
                            json={"email": a.viewer.email, "password": "wrong password"})
    assert _answer(locked) == _answer(wrong) == _answer(unknown)
    assert locked.status_code == 401 and error_code(locked) == "AUTH_INVALID_CREDENTIALS"
    assert "accessToken" not in locked.text
    world.clock.advance(minutes=16)
    assert api.client.post("/api/v1/auth/login", json={
        "email": a.viewer.email, "password": a.viewer.password}).status_code == 200
    failures = api.as_(a.admin, "GET", "/api/v1/admin/audit",
                       params={"action": "auth.login_failed"}).json()["data"]["entries"]
    assert len(failures) == 12 and "wrong password" not in json.dumps(failures)
    assert sum("account locked" in f["description"] for f in failures) == 3


def _answer(resp: Any) -> tuple[int, str, str, dict[str, str]]:
    """What a caller can compare: status, code, message and headers other than ids/limits."""
    error = resp.json()["error"]
    headers = {k: v for k, v in resp.headers.items()
               if k not in {"x-request-id", "content-length"} and not k.startswith("x-ratelimit")}
    return resp.status_code, error["code"], error["message"], headers


def test_suspended_user_and_ip_whitelist(world: World) -> None:
    api, a = world.api, world.a
    viewer = api.headers(a.viewer)
    assert api.client.get("/api/v1/rate-limit/status", headers=viewer).status_code == 200
    resp = api.as_(a.admin, "PUT", f"{USERS}/{a.viewer.id}", json={"status": "suspended"})
    assert resp.status_code == 200 and resp.json()["data"]["updated"] is True
    after = api.client.get("/api/v1/rate-limit/status", headers=viewer)
    assert after.status_code == 401 and error_code(after) == "AUTH_TOKEN_INVALID"
    relogin = api.client.post("/api/v1/auth/login",
                              json={"email": a.viewer.email, "password": a.viewer.password})
    assert relogin.status_code == 401

    put = api.as_(a.admin, "PUT", "/api/v1/admin/config",
                  json={"security": {"ipWhitelist": ["10.0.0.0/8"]}})
    assert put.status_code == 200
    blocked = api.as_(a.admin, "GET", USERS)  # the test client is not in 10.0.0.0/8
    assert blocked.status_code == 403 and error_code(blocked) == "AUTH_IP_BLOCKED"
    # Tenant B is not affected by A's whitelist.
    assert api.as_(world.b.admin, "GET", USERS).status_code == 200
