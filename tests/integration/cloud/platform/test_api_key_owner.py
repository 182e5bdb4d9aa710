"""An API key dies with the user who made it, unless an admin made it as a service key.
SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

from conftest import World
from sqlalchemy import select

from cloud.models.identity import ApiKey
from tests.support.cloud_api import Person

USERS = "/api/v1/admin/users"
KEYS = "/api/v1/auth/api-keys"
PROBE = "/api/v1/rate-limit/status"  # any signed-in caller may read it


def _code(resp: Any) -> str:
    return str(resp.json()["error"]["code"])


def _user(world: World, role: str, perms: list[str] | None = None) -> Person:
    email = f"{role}-{uuid.uuid4().hex[:6]}@example.com"
    made = world.api.as_(world.a.admin, "POST", USERS, json={
        "email": email, "firstName": "Key", "lastName": "Maker", "role": role,
        "tempPassword": "a long enough password 1", "permissions": perms or []})
    assert made.status_code == 201, made.text
    return Person(uuid.UUID(made.json()["data"]["id"]), email, role, "a long enough password 1")


def _key(world: World, who: Person, **extra: Any) -> dict[str, Any]:
    made = world.api.as_(who, "POST", KEYS, json={"name": "sync", "scopes": ["products:read"],
                                                   **extra})
    assert made.status_code == 201, made.text
    return made.json()["data"]  # type: ignore[no-any-return]


def _works(world: World, key: str) -> bool:
    resp = world.api.client.get(PROBE, headers={"X-API-Key": key})
    if resp.status_code == 401:
        assert _code(resp) == "AUTH_API_KEY_INVALID", resp.text
        return False
    assert resp.status_code == 200, resp.text
    return True


def test_keys_die_with_their_creator_deleted(world: World) -> None:
    maker = _user(world, "viewer", ["admin:api-keys"])
    personal = _key(world, maker)
    assert personal["service"] is False
    assert _works(world, personal["key"])
    gone = world.api.as_(world.a.admin, "DELETE", f"{USERS}/{maker.id}")
    assert gone.status_code == 200, gone.text
    assert not _works(world, personal["key"])
    listed = world.api.as_(world.a.admin, "GET", KEYS).json()["data"]
    assert next(k for k in listed if k["id"] == personal["id"])["revokedAt"]


def test_keys_die_with_their_creator_suspended_or_erased(world: World) -> None:
    suspended = _user(world, "viewer", ["admin:api-keys"])
    erased = _user(world, "viewer", ["admin:api-keys"])
    keys = [_key(world, suspended)["key"], _key(world, erased)["key"]]
    assert all(_works(world, k) for k in keys)
    resp = world.api.as_(world.a.admin, "PUT", f"{USERS}/{suspended.id}",
                         json={"status": "suspended"})
    assert resp.status_code == 200, resp.text
    resp = world.api.as_(world.a.admin, "DELETE", f"{USERS}/{erased.id}",
                         params={"hardDelete": "true"})
    assert resp.status_code == 200, resp.text
    assert not any(_works(world, k) for k in keys)


def test_a_key_made_before_revocation_existed_is_refused_too(world: World) -> None:
    """Keys of users deleted before keys were revoked with them are refused when used."""
    maker = _user(world, "viewer", ["admin:api-keys"])
    personal = _key(world, maker)
    assert world.api.as_(world.a.admin, "DELETE", f"{USERS}/{maker.id}").status_code == 200
    with world.app.state.runtime.sessions.begin() as s:  # as the old code left it
        row = s.scalars(select(ApiKey).where(ApiKey.id == uuid.UUID(personal["id"]))).one()
        row.revoked_at = None
    assert not _works(world, personal["key"])


def test_a_service_key_survives_its_creator_and_only_admins_make_one(world: World) -> None:
    second_admin = _user(world, "admin")
    service = _key(world, second_admin, service=True)
    personal = _key(world, second_admin)
    assert service["service"] is True
    gone = world.api.as_(world.a.admin, "DELETE", f"{USERS}/{second_admin.id}")
    assert gone.status_code == 200, gone.text
    assert _works(world, service["key"])
    assert not _works(world, personal["key"])

    delegate = _user(world, "viewer", ["admin:api-keys"])
    refused = world.api.as_(delegate, "POST", KEYS, json={
        "name": "svc", "scopes": ["products:read"], "service": True})
    assert refused.status_code == 403 and _code(refused) == "AUTHZ_PERMISSION_DENIED"
    by_key = world.api.client.post(KEYS, headers={"X-API-Key": service["key"]}, json={
        "name": "svc", "scopes": ["products:read"], "service": True})
    assert by_key.status_code == 403
