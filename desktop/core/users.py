"""Till users: roles, permissions, PIN hashing (argon2) and the lockout rule.

A cashier logs in with login + PIN. Sensitive actions need a permission; when the logged-in user
lacks it, a store manager approves by entering their own PIN (:class:`Approval`), and the
approver is recorded with the fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from desktop.core.errors import InvalidPin

__all__ = [
    "ROLE_PERMISSIONS",
    "Approval",
    "Permission",
    "PinHasher",
    "Role",
    "User",
    "check_login_format",
    "check_pin_format",
    "lockout_until",
]

_PIN = re.compile(r"^\d{4,12}$")
_LOGIN = re.compile(r"^[\w.\-@]{1,64}$")


class Role(StrEnum):
    """What a till user is."""

    CASHIER = "cashier"
    """Sells, takes payments, opens and closes shifts, moves service cash."""
    STORE_MANAGER = "store_manager"
    """Everything a cashier does plus voids, overrides, returns and user management."""


class Permission(StrEnum):
    """An action that is checked against the user's role."""

    SELL = "sell"
    SHIFT = "shift"
    """Open/close shifts, X reports."""
    CASH_MOVEMENT = "cash_movement"
    """Service cash in/out."""
    VOID_LINE = "void_line"
    """Void a line or lower its quantity."""
    CANCEL_SALE = "cancel_sale"
    """Cancel a cart that has lines."""
    PRICE_OVERRIDE = "price_override"
    DISCOUNT_OVER_LIMIT = "discount_over_limit"
    """A discount above ``cashier_max_discount_percent``."""
    RETURN = "return"
    MANAGE_USERS = "manage_users"
    SETTINGS = "settings"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CASHIER: frozenset({Permission.SELL, Permission.SHIFT, Permission.CASH_MOVEMENT}),
    Role.STORE_MANAGER: frozenset(Permission),
}


@dataclass(frozen=True)
class User:
    """A till user (the PIN hash never leaves the store layer through this object)."""

    id: str
    login: str
    name: str
    role: Role
    active: bool = True
    failed_attempts: int = 0
    locked_until: datetime | None = None

    def can(self, permission: Permission) -> bool:
        return self.active and permission in ROLE_PERMISSIONS[self.role]

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


@dataclass(frozen=True)
class Approval:
    """Proof that a manager allowed ``permission`` at ``at``, from ``Till.authorize``.

    Single-use and short-lived; the till only honours tokens it issued itself.
    """

    user_id: str
    user_name: str
    permission: Permission
    at: datetime
    token: str = field(repr=False, default="")


def check_pin_format(pin: str) -> None:
    if not isinstance(pin, str) or not _PIN.match(pin):
        raise InvalidPin("a PIN is 4-12 digits", field="pin")


def check_login_format(login: str) -> None:
    if not isinstance(login, str) or not _LOGIN.match(login):
        raise InvalidPin("a login is 1-64 letters, digits or . - _ @", field="login")


class PinHasher:
    """argon2id PIN hashes. ``fast=True`` lowers the cost for tests and benchmarks only."""

    def __init__(self, *, fast: bool = False) -> None:
        self._ph = (PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1) if fast
                    else PasswordHasher())

    def hash(self, pin: str) -> str:
        check_pin_format(pin)
        return self._ph.hash(pin)

    def verify(self, pin_hash: str, pin: str) -> bool:
        """True when ``pin`` matches; never raises for a wrong PIN or a damaged hash."""
        try:
            return self._ph.verify(pin_hash, pin)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, pin_hash: str) -> bool:
        try:
            return self._ph.check_needs_rehash(pin_hash)
        except InvalidHashError:
            return True


def lockout_until(now: datetime, failed: int, *, max_attempts: int,
                  minutes: int) -> datetime | None:
    """When ``failed`` consecutive wrong PINs reach ``max_attempts``, lock for ``minutes``."""
    return now + timedelta(minutes=minutes) if failed >= max_attempts else None
