"""Shift, daily and period summaries from the fiscal journal (issued documents only).

Days are calendar days in the till's time zone (Europe/Bucharest, Europe/Kyiv); documents are
placed by their fiscal date. Amounts are minor units; cash is what stayed in the drawer (cash
paid minus change), so ``balance`` matches a drawer count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from desktop.devices.fiscal.journal import Journal, JournalRow, ShiftRow
from desktop.devices.fiscal.model import DocKind, FiscalReceipt, PaymentKind

__all__ = ["DaySummary", "Totals", "day_summary", "period_summary", "shift_totals", "totals"]


@dataclass
class Totals:
    sales: int = 0
    returns: int = 0
    receipts: int = 0
    return_receipts: int = 0
    cash: int = 0
    """Cash taken on sales (net of change)."""
    card: int = 0
    """Card payments on sales."""
    cash_refunds: int = 0
    card_refunds: int = 0
    deposits: int = 0
    withdrawals: int = 0

    @property
    def balance(self) -> int:
        """Cash in the drawer from fiscal documents."""
        return self.cash - self.cash_refunds + self.deposits - self.withdrawals


@dataclass
class DaySummary:
    day: date
    totals: Totals
    shifts: list[tuple[ShiftRow, Totals]] = field(default_factory=list)


def _cash_card(doc: FiscalReceipt) -> tuple[int, int]:
    card = sum(p.amount for p in doc.payments if p.kind is PaymentKind.CARD)
    return doc.total - card, card


def totals(rows: list[JournalRow]) -> Totals:
    t = Totals()
    for row in rows:
        doc = row.document
        if isinstance(doc, FiscalReceipt):
            cash, card = _cash_card(doc)
            if doc.is_return:
                t.returns += doc.total
                t.return_receipts += 1
                t.cash_refunds += cash
                t.card_refunds += card
            else:
                t.sales += doc.total
                t.receipts += 1
                t.cash += cash
                t.card += card
        elif doc.kind is DocKind.DEPOSIT:
            t.deposits += doc.amount
        else:
            t.withdrawals += doc.amount
    return t


def shift_totals(journal: Journal, shift_id: str) -> Totals:
    return totals(journal.done_in_shift(shift_id))


def _bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tz)
    return start, datetime.combine(day + timedelta(days=1), time(0), tz)


def day_summary(journal: Journal, day: date, tz: str) -> DaySummary:
    zone = ZoneInfo(tz)
    start, end = _bounds(day, zone)
    rows = journal.done_between(start, end)
    shifts = []
    for shift in journal.shifts_overlapping(start, end):
        in_day = [r for r in rows if r.shift_id == shift.info.id]
        shifts.append((shift, totals(in_day)))
    return DaySummary(day, totals(rows), shifts)


def period_summary(journal: Journal, first: date, last: date, tz: str) -> list[DaySummary]:
    """One summary per calendar day from ``first`` to ``last`` inclusive."""
    if last < first:
        return []
    zone = ZoneInfo(tz)
    start, _ = _bounds(first, zone)
    _, end = _bounds(last, zone)
    by_day: dict[date, list[JournalRow]] = {}
    for row in journal.done_between(start, end):
        assert row.result is not None
        by_day.setdefault(row.result.fiscal_date.astimezone(zone).date(), []).append(row)
    out = []
    day = first
    while day <= last:
        out.append(DaySummary(day, totals(by_day.get(day, []))))
        day += timedelta(days=1)
    return out
