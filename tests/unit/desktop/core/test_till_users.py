"""PIN login with argon2 and lockout; user management."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.core import Permission, Role, Till
from desktop.core.errors import AccountLocked, InvalidPin, PermissionDenied, UserExists
from desktop.core.users import PinHasher, User
from shared.clock import ManualClock


def test_login_and_roles(bare_till: Till) -> None:
    user = bare_till.login("ana", "1234")
    assert user.role is Role.CASHIER and bare_till.current_user == user
    assert user.can(Permission.SELL) and not user.can(Permission.RETURN)
    bare_till.logout()
    assert bare_till.current_user is None


def test_pins_are_stored_as_argon2_hashes(bare_till: Till, store_path: Path) -> None:
    rows = sqlite3.connect(store_path).execute("SELECT login, pin_hash FROM users").fetchall()
    assert rows and all(h.startswith("$argon2id$") and "1234" not in h for _, h in rows)


def test_lockout_after_repeated_failures_then_expiry(bare_till: Till,
                                                     clock: ManualClock) -> None:
    for left in (4, 3, 2, 1):
        with pytest.raises(InvalidPin) as exc:
            bare_till.login("ana", "0000")
        assert exc.value.details["attempts_left"] == left
    with pytest.raises(AccountLocked) as locked:
        bare_till.login("ana", "0000")
    assert locked.value.code == "TILL_ACCOUNT_LOCKED" and locked.value.status == 423
    with pytest.raises(AccountLocked):
        bare_till.login("ana", "1234")  # even the right PIN while locked
    assert bare_till.outbox_after(0)[-1].type == "user.locked"
    clock.advance(minutes=15, seconds=1)
    assert bare_till.login("ana", "1234").login == "ana"
    assert bare_till.users()[0].failed_attempts == 0


def test_success_resets_the_failure_count(bare_till: Till) -> None:
    for _ in range(4):
        with pytest.raises(InvalidPin):
            bare_till.login("ana", "0000")
    bare_till.login("ana", "1234")
    with pytest.raises(InvalidPin) as exc:
        bare_till.login("ana", "0000")
    assert exc.value.details["attempts_left"] == 4


def test_manager_can_unlock(bare_till: Till) -> None:
    for _ in range(5):
        with pytest.raises((InvalidPin, AccountLocked)):
            bare_till.login("ana", "0000")
    bare_till.login("olena", "9999")
    bare_till.unlock_user("ana")
    assert bare_till.login("ana", "1234").login == "ana"


def test_unknown_user_and_bad_formats(bare_till: Till) -> None:
    with pytest.raises(InvalidPin):
        bare_till.login("nobody", "1234")
    with pytest.raises(InvalidPin):
        bare_till.login("bad login!", "1234")


def test_only_managers_create_users_after_the_first(bare_till: Till) -> None:
    bare_till.login("ana", "1234")
    with pytest.raises(PermissionDenied):
        bare_till.create_user("ion", "Ion", Role.CASHIER, "5555")
    approval = bare_till.authorize("olena", "9999", Permission.MANAGE_USERS)
    ion = bare_till.create_user("ion", "Ion", Role.CASHIER, "5555", approval=approval)
    assert isinstance(ion, User) and bare_till.outbox_after(0)[-1].type == "user.created"
    bare_till.login("olena", "9999")
    with pytest.raises(UserExists):
        bare_till.create_user("ion", "Ion 2", Role.CASHIER, "5555")
    with pytest.raises(InvalidPin):
        bare_till.create_user("vasyl", "Vasyl", Role.CASHIER, "12")  # PIN too short


def test_weak_hash_parameters_are_upgraded_on_login(bare_till: Till) -> None:
    strong = PinHasher()
    assert strong.needs_rehash(PinHasher(fast=True).hash("1234"))
    assert not strong.verify("not-a-hash", "1234")
