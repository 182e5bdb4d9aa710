"""The fiscal service over an emulated Datecs: exactly-once, bad input, no partial state."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from fiscal_helpers import ro_sale

from desktop.devices.emulators.datecs import DatecsEmulator
from desktop.devices.errors import CoverOpen, PaperOut
from desktop.devices.fiscal.datecs.commands import Cmd
from desktop.devices.fiscal.errors import (
    DocumentConflict,
    OriginalNotFound,
    PaymentMismatch,
    ReceiptInDoubt,
    ReceiptVoided,
    ReturnExceedsOriginal,
    ShiftAlreadyOpen,
    ShiftNotOpen,
    ShiftTooLong,
)
from desktop.devices.fiscal.journal import DocState
from desktop.devices.fiscal.model import FiscalReceipt, Payment, PaymentKind
from desktop.devices.fiscal.service import FiscalService
from shared.clock import ManualClock
from shared.ids import uuid7

Svc = tuple[DatecsEmulator, FiscalService]


@pytest.fixture
def opened(datecs_service: Svc) -> Svc:
    emu, svc = datecs_service
    svc.start()
    svc.open_shift("Ana")
    return emu, svc


def _return_of(clock: ManualClock, sale: FiscalReceipt, number: str | None,
               qty: str = "1") -> FiscalReceipt:
    ln = replace(sale.lines[0], qty=Decimal(qty))
    return FiscalReceipt(uuid7(), (ln,), (Payment(PaymentKind.CASH, ln.gross),), clock.now(), "RO",
                         is_return=True, original_fiscal_number=number)


def test_sale_on_a_closed_shift_is_refused_before_anything_is_sent(datecs_service: Svc,
                                                                   clock: ManualClock) -> None:
    emu, svc = datecs_service
    svc.start()
    frames = emu.frames
    with pytest.raises(ShiftNotOpen) as info:
        svc.sell(ro_sale(clock, ("Paine", "1", 350, "reduced")))
    assert info.value.code == "FISCAL_SHIFT_NOT_OPEN" and info.value.status == 400
    assert emu.frames == frames and svc.journal.in_states(*DocState) == []


def test_opening_twice_is_refused(opened: Svc) -> None:
    _, svc = opened
    with pytest.raises(ShiftAlreadyOpen):
        svc.open_shift("Ana")


@pytest.mark.parametrize(("pays", "code"), [
    ([("card", 300)], "FISCAL_PAYMENT_MISMATCH"),                 # short
    ([("card", 400)], "FISCAL_PAYMENT_MISMATCH"),                 # card over total
    ([("card", 200), ("cash", 100)], "FISCAL_PAYMENT_MISMATCH"),  # short, mixed
])
def test_payments_not_matching_the_total(opened: Svc, clock: ManualClock,
                                         pays: list[tuple[str, int]], code: str) -> None:
    emu, svc = opened
    r = ro_sale(clock, ("Paine", "1", 350, "reduced"))
    bad = replace(r, payments=tuple(Payment(PaymentKind(k), a) for k, a in pays))
    with pytest.raises(PaymentMismatch) as info:
        svc.sell(bad)
    assert info.value.code == code and info.value.details["total"] == 350
    assert emu.documents() == [] and svc.journal.get(r.receipt_id) is None


def test_cash_overpayment_gives_change(opened: Svc, clock: ManualClock) -> None:
    emu, svc = opened
    r = ro_sale(clock, ("Paine", "1", 350, "reduced"), extra=650)
    svc.sell(r)
    assert emu.memory.cash_sum == 350


@pytest.mark.parametrize("number", [None, "", "999"])
def test_return_without_a_valid_original(opened: Svc, clock: ManualClock,
                                         number: str | None) -> None:
    emu, svc = opened
    sale = ro_sale(clock, ("Paine", "2", 350, "reduced"))
    svc.sell(sale)
    with pytest.raises(OriginalNotFound) as info:
        svc.refund(_return_of(clock, sale, number))
    assert info.value.code == "FISCAL_ORIGINAL_NOT_FOUND"
    assert emu.documents("storno") == []


def test_partial_returns_cannot_exceed_the_sale(opened: Svc, clock: ManualClock) -> None:
    emu, svc = opened
    sale = ro_sale(clock, ("Paine", "2", 350, "reduced"))
    number = svc.sell(sale).fiscal_number
    svc.refund(_return_of(clock, sale, number, "1"))
    with pytest.raises(ReturnExceedsOriginal):
        svc.refund(_return_of(clock, sale, number, "1.5"))
    svc.refund(_return_of(clock, sale, number, "1"))
    assert [d.total for d in emu.documents("storno")] == [350, 350]


def test_device_error_bits_give_their_code_and_leave_no_partial_state(
        opened: Svc, clock: ManualClock) -> None:
    """GIVEN paper runs out while the receipt is being built
    WHEN the sale is issued
    THEN the cashier gets FISCAL_PAPER_OUT, the device has no open or issued receipt, the
    journal says REJECTED; after new paper the same sale is issued exactly once."""
    emu, svc = opened
    r = ro_sale(clock, ("Paine", "2", 350, "reduced"), ("Vin", "1", 4599, "standard"))
    emu.fail_at(Cmd.SALE, "paper_end")
    with pytest.raises(PaperOut) as info:
        svc.sell(r)
    assert info.value.code == "FISCAL_PAPER_OUT" and info.value.status == 503
    assert emu.memory.open is None and emu.documents() == []
    row = svc.journal.get(r.receipt_id)
    assert row is not None and row.state is DocState.REJECTED and "paper" in (row.note or "")
    emu.set_flag("paper_end", False)
    result = svc.sell(r)
    assert len(emu.documents("sale")) == 1 and result.total == 700 + 4599


def test_resubmitting_a_done_receipt_returns_the_same_result(opened: Svc,
                                                             clock: ManualClock) -> None:
    emu, svc = opened
    r = ro_sale(clock, ("Paine", "1", 350, "reduced"))
    first = svc.sell(r)
    clock.advance(minutes=5)
    again = svc.sell(replace(r, at=clock.now()))
    assert again == first and len(emu.documents("sale")) == 1
    with pytest.raises(DocumentConflict):
        svc.sell(replace(r, payments=(Payment(PaymentKind.CASH, 500),)))


def test_lost_reply_to_close_is_recovered_without_a_second_receipt(opened: Svc,
                                                                   clock: ManualClock) -> None:
    """The device issues the receipt but every reply to the close is lost: the driver gives
    up, the service reconciles and records the receipt the device did issue."""
    emu, svc = opened
    r = ro_sale(clock, ("Paine", "1", 350, "reduced"))
    emu.fail_at(Cmd.CLOSE, "drop", times=1)
    emu.fail_at(Cmd.CLOSE, "ignore", times=10)  # the resends are lost too
    svc.driver.link.retries = 1  # type: ignore[attr-defined]
    result = svc.sell(r)
    assert len(emu.documents("sale")) == 1
    row = svc.journal.get(r.receipt_id)
    assert row is not None and row.state is DocState.DONE
    assert "issued despite" in (row.note or "") and result.fiscal_number == "1"


def test_unreachable_device_at_close_leaves_the_receipt_in_doubt(opened: Svc,
                                                                 clock: ManualClock) -> None:
    emu, svc = opened
    r = ro_sale(clock, ("Paine", "1", 350, "reduced"))
    emu.fail_at(Cmd.CLOSE, "ignore", times=2)
    emu.fail_at(Cmd.RECEIPT_STATE, "ignore", times=2, after=1)  # after prepare's query
    svc.driver.link.retries = 1  # type: ignore[attr-defined]
    with pytest.raises(ReceiptInDoubt) as info:
        svc.sell(r)
    assert info.value.code == "FISCAL_RECEIPT_IN_DOUBT"
    row = svc.journal.get(r.receipt_id)
    assert row is not None and row.state is DocState.IN_DOUBT
    assert [a.receipt_id for a in svc.attention()] == [r.receipt_id]
    # the device answers again: reconcile settles it; the receipt was never closed on the
    # device (the close frames were lost), so the open receipt is fully paid → closed now
    assert svc.reconcile() == []
    assert len(emu.documents("sale")) == 1
    assert svc.sell(r).fiscal_number == "1"


def test_void_only_what_the_device_did_not_issue(opened: Svc, clock: ManualClock) -> None:
    emu, svc = opened
    r = ro_sale(clock, ("Paine", "1", 350, "reduced"))
    emu.fail_at(Cmd.OPEN, "cover_open")
    with pytest.raises(CoverOpen):
        svc.sell(r)
    emu.set_flag("cover_open", False)
    row = svc.void(r.receipt_id, "customer left")
    assert row.state is DocState.VOIDED
    with pytest.raises(ReceiptVoided) as info:
        svc.sell(r)
    assert info.value.code == "FISCAL_RECEIPT_VOIDED"
    done = ro_sale(clock, ("Apa", "1", 250, "reduced"))
    svc.sell(done)
    with pytest.raises(DocumentConflict):
        svc.void(done.receipt_id)


def test_shift_older_than_24h_blocks_sales_until_z(opened: Svc, clock: ManualClock) -> None:
    emu, svc = opened
    clock.advance(timedelta(hours=24))
    with pytest.raises(ShiftTooLong):
        svc.sell(ro_sale(clock, ("Paine", "1", 350, "reduced")))
    svc.close_shift()
    svc.open_shift("Ana")
    svc.sell(ro_sale(clock, ("Paine", "1", 350, "reduced")))
    assert [d.kind for d in emu.documents()] == ["z", "sale"]


def test_start_retries_an_intent_the_device_never_saw(datecs_service: Svc,
                                                      clock: ManualClock) -> None:
    """An intent recorded just before a crash: the restarted service finds the device counter
    unchanged and issues the receipt once; restarting again changes nothing."""
    emu, svc = datecs_service
    svc.start()
    svc.open_shift("Ana")
    r = ro_sale(clock, ("Paine", "1", 350, "reduced"))
    expected = svc.driver.prepare(r)
    svc.journal.record_intent(r, device=svc.driver.device_id,
                              shift_id=svc.current_shift().info.id,  # type: ignore[union-attr]
                              expected=expected, at=clock.now())
    fresh = FiscalService(svc.driver, svc.journal, clock=clock)
    assert fresh.start() == []
    assert fresh.start() == []
    assert len(emu.documents("sale")) == 1
    row = svc.journal.get(r.receipt_id)
    assert row is not None and row.state is DocState.DONE and row.attempts == 2
