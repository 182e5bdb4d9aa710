"""Roles and scopes as seed 001 §2.3–2.4; password and API-key hashing."""

from __future__ import annotations

import pytest

from cloud.auth import rbac
from cloud.auth.hashing import (
    PasswordPolicy,
    check_password,
    hash_api_key,
    hash_password,
    new_api_key,
    parse_api_key,
)
from cloud.errors import InvalidInput


def _seed_scopes(role: str, extra: list[str] | None = None) -> frozenset[str]:
    """A role's seed 001 scopes (later families may grant their own scopes too)."""
    return rbac.permissions_for(role, extra or []) & frozenset(rbac.SCOPES)


def test_roles_match_the_seed() -> None:
    admin = rbac.permissions_for("admin")
    assert set(rbac.SCOPES) <= admin and len(rbac.SCOPES) == 22
    manager = _seed_scopes("sales_manager")
    assert "negotiations:archive" not in manager and "hitl:escalate" not in manager
    assert {"hitl:read", "hitl:approve", "hitl:reject", "documents:cancel"} <= manager
    assert _seed_scopes("sales_rep") == {
        "products:read", "negotiations:read", "negotiations:write", "documents:read",
        "documents:create"}
    assert _seed_scopes("viewer") == {"products:read", "negotiations:read",
                                              "documents:read"}
    assert not any(s.startswith("admin:") for s in _seed_scopes("store_manager"))
    assert _seed_scopes("cashier") <= _seed_scopes("store_manager")
    assert rbac.permissions_for("nobody") == frozenset()
    assert _seed_scopes("viewer", ["hitl:read", "made:up"]) == {
        "products:read", "negotiations:read", "documents:read", "hitl:read"}


def test_unknown_permissions_are_dropped() -> None:
    assert "made:up" not in rbac.permissions_for("viewer", ["made:up"])


def test_new_scopes_go_to_admin_and_named_roles() -> None:
    rbac.register_scopes("test-queues:read", roles=(rbac.Role.STORE_MANAGER,))
    assert "test-queues:read" in rbac.permissions_for("admin")
    assert "test-queues:read" in rbac.permissions_for("store_manager")
    assert "test-queues:read" not in rbac.permissions_for("viewer")


def test_passwords_are_argon2id() -> None:
    stored = hash_password("hunter2 hunter2")
    assert stored.startswith("$argon2id$") and "hunter2" not in stored
    assert check_password(stored, "hunter2 hunter2")
    assert not check_password(stored, "hunter3 hunter3")
    assert not check_password(None, "anything")
    assert not check_password("not a hash", "anything")


def test_password_policy() -> None:
    policy = PasswordPolicy.from_settings({"passwordPolicy": {
        "minLength": 10, "requireUppercase": True, "requireNumber": True,
        "requireSpecial": True}})
    policy.check("Abcdefgh1!")
    with pytest.raises(InvalidInput) as err:
        policy.check("abcdefgh", field="tempPassword")
    assert err.value.field == "tempPassword" and "uppercase" in err.value.message
    assert PasswordPolicy.from_settings({"passwordPolicy": {"minLength": 3}}).min_length == 8


def test_api_keys() -> None:
    live, test = new_api_key("live"), new_api_key("test")
    assert live.startswith("sk_live_") and test.startswith("sk_test_") and len(live) == 51
    assert parse_api_key(live) == "live" and parse_api_key(test) == "test"
    assert parse_api_key("sk_live_x") is None and parse_api_key("pk_live_" + "a" * 40) is None
    assert hash_api_key(live) != hash_api_key(test) and live not in hash_api_key(live)
