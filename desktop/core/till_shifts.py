"""Shift part of the façade: open with a float, service cash in/out, X report, close with Z."""

from __future__ import annotations

import structlog

from desktop.core.errors import (
    InsufficientCash,
    InvalidPayment,
    ShiftClosed,
    ShiftError,
    ShiftNotFound,
)
from desktop.core.shifts import (
    CashMovement,
    CashMovementKind,
    ReportKind,
    Shift,
    ShiftReport,
    ShiftStatus,
    build_report,
    expected_cash,
)
from desktop.core.till_returns import ReturnsMixin
from desktop.core.users import Approval, Permission
from shared.events import EventType
from shared.ids import uuid7

log = structlog.get_logger(__name__)

__all__ = ["ShiftsMixin"]


def _amount(value: int, name: str, *, allow_zero: bool) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or (
            value == 0 and not allow_zero):
        raise InvalidPayment(f"{name} must be {'≥' if allow_zero else '>'} 0 minor units",
                             field=name)
    return value


class ShiftsMixin(ReturnsMixin):
    """Shifts, cash drawer and reports."""

    def current_shift(self) -> Shift | None:
        return self._storage.current_shift()

    def open_shift(self, opening_float: int = 0) -> Shift:
        """Open the next shift with ``opening_float`` cash in the drawer."""
        with self._lock:
            user = self._require(Permission.SHIFT)
            _amount(opening_float, "opening_float", allow_zero=True)
            now = self._now()
            with self._storage.transaction(durable=True) as tx:
                number = tx.next_shift_number()
                shift = Shift(str(uuid7()), number, ShiftStatus.OPEN, now, user.id, user.name,
                              opening_float)
                tx.insert_shift(shift)
                self._event(tx, EventType.SHIFT_OPENED, {
                    "shift_id": shift.id, "shift_no": number, "opened_at": now.isoformat(),
                    "opened_by": user.id, "opened_by_name": user.name,
                    "opening_float": opening_float, "currency": self._settings.currency},
                    aggregate_id=shift.id, at=now)
            log.info("shift_opened", shift=number)
            return shift

    def drawer_balance(self) -> int:
        """Cash that should be in the drawer now (``ShiftClosed`` without a shift)."""
        shift = self._storage.current_shift()
        if shift is None:
            raise ShiftClosed()
        return expected_cash(shift, self._storage.shift_totals(shift.id))

    def cash_in(self, amount: int, reason: str = "", *,
                approval: Approval | None = None) -> CashMovement:
        """Service deposit into the drawer."""
        return self._move(CashMovementKind.IN, amount, reason, approval)

    def cash_out(self, amount: int, reason: str = "", *,
                 approval: Approval | None = None) -> CashMovement:
        """Service withdrawal; never more than the drawer holds."""
        return self._move(CashMovementKind.OUT, amount, reason, approval)

    def _move(self, kind: CashMovementKind, amount: int, reason: str,
              approval: Approval | None) -> CashMovement:
        with self._lock:
            user = self._require_user()
            approver = self._approver(Permission.CASH_MOVEMENT, approval)
            _amount(amount, "amount", allow_zero=False)
            now = self._now()
            shift = self._sellable_shift(now)
            move = CashMovement(str(uuid7()), shift.id, kind, amount, reason[:200], user.id, now,
                                approver if approver != user.id else None)
            event = EventType.CASH_DEPOSITED if kind is CashMovementKind.IN \
                else EventType.CASH_WITHDRAWN
            with self._storage.transaction(durable=True) as tx:
                if kind is CashMovementKind.OUT:  # checked under the write lock
                    drawer = expected_cash(shift, self._storage.shift_totals(shift.id))
                    if amount > drawer:
                        raise InsufficientCash(details={"drawer": drawer, "amount": amount})
                tx.insert_cash_movement(move)
                self._event(tx, event, {
                    "movement_id": move.id, "shift_id": shift.id, "shift_no": shift.number,
                    "kind": kind.value, "amount": amount, "reason": move.reason,
                    "user_id": user.id, "approved_by": approver,
                    "currency": self._settings.currency, "at": now.isoformat()},
                    aggregate_id=move.id, at=now)
            self._consume(approval)
            return move

    def x_report(self) -> ShiftReport:
        """Read-only report of the open shift."""
        self._require(Permission.SHIFT)
        shift = self._storage.current_shift()
        if shift is None:
            raise ShiftClosed()
        return build_report(ReportKind.X, shift, self._storage.shift_totals(shift.id),
                            currency=self._settings.currency, at=self._now())

    def close_shift(self, counted_cash: int) -> ShiftReport:
        """Close the open shift with the cash counted in the drawer; returns the Z report.

        Allowed even when the shift has expired (that is how an expired shift is cleared).
        Refused while an open cart holds payments.
        """
        with self._lock:
            user = self._require(Permission.SHIFT)
            _amount(counted_cash, "counted_cash", allow_zero=True)
            shift = self._storage.current_shift()
            if shift is None:
                raise ShiftClosed()
            pending = [c.id for c in self._carts.values() if c.payments]
            if pending:
                raise ShiftError("complete or cancel sales that hold payments first",
                                 details={"carts": pending})
            now = self._now()
            closed = Shift(shift.id, shift.number, ShiftStatus.CLOSED, shift.opened_at,
                           shift.opened_by, shift.opened_by_name, shift.opening_float,
                           shift.documents, now, user.id, counted_cash)
            with self._storage.transaction(durable=True) as tx:
                report = build_report(ReportKind.Z, closed, self._storage.shift_totals(shift.id),
                                      currency=self._settings.currency, at=now,
                                      counted_cash=counted_cash)
                payload = report.to_payload()
                tx.close_shift(closed, payload)
                self._event(tx, EventType.SHIFT_CLOSED, {"z_report": payload},
                            aggregate_id=shift.id, at=now)
            log.info("shift_closed", shift=shift.number, sales=report.totals.sales_count,
                     cash_difference=report.cash_difference)
            return report

    def z_report(self, shift_number: int | None = None) -> ShiftReport:
        """The Z report of a closed shift (the last closed one by default)."""
        if shift_number is None:
            shift = self._storage.last_shift()
            if shift is not None and shift.status is ShiftStatus.OPEN:
                shift = self._storage.shift_by_number(shift.number - 1)
        else:
            shift = self._storage.shift_by_number(shift_number)
        if shift is None or shift.status is not ShiftStatus.CLOSED or shift.closed_at is None:
            raise ShiftNotFound(details={"shift_no": shift_number})
        return build_report(ReportKind.Z, shift, self._storage.shift_totals(shift.id),
                            currency=self._settings.currency, at=shift.closed_at,
                            counted_cash=shift.counted_cash)

    def cash_movements(self, shift_number: int | None = None) -> list[CashMovement]:
        shift = (self._storage.current_shift() if shift_number is None
                 else self._storage.shift_by_number(shift_number))
        if shift is None:
            raise ShiftNotFound(details={"shift_no": shift_number})
        return self._storage.cash_movements(shift.id)
