"""Shifts, service cash movements and the X/Z report built from a shift's totals.

A shift opens with a cash float; sales, returns and service cash in/out change the drawer;
the X report reads the shift at any time; closing records the counted cash and freezes the Z
report (per VAT group, per payment type, returns, discounts, rounding).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from desktop.core.receipt import VatLine

__all__ = [
    "CashMovement",
    "CashMovementKind",
    "PaymentTotal",
    "ReportKind",
    "Shift",
    "ShiftReport",
    "ShiftStatus",
    "ShiftTotals",
    "build_report",
]


class ShiftStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Shift:
    """A cashier shift on this till."""

    id: str
    number: int
    status: ShiftStatus
    opened_at: datetime
    opened_by: str
    opened_by_name: str
    opening_float: int
    documents: int = 0
    """Receipts (sales and returns) numbered in this shift so far."""
    closed_at: datetime | None = None
    closed_by: str | None = None
    counted_cash: int | None = None

    def expired(self, now: datetime, max_duration: timedelta | None) -> bool:
        """True once the shift is older than the country's limit (sales blocked)."""
        return max_duration is not None and now - self.opened_at > max_duration


class CashMovementKind(StrEnum):
    IN = "in"
    """Service deposit (cash put into the drawer)."""
    OUT = "out"
    """Service withdrawal (cash taken out)."""


@dataclass(frozen=True)
class CashMovement:
    """A service cash in/out with who did and who approved it."""

    id: str
    shift_id: str
    kind: CashMovementKind
    amount: int
    reason: str
    user_id: str
    created_at: datetime
    approved_by: str | None = None


@dataclass(frozen=True)
class PaymentTotal:
    """Money taken (sales) and paid back (refunds) by one payment type."""

    kind: str
    sales: int
    refunds: int
    sales_count: int = 0
    refunds_count: int = 0


@dataclass(frozen=True)
class ShiftTotals:
    """Aggregates the store computes for a shift (input of :func:`build_report`)."""

    sales_count: int = 0
    returns_count: int = 0
    sales_total: int = 0
    returns_total: int = 0
    sales_discounts: int = 0
    returns_discounts: int = 0
    sales_rounding: int = 0
    returns_rounding: int = 0
    sales_vat: tuple[VatLine, ...] = ()
    returns_vat: tuple[VatLine, ...] = ()
    payments: tuple[PaymentTotal, ...] = ()
    cash_in: int = 0
    cash_out: int = 0
    voided_lines: int = 0
    cancelled_sales: int = 0


class ReportKind(StrEnum):
    X = "X"
    """Read-only report during the shift."""
    Z = "Z"
    """Closing report, frozen with the shift."""


@dataclass(frozen=True)
class ShiftReport:
    """An X or Z report."""

    kind: ReportKind
    shift: Shift
    totals: ShiftTotals
    currency: str
    generated_at: datetime
    expected_cash: int
    counted_cash: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def cash_difference(self) -> int | None:
        """Counted minus expected (negative = cash missing)."""
        return None if self.counted_cash is None else self.counted_cash - self.expected_cash

    @property
    def net_total(self) -> int:
        return self.totals.sales_total - self.totals.returns_total

    def to_payload(self) -> dict[str, Any]:
        t = self.totals

        def vat(lines: tuple[VatLine, ...]) -> list[dict[str, Any]]:
            return [{"group": v.group, "rate": str(v.rate), "gross": v.gross, "net": v.net,
                     "vat": v.vat, "excise": v.excise} for v in lines]

        return {
            "kind": self.kind.value, "shift_id": self.shift.id, "shift_no": self.shift.number,
            "opened_at": self.shift.opened_at.isoformat(), "opened_by": self.shift.opened_by,
            "closed_at": self.shift.closed_at.isoformat() if self.shift.closed_at else None,
            "closed_by": self.shift.closed_by, "generated_at": self.generated_at.isoformat(),
            "currency": self.currency, "opening_float": self.shift.opening_float,
            "sales_count": t.sales_count, "returns_count": t.returns_count,
            "sales_total": t.sales_total, "returns_total": t.returns_total,
            "net_total": self.net_total,
            "sales_discounts": t.sales_discounts, "returns_discounts": t.returns_discounts,
            "sales_rounding": t.sales_rounding, "returns_rounding": t.returns_rounding,
            "sales_vat": vat(t.sales_vat), "returns_vat": vat(t.returns_vat),
            "payments": [{"kind": p.kind, "sales": p.sales, "refunds": p.refunds,
                          "sales_count": p.sales_count, "refunds_count": p.refunds_count}
                         for p in t.payments],
            "cash_in": t.cash_in, "cash_out": t.cash_out,
            "expected_cash": self.expected_cash, "counted_cash": self.counted_cash,
            "cash_difference": self.cash_difference, "voided_lines": t.voided_lines,
            "cancelled_sales": t.cancelled_sales,
        }


def expected_cash(shift: Shift, totals: ShiftTotals) -> int:
    """Float + cash taken − cash refunded + service in − service out."""
    cash = next((p for p in totals.payments if p.kind == "cash"), None)
    taken = cash.sales if cash else 0
    refunded = cash.refunds if cash else 0
    return shift.opening_float + taken - refunded + totals.cash_in - totals.cash_out


def build_report(kind: ReportKind, shift: Shift, totals: ShiftTotals, *, currency: str,
                 at: datetime, counted_cash: int | None = None) -> ShiftReport:
    return ShiftReport(kind, shift, totals, currency, at, expected_cash(shift, totals),
                       counted_cash)


def vat_rate_key(rate: Decimal) -> str:
    return format(rate.normalize(), "f")
