"""Builders shared by the fiscal tests (receipts, drivers)."""

from __future__ import annotations

from decimal import Decimal

from desktop.devices.emulators.checkbox_fake import CheckboxFake
from desktop.devices.fiscal.checkbox.driver import CheckboxDriver, CheckboxSettings
from desktop.devices.fiscal.journal import Journal
from desktop.devices.fiscal.model import FiscalReceipt, Payment, PaymentKind, line
from shared.clock import ManualClock
from shared.ids import uuid7


def checkbox_driver(fake: CheckboxFake, journal: Journal, clock: ManualClock, *,
                    timeout: float = 2.0, codes_min: int = 5, codes_batch: int = 10
                    ) -> CheckboxDriver:
    return CheckboxDriver(
        CheckboxSettings(fake.base_url, "test-license", "cashier", "secret", timeout=timeout,
                         ping_timeout=timeout, poll_interval=0, poll_attempts=5,
                         codes_min=codes_min, codes_batch=codes_batch),
        journal, clock=clock, sleep=lambda _s: None)


def ro_sale(clock: ManualClock, *lines_: tuple[str, str, int, str], pay: str = "cash",
            extra: int = 0) -> FiscalReceipt:
    """A Romanian receipt: lines (name, qty, unit price, VAT group), paid in one go."""
    at = clock.now()
    lines = tuple(line(n, Decimal(q), p, g, country="RO", at=at, sku=n) for n, q, p, g in lines_)
    total = sum(ln.gross for ln in lines)
    kind = PaymentKind.CASH if pay == "cash" else PaymentKind.CARD
    return FiscalReceipt(uuid7(), lines, (Payment(kind, total + extra),), at, "RO")


def ua_sale(clock: ManualClock, *lines_: tuple[str, str, int, str]) -> FiscalReceipt:
    at = clock.now()
    lines = tuple(line(n, Decimal(q), p, g, country="UA", at=at, sku=n) for n, q, p, g in lines_)
    total = sum(ln.gross for ln in lines)
    return FiscalReceipt(uuid7(), lines, (Payment(PaymentKind.CASH, total),), at, "UA")
