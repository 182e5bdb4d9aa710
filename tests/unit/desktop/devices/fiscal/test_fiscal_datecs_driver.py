"""The Datecs driver against the emulator, over a pty and over TCP, old and X protocol."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from fiscal_helpers import ro_sale

from desktop.devices.emulators.datecs import DatecsEmulator
from desktop.devices.errors import (
    CapabilityNotSupported,
    DeviceRejected,
    DeviceTimeout,
    PaperOut,
)
from desktop.devices.fiscal.base import Outcome
from desktop.devices.fiscal.datecs import DatecsDriver
from desktop.devices.fiscal.datecs.commands import Cmd
from desktop.devices.fiscal.datecs.frame import Variant
from desktop.devices.fiscal.errors import VatNotProgrammed
from desktop.devices.fiscal.model import (
    CashOperation,
    DocKind,
    FiscalReceipt,
    Payment,
    PaymentKind,
    line,
)
from shared.clock import ManualClock
from shared.ids import uuid7

Pair = tuple[DatecsEmulator, DatecsDriver]


def _mixed(clock: ManualClock) -> FiscalReceipt:
    at = clock.now()
    lines = (line("Paine", "2", 350, "reduced", country="RO", at=at),
             line("Vin rosu", "1", 4599, "standard", country="RO", at=at, discount=100),
             line("Mere", Decimal("0.735"), 699, "reduced", country="RO", at=at))
    return FiscalReceipt(uuid7(), lines, (Payment(PaymentKind.CARD, 2000),
                                          Payment(PaymentKind.CASH, 5000)), at, "RO")


def test_sale_with_mixed_vat_and_weighed_item(datecs_pair: Pair, clock: ManualClock) -> None:
    """GIVEN an emulated Datecs (each family, pty and TCP)
    WHEN a receipt with two VAT groups, a discount and 0.735 kg is issued
    THEN the device holds one receipt with the per-letter totals the lines add up to."""
    emu, drv = datecs_pair
    drv.connect()
    r = _mixed(clock)
    result = drv.issue(r, drv.prepare(r))
    [doc] = emu.documents("sale")
    assert r.total == 700 + 4499 + 514  # 0.735 × 6.99 = 5.13765 → 5.14
    assert doc.total == r.total == result.total
    assert doc.groups == {"A": 4499, "B": 700 + 514}
    assert doc.texts == [f"#{r.receipt_id.hex}"]
    assert result.fiscal_number == str(doc.number if emu.x else doc.doc_no)
    assert emu.memory.cash_sum == r.total - 2000


def test_cash_in_and_out_and_x_z_reports(datecs_pair: Pair, clock: ManualClock) -> None:
    emu, drv = datecs_pair
    drv.connect()
    dep = CashOperation(uuid7(), DocKind.DEPOSIT, 10000, clock.now())
    drv.issue(dep, drv.prepare(dep))
    out = CashOperation(uuid7(), DocKind.WITHDRAW, 2500, clock.now())
    drv.issue(out, drv.prepare(out))
    sale = ro_sale(clock, ("Apa", "3", 250, "reduced"), ("Bere", "1", 599, "standard"))
    drv.issue(sale, drv.prepare(sale))
    x = drv.x_report()
    assert (x.cash_in, x.cash_out, x.sales_total) == (10000, 2500, 1349)
    assert {g.key: g.sales for g in x.groups} == {"A": 599, "B": 750}
    z = drv.z_report()
    assert z.number == 1 and z.sales_total == 1349
    assert emu.memory.z_history[0].sales[:2] == (599, 750)
    assert drv.x_report().sales_total == 0  # the Z cleared the day


def test_cash_out_beyond_the_drawer_is_refused(datecs_pair: Pair, clock: ManualClock) -> None:
    emu, drv = datecs_pair
    drv.connect()
    out = CashOperation(uuid7(), DocKind.WITHDRAW, 100, clock.now())
    with pytest.raises(DeviceRejected) as info:
        drv.issue(out, drv.prepare(out))
    assert info.value.code == "FISCAL_CASH_INSUFFICIENT"
    assert emu.documents() == []


def test_storno_references_the_original_on_x(datecs_x: Pair, clock: ManualClock) -> None:
    emu, drv = datecs_x
    drv.connect()
    sale = ro_sale(clock, ("Paine", "2", 350, "reduced"))
    res = drv.issue(sale, drv.prepare(sale))
    ret = FiscalReceipt(uuid7(), sale.lines[:1], sale.payments, clock.now(), "RO", is_return=True,
                        original_fiscal_number=res.fiscal_number,
                        original_fiscal_date=res.fiscal_date)
    drv.issue(ret, drv.prepare(ret))
    [storno] = emu.documents("storno")
    assert storno.original == res.fiscal_number and storno.total == 700
    assert drv.x_report().returns_total == 700


def test_storno_of_an_unknown_receipt_is_refused_by_the_device(datecs_x: Pair,
                                                               clock: ManualClock) -> None:
    _, drv = datecs_x
    drv.connect()
    ret = FiscalReceipt(uuid7(), ro_sale(clock, ("Paine", "1", 350, "reduced")).lines,
                        (Payment(PaymentKind.CASH, 350),), clock.now(), "RO", is_return=True,
                        original_fiscal_number="99", original_fiscal_date=clock.now())
    with pytest.raises(DeviceRejected) as info:
        drv.issue(ret, drv.prepare(ret))
    assert info.value.code == "FISCAL_ORIGINAL_NOT_FOUND"


def test_old_protocol_has_no_storno(clock: ManualClock) -> None:
    from fiscal_helpers import ro_sale as sale_of

    emu = DatecsEmulator("old", clock=clock)
    host, port = emu.serve_tcp()
    from desktop.devices.fiscal.datecs import DatecsSettings
    from desktop.devices.transports import TcpTransport

    drv = DatecsDriver(TcpTransport(host, port, timeout=0.3),
                       DatecsSettings(variant=Variant.OLD, timeout=0.3), clock=clock)
    try:
        r = sale_of(clock, ("Paine", "1", 350, "reduced"))
        ret = FiscalReceipt(uuid7(), r.lines, r.payments, clock.now(), "RO", is_return=True,
                            original_fiscal_number="1", original_fiscal_date=clock.now())
        with pytest.raises(CapabilityNotSupported):
            drv.prepare(ret)
    finally:
        drv.close()
        emu.close()


def test_a_rate_the_device_lacks_blocks_the_sale(datecs_x: Pair, clock: ManualClock) -> None:
    """Before 2025-08-01 Romania's super-reduced rate was 5 %: the emulator (21/11/9/0/0) lacks
    it, so the driver refuses before anything is sent."""
    emu, drv = datecs_x
    drv.connect()
    from datetime import UTC, datetime

    old = datetime(2025, 7, 1, 9, tzinfo=UTC)
    r = FiscalReceipt(uuid7(), (line("Carte", "1", 1000, "super_reduced", country="RO",
                                     at=old),), (Payment(PaymentKind.CASH, 1000),), old, "RO")
    with pytest.raises(VatNotProgrammed):
        drv.prepare(r)
    assert emu.frames > 0 and emu.documents() == []


def test_exempt_goes_to_the_configured_letter(datecs_x: Pair, clock: ManualClock) -> None:
    emu, drv = datecs_x
    drv.connect()
    r = ro_sale(clock, ("Taxa", "1", 500, "exempt"), ("Export", "1", 300, "zero"))
    drv.issue(r, drv.prepare(r))
    assert emu.documents("sale")[0].groups == {"E": 500, "D": 300}


def test_paper_out_mid_receipt_leaves_nothing_half_built(datecs_pair: Pair,
                                                         clock: ManualClock) -> None:
    """GIVEN paper runs out at the second sale line
    WHEN the receipt is issued
    THEN PaperOut is raised, the open receipt is cancelled and the counter did not move."""
    emu, drv = datecs_pair
    drv.connect()
    r = _mixed(clock)
    expected = drv.prepare(r)
    emu.fail_at(Cmd.SALE, "paper_end")
    with pytest.raises(PaperOut):
        drv.issue(r, expected)
    assert emu.memory.open is None and emu.documents() == []
    emu.set_flag("paper_end", False)
    assert drv.reconcile(r, expected).outcome is Outcome.NOT_ISSUED
    drv.issue(r, drv.prepare(r))
    assert len(emu.documents("sale")) == 1


@pytest.mark.parametrize("mode", ["nak", "drop", "garble", "busy", "ignore"])
def test_link_faults_on_close_never_issue_twice(datecs_x: Pair, clock: ManualClock,
                                                mode: str) -> None:
    """A NAK, a lost request, a lost or garbled reply or a busy device at the closing frame:
    the driver resends the same SEQ and the device executes it exactly once."""
    emu, drv = datecs_x
    drv.connect()
    r = ro_sale(clock, ("Paine", "1", 350, "reduced"))
    emu.fail_at(Cmd.CLOSE, mode)
    drv.issue(r, drv.prepare(r))
    assert len(emu.documents("sale")) == 1
    stats = drv.link.stats
    assert (stats.resends, stats.syns) == ((0, 3) if mode == "busy" else (1, 0))


def test_device_silent_for_all_retries_is_a_timeout(datecs_x: Pair, clock: ManualClock) -> None:
    emu, drv = datecs_x
    drv.connect()
    emu.fail_at(Cmd.STATUS, "ignore", times=10)
    drv.link.retries = 1
    with pytest.raises(DeviceTimeout) as info:
        drv._cmd(Cmd.STATUS)
    assert info.value.code == "FISCAL_DEVICE_TIMEOUT" and drv.link.stats.resends == 1


def test_stale_reply_from_a_dead_process_is_skipped(datecs_x: Pair, clock: ManualClock) -> None:
    """GIVEN the device's last frame used SEQ s (another process)
    WHEN a new driver happens to start at the same SEQ
    THEN the repeated foreign reply is detected and the command is re-sent with a fresh SEQ."""
    emu, drv = datecs_x
    drv.connect()
    r = ro_sale(clock, ("Paine", "1", 350, "reduced"))
    drv.issue(r, drv.prepare(r))
    last_seq = drv.link.seq
    from desktop.devices.fiscal.datecs import DatecsSettings
    from desktop.devices.transports import TcpTransport

    address = emu.server.tcp_address
    assert address is not None
    host, port = address
    other = DatecsDriver(TcpTransport(host, port, timeout=0.3),
                         DatecsSettings(variant=Variant.X, timeout=0.3), clock=clock)
    other.link.seq = last_seq - 1
    try:
        other.connect()
        assert other.link.stats.stale == 1
        r2 = ro_sale(clock, ("Apa", "1", 250, "reduced"))
        other.issue(r2, other.prepare(r2))
    finally:
        other.close()
    assert [d.total for d in emu.documents("sale")] == [350, 250]


def test_emulator_rules_no_sale_without_receipt_and_no_close_before_payment(
        datecs_x: Pair, clock: ManualClock) -> None:
    emu, drv = datecs_x
    drv.connect()
    c = drv.codec
    with pytest.raises(DeviceRejected) as info:
        drv._cmd(Cmd.SALE, c.sale("Paine", "B", 350, Decimal(1), 0))
    assert info.value.code == "FISCAL_NO_RECEIPT_OPEN"
    drv._cmd(Cmd.OPEN, c.open_receipt("1", "0000", "1"))
    with pytest.raises(DeviceRejected) as info:
        drv._cmd(Cmd.OPEN, c.open_receipt("1", "0000", "1"))
    assert info.value.code == "FISCAL_RECEIPT_OPEN"
    drv._cmd(Cmd.SALE, c.sale("Paine", "B", 350, Decimal(1), 0))
    with pytest.raises(DeviceRejected) as info:
        drv._cmd(Cmd.CLOSE)
    assert info.value.code == "FISCAL_PAYMENT_INCOMPLETE"
    drv._cmd(Cmd.CANCEL)
    assert emu.memory.open is None and emu.documents() == []


def test_a_fiscal_day_older_than_24h_needs_a_z(datecs_pair: Pair, clock: ManualClock) -> None:
    emu, drv = datecs_pair
    drv.connect()
    first = ro_sale(clock, ("Paine", "1", 350, "reduced"))
    drv.issue(first, drv.prepare(first))
    clock.advance(timedelta(hours=24, minutes=1))
    late = ro_sale(clock, ("Apa", "1", 250, "reduced"))
    with pytest.raises(DeviceRejected) as info:
        drv.issue(late, drv.prepare(late))
    assert info.value.code in ("FISCAL_Z_REQUIRED", "FISCAL_COMMAND_NOT_PERMITTED")
    if emu.x:
        assert "z_required" in drv.last_status  # type: ignore[operator]
    drv.z_report()
    drv.issue(late, drv.prepare(late))
    assert [d.kind for d in emu.documents()] == ["sale", "z", "sale"]


@pytest.mark.parametrize("paid", [False, True])
def test_reconcile_an_open_receipt(datecs_pair: Pair, clock: ManualClock, paid: bool) -> None:
    """Recipe (devices.md §2): open and fully paid → close (issued); open, not paid → cancel."""
    emu, drv = datecs_pair
    drv.connect()
    r = ro_sale(clock, ("Paine", "2", 350, "reduced"))
    expected = drv.prepare(r)
    c = drv.codec
    drv._cmd(Cmd.OPEN, c.open_receipt("1", "0000", "1"))
    drv._cmd(Cmd.SALE, c.sale("Paine", "B", 350, Decimal(2), 0))
    if paid:
        drv._cmd(Cmd.PAYMENT, c.payment(PaymentKind.CASH, 700))
    rec = drv.reconcile(r, expected)
    assert rec.outcome is (Outcome.ISSUED if paid else Outcome.NOT_ISSUED)
    assert len(emu.documents("sale")) == (1 if paid else 0) and emu.memory.open is None


def test_reconcile_sees_a_receipt_issued_behind_its_back(datecs_pair: Pair,
                                                         clock: ManualClock) -> None:
    _, drv = datecs_pair
    drv.connect()
    r = ro_sale(clock, ("Paine", "2", 350, "reduced"))
    expected = drv.prepare(r)
    assert drv.reconcile(r, expected).outcome is Outcome.NOT_ISSUED
    drv.issue(r, expected)
    rec = drv.reconcile(r, expected)
    assert rec.outcome is Outcome.ISSUED and rec.result is not None
    other = ro_sale(clock, ("Apa", "1", 250, "reduced"))
    drv.issue(other, drv.prepare(other))
    assert drv.reconcile(r, expected).outcome is Outcome.UNKNOWN  # counter moved on


def test_state_reports_warnings_and_errors(datecs_x: Pair) -> None:
    emu, drv = datecs_x
    emu.set_flag("near_paper_end")
    emu.set_flag("cover_open")
    st = drv.state()
    assert st.online and "paper is running out" in st.warnings
    assert "printer cover is open" in st.errors
    assert st.info["serial"] == "DT000001"


def test_unreachable_device_is_offline_in_state(clock: ManualClock) -> None:
    from desktop.devices.fiscal.datecs import DatecsSettings
    from desktop.devices.transports import TcpTransport

    emu = DatecsEmulator("x", clock=clock)
    host, port = emu.serve_tcp()
    emu.close()
    drv = DatecsDriver(TcpTransport(host, port, timeout=0.2), DatecsSettings(timeout=0.2))
    st = drv.state()
    assert not st.online and st.errors


def test_clock_and_last_numbers(datecs_pair: Pair, clock: ManualClock) -> None:
    """The shift sets the device clock; X reports last receipt and Z numbers (cmd 123/3),
    the old protocol its last document number (71h)."""
    emu, drv = datecs_pair
    first = drv.open_shift("Ana")
    assert drv.device_clock() == clock.now().replace(tzinfo=None, microsecond=0)
    r = ro_sale(clock, ("Paine", "1", 350, "reduced"))
    drv.issue(r, drv.prepare(r))
    drv.z_report()
    last_receipt, last_z = drv.last_numbers()
    if emu.x:
        assert (first.serial, last_receipt, last_z) == (1, 1, 1)
        assert drv.open_shift("Ana").serial == 2
    else:
        assert (first.serial, last_receipt, last_z) == (0, 2, None)  # receipt + Z documents


def test_romanian_comma_below_letters_fold_to_cp1250() -> None:
    from desktop.devices.fiscal.datecs.commands import codec

    data = codec("x").sale("Șosete\tțesute", "A", 1999, Decimal(1), 0)
    assert data.startswith("Şosete ţesute\t1\t19.99\t1.000\t".encode("cp1250"))
    old = codec("old").sale("Șosete", "A", 1999, Decimal("0.5"), 10)
    assert old == "Şosete\tA19.99*0.500;-0.10".encode("cp1250")
