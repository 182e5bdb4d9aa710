from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desktop.core.errors import InsufficientPayment, InvalidPayment, Overpayment
from desktop.core.payments import (
    CardDetails,
    CardTender,
    CashTender,
    PaymentKind,
    apply_tender,
    round_cash,
)

AT = datetime(2026, 1, 1, tzinfo=UTC)


def pay(tender: object, due: int, step: int = 10):  # type: ignore[no-untyped-def]
    return apply_tender(tender, due, cash_step=step, payment_id="p", at=AT)  # type: ignore[arg-type]


@pytest.mark.parametrize(("amount", "rounded"), [
    (1234, 1230), (1235, 1240), (1239, 1240), (1230, 1230), (4, 0), (5, 10), (99995, 100000),
])
def test_ukrainian_cash_rounding_is_half_up_to_ten_kopiyky(amount: int, rounded: int) -> None:
    assert round_cash(amount, 10) == rounded
    assert round_cash(amount, 1) == amount


def test_cash_settles_the_rounded_amount_with_change() -> None:
    p = pay(CashTender(2000), 1234)
    assert (p.kind, p.amount, p.rounding, p.change, p.tendered) == (
        PaymentKind.CASH, 1230, -4, 770, 2000)


def test_exact_rounded_cash_has_no_change() -> None:
    p = pay(CashTender(1240), 1236)
    assert (p.amount, p.rounding, p.change) == (1240, 4, 0)


def test_less_cash_than_due_is_a_partial_payment_without_rounding() -> None:
    p = pay(CashTender(500), 1234)
    assert (p.amount, p.rounding, p.change) == (500, 0, 0)


def test_cash_between_due_and_rounded_due_is_refused() -> None:
    with pytest.raises(InsufficientPayment) as exc:
        pay(CashTender(1237), 1236)  # payable in cash is 12.40
    assert exc.value.details["cash_due"] == 1240


def test_card_is_exact_and_never_rounded() -> None:
    p = pay(CardTender(None, CardDetails(rrn="123456789012", auth_code="A1B2C3",
                                         masked_pan="411111******1111")), 1234)
    assert (p.kind, p.amount, p.rounding, p.change) == (PaymentKind.CARD, 1234, 0, 0)
    assert p.card is not None and p.card.rrn == "123456789012"


def test_card_cannot_exceed_the_amount_due() -> None:
    with pytest.raises(Overpayment):
        pay(CardTender(1300), 1234)


@pytest.mark.parametrize("card", [
    CardDetails(masked_pan="4111111111111111"),  # a full card number is never stored
    CardDetails(rrn="12 34"),
    CardDetails(auth_code="x" * 40),
])
def test_card_references_are_validated(card: CardDetails) -> None:
    with pytest.raises(InvalidPayment):
        pay(CardTender(100, card), 1234)


@pytest.mark.parametrize("tender", [CashTender(-1), CashTender(1.5), CardTender(0),  # type: ignore[arg-type]
                                    CardTender(-5)])
def test_malformed_tenders(tender: object) -> None:
    with pytest.raises(InvalidPayment):
        pay(tender, 1000)


def test_nothing_due_refuses_more_payment() -> None:
    with pytest.raises(Overpayment):
        pay(CashTender(100), 0)
