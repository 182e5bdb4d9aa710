"""State and rules shared by every part of the :class:`~desktop.core.till.Till` façade.

Holds the storage port, the clock, the settings, the logged-in user, issued approvals and the
open carts (a write-through cache of the store's open receipts).
"""

from __future__ import annotations

import secrets
import threading
from datetime import datetime, timedelta
from typing import Any

from desktop.core.cart import Cart
from desktop.core.errors import (
    CartHasPayments,
    CartNotFound,
    NotLoggedIn,
    PermissionDenied,
    ShiftClosed,
    ShiftExpired,
)
from desktop.core.ports import Storage, WriteTx
from desktop.core.settings import TillSettings
from desktop.core.shifts import Shift
from desktop.core.users import Approval, Permission, PinHasher, User
from shared.clock import Clock, SystemClock

__all__ = ["APPROVAL_TTL", "TillBase"]

APPROVAL_TTL = timedelta(minutes=2)


class TillBase:
    """Construction and the checks every operation uses."""

    def __init__(self, storage: Storage, settings: TillSettings | None = None, *,
                 clock: Clock | None = None, pins: PinHasher | None = None) -> None:
        self._storage = storage
        self._clock: Clock = clock or SystemClock()
        self._pins = pins or PinHasher()
        self._lock = threading.RLock()
        self._user: User | None = None
        self._approvals: dict[str, Approval] = {}
        stored = storage.load_settings()
        if settings is not None and (stored is None or stored != settings.to_dict()):
            with storage.transaction(durable=True) as tx:
                tx.save_settings(settings.to_dict())
        elif settings is None:
            settings = TillSettings.from_dict(stored) if stored else TillSettings()
            if stored is None:
                with storage.transaction(durable=True) as tx:
                    tx.save_settings(settings.to_dict())
        self._settings: TillSettings = settings
        now = self._clock.now()
        self._carts: dict[str, Cart] = {
            c.id: c for c in storage.open_carts(now=now, cash_step=settings.cash_rounding)}

    # -- plumbing ------------------------------------------------------------------------------

    @property
    def settings(self) -> TillSettings:
        return self._settings

    @property
    def storage(self) -> Storage:
        """The storage port (for the composition root, sync and support tools)."""
        return self._storage

    @property
    def clock(self) -> Clock:
        return self._clock

    def _now(self) -> datetime:
        return self._clock.now()

    def _event(self, tx: WriteTx, event_type: str, payload: dict[str, Any], *,
               aggregate_id: str, at: datetime) -> None:
        base = {"till": {"store_code": self._settings.store_code,
                         "till_code": self._settings.till_code}}
        tx.append_event(event_type, {**base, **payload}, aggregate_id=aggregate_id, at=at)

    # -- who is acting -------------------------------------------------------------------------

    @property
    def current_user(self) -> User | None:
        return self._user

    def _require_user(self) -> User:
        """The logged-in user as the store holds them now: a name, role or active flag changed
        meanwhile (the cloud's user list arrives through sync) applies at this check."""
        user = self._user
        if user is None:
            raise NotLoggedIn()
        stored = self._storage.user_by_id(user.id)
        if stored is None:
            return user
        fresh = User(stored.id, stored.login, stored.name, stored.role, stored.active)
        if fresh != user:
            with self._lock:
                if self._user is user:
                    self._user = fresh
        return fresh

    def _require(self, permission: Permission) -> User:
        user = self._require_user()
        if not user.can(permission):
            raise PermissionDenied(details={"permission": permission.value})
        return user

    def _issue_approval(self, user: User, permission: Permission) -> Approval:
        now = self._now()
        self._approvals = {k: a for k, a in self._approvals.items()
                           if now - a.at <= APPROVAL_TTL}
        approval = Approval(user.id, user.name, permission, now, secrets.token_urlsafe(16))
        self._approvals[approval.token] = approval
        return approval

    def _approver(self, permission: Permission, approval: Approval | None) -> str:
        """Who allows ``permission`` now: the user if their role does, else a valid approval."""
        user = self._require_user()
        if user.can(permission):
            return user.id
        if approval is None:
            raise PermissionDenied(details={"permission": permission.value})
        issued = self._approvals.get(approval.token)
        if (issued is None or issued != approval or issued.permission != permission
                or self._now() - issued.at > APPROVAL_TTL):
            raise PermissionDenied("the approval is invalid, used or expired",
                                   details={"permission": permission.value})
        return issued.user_id

    def _consume(self, approval: Approval | None) -> None:
        if approval is not None:
            self._approvals.pop(approval.token, None)

    # -- shift and cart guards ------------------------------------------------------------------

    def _sellable_shift(self, now: datetime) -> Shift:
        """The open shift if it may still take sales; else ``ShiftClosed``/``ShiftExpired``."""
        shift = self._storage.current_shift()
        if shift is None:
            raise ShiftClosed()
        limit = self._settings.shift_max_duration
        if shift.expired(now, limit):
            raise ShiftExpired(details={"shift_no": shift.number,
                                        "opened_at": shift.opened_at.isoformat(),
                                        "max_hours": self._settings.shift_max_hours})
        return shift

    def _cart(self, cart_id: str) -> Cart:
        try:
            return self._carts[cart_id]
        except KeyError:
            raise CartNotFound(details={"cart_id": cart_id}) from None

    def _editable(self, cart_id: str) -> Cart:
        cart = self._cart(cart_id)
        if cart.payments:
            raise CartHasPayments(details={"cart_id": cart_id})
        return cart
