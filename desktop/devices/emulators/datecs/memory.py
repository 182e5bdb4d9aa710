"""The emulated device's fiscal memory and the rules it enforces before issuing a document.

Receipt, document and Z counters, day totals per VAT letter (A–H), the drawer's cash, the
electronic journal of issued documents and the Z history; the receipt being built; status
flags (``paper_end`` …). A fiscal day older than 24 h blocks documents until a Z, measured on a
controllable clock plus the offset the "set clock" command leaves. Not thread-safe: the
emulator holds its lock around every command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from shared.clock import Clock

__all__ = ["LETTERS", "FiscalMemory", "IssuedDoc", "OpenReceipt", "Refusal", "ZRecord"]

LETTERS = "ABCDEFGH"


class Refusal(Exception):
    """The device refuses a command: its error code and the status flags it raises."""

    def __init__(self, code: int, *flags: str) -> None:
        super().__init__(code)
        self.code, self.flags = code, set(flags)


@dataclass
class IssuedDoc:
    """One document in the emulator's electronic journal."""

    kind: str  # sale | storno | cash_in | cash_out | x | z
    number: int
    doc_no: int
    at: datetime
    total: int = 0
    groups: dict[str, int] = field(default_factory=dict)
    payments: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    original: str | None = None


@dataclass
class ZRecord:
    number: int
    at: datetime
    sales: tuple[int, ...]
    storno: tuple[int, ...]
    cash_in: int
    cash_out: int


@dataclass
class OpenReceipt:
    """A sale or storno receipt being built: (VAT index, gross) lines and what was paid."""

    kind: str
    number: int
    lines: list[tuple[int, int]] = field(default_factory=list)
    paid: int = 0
    cash: int = 0
    payments: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    original: str | None = None

    @property
    def amount(self) -> int:
        return sum(g for _, g in self.lines)


class FiscalMemory:
    """What the device remembers between commands; ``x`` picks the X family's rules."""

    def __init__(self, *, x: bool, clock: Clock, rates: list[Decimal], serial: str,
                 fm_number: str) -> None:
        self.x, self.clock, self.rates = x, clock, rates
        self.serial, self.fm_number = serial, fm_number
        self.receipt_no = self.doc_no = self.z_no = 0
        self.sales, self.storno = [0] * 8, [0] * 8
        self.cash_sum = self.cash_in = self.cash_out = 0
        self.day_start: datetime | None = None
        self.clock_offset = timedelta(0)
        self.open: OpenReceipt | None = None
        self.last_closed: OpenReceipt | None = None
        self.journal: list[IssuedDoc] = []
        self.z_history: list[ZRecord] = []
        self.flags: set[str] = {"fiscalised", "serial_set", "tax_number_set", "vat_set",
                                "fm_formatted"} if x else {"serial_set", "tax_number_set",
                                                           "vat_set", "fiscalised"}

    def now(self) -> datetime:
        return self.clock.now() + self.clock_offset

    def day_expired(self) -> bool:
        return self.day_start is not None and self.now() - self.day_start >= timedelta(hours=24)

    def status_flags(self) -> set[str]:
        """The flags the next status bytes carry."""
        flags = set(self.flags)
        if self.open is not None:
            flags.add("fiscal_open")
        if self.x and self.day_expired():
            flags.add("z_required")
        return flags

    def can_issue(self) -> None:
        """Refuse a new document while paper, cover, memory or the 24 h day forbid it."""
        for flag in ("paper_end", "cover_open", "fm_full", "ej_full"):
            if flag in self.flags:
                raise Refusal(-111000, flag)
        if self.day_expired():
            raise Refusal(-111024, "z_required" if self.x else "not_permitted")

    def touch_day(self) -> None:
        """The first document after a Z opens the fiscal day."""
        if self.day_start is None:
            self.day_start = self.now()

    def issue(self, kind: str, number: int, total: int, **kw: object) -> IssuedDoc:
        self.doc_no += 1
        doc = IssuedDoc(kind, number, self.doc_no, self.now(), total, **kw)  # type: ignore[arg-type]
        self.journal.append(doc)
        return doc

    def close_receipt(self) -> OpenReceipt:
        """Book the open, fully paid receipt: day totals, drawer cash, counters, journal."""
        r = self.open
        if r is None:
            raise Refusal(-111016, "not_permitted")
        if not r.lines or r.paid < r.amount:
            raise Refusal(-111018, "not_permitted")
        change = r.paid - r.amount
        target = self.sales if r.kind == "sale" else self.storno
        groups: dict[str, int] = {}
        for idx, g in r.lines:
            target[idx] += g
            groups[LETTERS[idx]] = groups.get(LETTERS[idx], 0) + g
        drawer = r.cash - change
        self.cash_sum += drawer if r.kind == "sale" else -drawer
        self.receipt_no = r.number
        self.touch_day()
        self.issue(r.kind, r.number, r.amount, groups=groups, payments=r.payments,
                   texts=r.texts, original=r.original)
        self.last_closed, self.open = r, None
        return r

    def report(self, *, z: bool) -> int:
        """Journal an X (read) or Z (read and reset the day) report; returns its number."""
        number = self.z_no + 1
        total = sum(self.sales) - sum(self.storno)
        if not z:
            self.issue("x", number, total)
            return number
        self.z_no = number
        self.z_history.append(ZRecord(number, self.now(), tuple(self.sales), tuple(self.storno),
                                      self.cash_in, self.cash_out))
        self.issue("z", number, total)
        self.sales, self.storno = [0] * 8, [0] * 8
        self.cash_in = self.cash_out = self.cash_sum = 0
        self.day_start = None
        return number

    def move_cash(self, amount: int, *, out: bool) -> None:
        """Book a service deposit (``out=False``) or withdrawal as a document."""
        if out:
            self.cash_out += amount
            self.cash_sum -= amount
        else:
            self.cash_in += amount
            self.cash_sum += amount
        self.touch_day()
        self.issue("cash_out" if out else "cash_in", self.doc_no + 1, amount)
