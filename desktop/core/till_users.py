"""Users part of the façade: PIN login with lockout, manager approvals, user management."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import structlog

from desktop.core.errors import AccountLocked, InvalidPin, PermissionDenied
from desktop.core.settings import TillSettings
from desktop.core.till_shifts import ShiftsMixin
from desktop.core.users import (
    Approval,
    Permission,
    Role,
    User,
    check_login_format,
    check_pin_format,
    lockout_until,
)
from shared.events import EventType
from shared.ids import uuid7

log = structlog.get_logger(__name__)

__all__ = ["UsersMixin"]


class UsersMixin(ShiftsMixin):
    """Who may do what."""

    _dummy_hash: str | None = None

    def _check_pin(self, login: str, pin: str) -> User:
        """Verify ``pin`` for ``login``, counting failures and locking after too many."""
        check_login_format(login)
        found = self._storage.user_by_login(login)
        if found is None or not found[0].active:
            if self._dummy_hash is None:
                self._dummy_hash = self._pins.hash("00000000")
            self._pins.verify(self._dummy_hash, pin)  # same cost as a real check
            raise InvalidPin()
        user, pin_hash = found
        now = self._now()
        if user.locked_at(now):
            raise AccountLocked(details={"locked_until": user.locked_until.isoformat()
                                         if user.locked_until else None})
        if self._pins.verify(pin_hash, pin):
            rehash = self._pins.hash(pin) if self._pins.needs_rehash(pin_hash) else None
            if user.failed_attempts or user.locked_until or rehash:
                with self._storage.transaction(durable=True) as tx:
                    tx.update_user_auth(user.id, failed_attempts=0, locked_until=None,
                                        pin_hash=rehash)
            return User(user.id, user.login, user.name, user.role, user.active)
        s = self._settings
        failed = 1 if user.locked_until is not None else user.failed_attempts + 1
        until = lockout_until(now, failed, max_attempts=s.max_pin_attempts,
                              minutes=s.lockout_minutes)
        with self._storage.transaction(durable=True) as tx:
            tx.update_user_auth(user.id, failed_attempts=failed, locked_until=until)
            if until is not None:
                self._event(tx, EventType.USER_LOCKED, {
                    "user_id": user.id, "login": user.login, "failed_attempts": failed,
                    "locked_until": until.isoformat()}, aggregate_id=user.id, at=now)
        if until is not None:
            log.warning("user_locked", login=user.login, until=until.isoformat())
            raise AccountLocked(details={"locked_until": until.isoformat()})
        raise InvalidPin(details={"attempts_left": s.max_pin_attempts - failed})

    def login(self, login: str, pin: str) -> User:
        """Start a session for ``login``; ``InvalidPin`` / ``AccountLocked`` otherwise."""
        with self._lock:
            user = self._check_pin(login, pin)
            self._user = user
            return user

    def logout(self) -> None:
        with self._lock:
            self._user = None
            self._approvals.clear()

    def authorize(self, login: str, pin: str, permission: Permission) -> Approval:
        """A manager's PIN turned into a single-use approval for ``permission`` (2 minutes)."""
        with self._lock:
            user = self._check_pin(login, pin)
            if not user.can(permission):
                raise PermissionDenied(f"{user.login} may not approve {permission.value}",
                                       details={"permission": permission.value})
            return self._issue_approval(user, permission)

    def users(self) -> list[User]:
        return self._storage.users()

    def create_user(self, login: str, name: str, role: Role, pin: str, *,
                    approval: Approval | None = None) -> User:
        """Add a till user. The very first user needs no login; later ones need a manager."""
        with self._lock:
            bootstrap = not self._storage.users()
            approver = None if bootstrap else self._approver(Permission.MANAGE_USERS, approval)
            check_login_format(login)
            check_pin_format(pin)
            if not name.strip():
                raise InvalidPin("a user needs a name", field="name")
            now = self._now()
            user = User(str(uuid7()), login, name.strip(), Role(role))
            pin_hash = self._pins.hash(pin)
            with self._storage.transaction(durable=True) as tx:
                tx.insert_user(user, pin_hash, now)
                self._event(tx, EventType.USER_CREATED, {
                    "user_id": user.id, "login": login, "name": user.name,
                    "role": user.role.value, "created_by": approver}, aggregate_id=user.id,
                    at=now)
            self._consume(approval)
            return user

    def unlock_user(self, login: str, *, approval: Approval | None = None) -> None:
        """Clear a lockout (manager)."""
        with self._lock:
            self._approver(Permission.MANAGE_USERS, approval)
            found = self._storage.user_by_login(login)
            if found is None:
                raise InvalidPin(details={"login": login})
            with self._storage.transaction(durable=True) as tx:
                tx.update_user_auth(found[0].id, failed_attempts=0, locked_until=None)
            self._consume(approval)

    def update_settings(self, *, approval: Approval | None = None,
                        **changes: Any) -> TillSettings:
        """Change settings (manager); journalled as ``settings.changed``."""
        with self._lock:
            approver = self._approver(Permission.SETTINGS, approval)
            new = self._settings.with_changes(**changes)
            self._save_settings(new, sorted(changes), {"approved_by": approver})
            self._consume(approval)
            return new

    def apply_settings(self, new: TillSettings, *, source: str) -> bool:
        """Settings decided elsewhere (``source="cloud"``: the store and till as the back office
        keeps them, arriving through sync): no approval, journalled like a manager's change,
        used from the next receipt on. False when nothing changed."""
        with self._lock:
            old, wanted = self._settings.to_dict(), new.to_dict()
            changed = sorted(k for k, v in wanted.items() if old.get(k) != v)
            if not changed:
                return False
            self._save_settings(new, changed, {"source": source})
            return True

    def _save_settings(self, new: TillSettings, changes: list[str],
                       by: dict[str, Any]) -> None:
        now = self._now()
        with self._storage.transaction(durable=True) as tx:
            tx.save_settings(new.to_dict())
            self._event(tx, EventType.SETTINGS_CHANGED, {
                "changes": changes, "settings": new.to_dict(), **by},
                aggregate_id="settings", at=now)
        self._settings = new
        self._carts = {k: replace(c, cash_step=new.cash_rounding)
                       for k, c in self._carts.items()}
