"""Tenders and payments: cash with change and country cash rounding, card by external terminal.

A *tender* is what the cashier enters (cash handed over, a card approval); a *payment* is what
it settles on the receipt. Rules:

* cash: the amount due is rounded to the country's cash step (Ukraine: 0.10 UAH, half up); the
  difference is the payment's ``rounding`` and is shown as its own amount. Cash less than the
  amount due is a partial payment (no rounding), the rest is paid later.
* card: exactly the amount approved by the terminal, never more than due, never rounded.
* a refund is the same shape on a return receipt (amounts stay positive; the receipt's kind
  gives the direction).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from fractions import Fraction

from desktop.core.errors import InsufficientPayment, InvalidPayment, Overpayment
from shared.money import round_half_up

__all__ = [
    "CardDetails",
    "CardTender",
    "CashTender",
    "Payment",
    "PaymentKind",
    "Tender",
    "apply_tender",
    "round_cash",
]

_REF = re.compile(r"^[0-9A-Za-z\-]{1,32}$")
_MASKED_PAN = re.compile(r"^[0-9]{0,8}[*Xx•]{2,}[0-9]{2,4}$")


class PaymentKind(StrEnum):
    """How a payment was made."""

    CASH = "cash"
    CARD = "card"


@dataclass(frozen=True)
class CardDetails:
    """The external terminal's reference for a card payment (never a full card number)."""

    rrn: str | None = None
    auth_code: str | None = None
    masked_pan: str | None = None
    terminal_id: str | None = None
    brand: str | None = None

    def validate(self) -> None:
        for name in ("rrn", "auth_code", "terminal_id"):
            value = getattr(self, name)
            if value is not None and not _REF.match(value):
                raise InvalidPayment(f"{name} must be 1-32 letters or digits", field=name)
        if self.masked_pan is not None and not _MASKED_PAN.match(self.masked_pan):
            raise InvalidPayment("masked_pan must be masked, e.g. 4111******1111",
                                 field="masked_pan")
        if self.brand is not None and len(self.brand) > 32:
            raise InvalidPayment("brand is at most 32 characters", field="brand")


@dataclass(frozen=True)
class CashTender:
    """Cash handed over by the customer (or paid out on a refund), in minor units."""

    tendered: int


@dataclass(frozen=True)
class CardTender:
    """A card payment approved by the terminal; ``amount`` ``None`` = the whole amount due."""

    amount: int | None = None
    card: CardDetails = CardDetails()


Tender = CashTender | CardTender


@dataclass(frozen=True)
class Payment:
    """What one tender settled on a receipt."""

    id: str
    kind: PaymentKind
    amount: int
    """Settled amount (cash: after rounding and change)."""
    created_at: datetime
    tendered: int | None = None
    change: int = 0
    rounding: int = 0
    """Cash rounding this payment applied (payable − due); 0 for cards."""
    card: CardDetails | None = None


def round_cash(amount: int, step: int) -> int:
    """``amount`` rounded half-up to a multiple of ``step`` (1 = unchanged)."""
    if step <= 1:
        return amount
    return round_half_up(Fraction(amount, step)) * step


def _int_amount(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidPayment(f"{name} must be int minor units", field=name)
    return value


def apply_tender(tender: Tender, due: int, *, cash_step: int, payment_id: str,
                 at: datetime) -> Payment:
    """Settle ``tender`` against ``due`` (> 0) and return the payment, or refuse it."""
    if due <= 0:
        raise Overpayment("nothing is due", details={"due": due})
    if isinstance(tender, CashTender):
        tendered = _int_amount(tender.tendered, "tendered")
        if tendered < 0:
            raise InvalidPayment("tendered cash cannot be negative", field="tendered")
        cash_due = round_cash(due, cash_step)
        if tendered >= cash_due:
            return Payment(payment_id, PaymentKind.CASH, cash_due, at, tendered=tendered,
                           change=tendered - cash_due, rounding=cash_due - due)
        if 0 < tendered < due:
            return Payment(payment_id, PaymentKind.CASH, tendered, at, tendered=tendered)
        raise InsufficientPayment(f"cash payable is {cash_due}",
                                  details={"due": due, "cash_due": cash_due,
                                           "tendered": tendered})
    if isinstance(tender, CardTender):
        amount = due if tender.amount is None else _int_amount(tender.amount, "amount")
        if amount <= 0:
            raise InvalidPayment("card amount must be positive", field="amount")
        if amount > due:
            raise Overpayment("a card payment cannot exceed the amount due",
                              details={"due": due, "amount": amount})
        tender.card.validate()
        return Payment(payment_id, PaymentKind.CARD, amount, at, card=tender.card)
    raise InvalidPayment(f"unknown tender {type(tender).__name__}")
