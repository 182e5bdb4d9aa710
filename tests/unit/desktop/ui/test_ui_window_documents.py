"""The cashier window runs the document worker, against emulators on 127.0.0.1.

GIVEN the window over a till store, a Datecs fiscal printer (asked for a receipt-printer copy)
      and an ESC/POS receipt printer — or only the receipt printer
WHEN the cashier sells and moves cash from the window, and another program (the CLI, a local
     API client) completes sales in the same store while the window runs
THEN every document gets exactly one fiscal document and one printed receipt carrying its
     fiscal number, whoever completed it; retrying and restarting the worker issue nothing
     twice; and the Z report comes after every sale of the shift, even one the worker had not
     picked up yet.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_helpers import START, Ui, open_shift, open_ui

from desktop.core import CashTender, PinHasher, Receipt, Till
from desktop.core.demo_catalog import ean13
from desktop.devices.emulators.datecs import DatecsEmulator
from desktop.devices.emulators.escpos_printer import EscposPrinterEmulator
from desktop.devices.fiscal.config import DatecsConfig, FiscalConfig, save_config
from desktop.devices.fiscal.datecs import DatecsDriver, DatecsSettings, Variant
from desktop.devices.fiscal.journal import Journal
from desktop.devices.fiscal.service import FiscalService
from desktop.devices.printers.service import HardwareService
from desktop.devices.transports import TcpTransport
from desktop.documents.state import WorkerState
from desktop.store import SqliteStorage
from desktop.ui.devices import HardwarePrinter, ServiceFiscal
from desktop.ui.dialogs.entry import ChoiceDialog, EntryDialog
from desktop.ui.dialogs.payment import PaymentDialog
from desktop.ui.dialogs.shift import ReportDialog, ShiftMenuDialog
from desktop.ui.window_documents import WindowDocuments
from shared.clock import ManualClock

pytestmark = pytest.mark.qt

K = Qt.Key
MILK = ean13("594", 900_000_001)
BREAD = ean13("594", 900_000_002)


@pytest.fixture
def datecs(tmp_path: Path) -> Iterator[tuple[DatecsEmulator, FiscalService]]:
    clock = ManualClock(START)
    emu = DatecsEmulator("x", clock=clock)
    host, port = emu.serve_tcp()
    driver = DatecsDriver(TcpTransport(host, port, timeout=0.5),
                          DatecsSettings(variant=Variant("x"), timeout=0.5,
                                         vat_overrides={"exempt": "E"}), clock=clock)
    journal = Journal(tmp_path / "fiscal.sqlite3")
    try:
        yield emu, FiscalService(driver, journal, clock=clock)
    finally:
        driver.close()
        journal.close()
        emu.close()


@pytest.fixture
def elsewhere(till: Till, tmp_path: Path) -> Iterator[Till]:
    """The same till store opened by another program (as ``tillbridge-till sell`` does)."""
    other = Till(SqliteStorage(tmp_path / "till.sqlite3"), clock=ManualClock(START),
                 pins=PinHasher(fast=True))
    other.login("cashier", "1234")
    try:
        yield other
    finally:
        other.close()


def _sell_elsewhere(other: Till, code: str = BREAD) -> Receipt:
    cart = other.scan(other.new_cart().id, code)
    return other.complete_sale(cart.id, [CashTender(cart.due)])


def _sell_for_cash(ui: Ui, code: str) -> Receipt:
    ui.scan(code)
    ui.idle()
    ui.press(K.Key_F12)
    ui.wait_modal(PaymentDialog)
    ui.enter()  # exact cash
    ui.wait_no_modal()
    return ui.till.receipts(limit=1)[0]


def _printed(emu: EscposPrinterEmulator, receipt: Receipt) -> list[str]:
    return [t for t in ("\n".join(p.text) for p in emu.receipts()) if receipt.number in t]


def test_every_document_is_fiscalised_once_and_printed_whoever_completed_it(
        qtbot: QtBot, till: Till, tmp_path: Path, elsewhere: Till,
        datecs: tuple[DatecsEmulator, FiscalService],
        printer: tuple[EscposPrinterEmulator, HardwareService]) -> None:
    emu, service = datecs
    paper, hw = printer
    home = tmp_path / "home"
    save_config(home, FiscalConfig(device="datecs", datecs=DatecsConfig(host="127.0.0.1")))
    WorkerState(home).set("datecs_receipt_copy", True)  # a receipt-printer copy as well
    fiscal = ServiceFiscal(lambda: service, home)
    port = HardwarePrinter(lambda: hw, language=lambda: till.settings.language)
    ui, close = open_ui(qtbot, till, home, printer=port, fiscal=fiscal, hardware=hw)
    try:
        open_shift(ui)
        ui.wait(lambda: service.current_shift() is not None)
        mine = _sell_for_cash(ui, MILK)
        theirs = _sell_elsewhere(elsewhere)  # the window is not told: the worker finds it
        for receipt in (mine, theirs):
            ui.wait(lambda r=receipt: till.fiscal_result(r.id) is not None)
            ui.wait(lambda r=receipt: len(_printed(paper, r)) == 1)
            result = till.fiscal_result(receipt.id)
            assert result is not None and result.fiscal_number in _printed(paper, receipt)[0]

        ui.press(K.Key_F8)  # cash in: the worker issues the service receipt
        ui.wait_modal(ChoiceDialog)
        ui.press(K.Key_F1)
        ui.wait_modal(EntryDialog)
        ui.enter("50")
        ui.wait_no_modal()
        [move] = till.cash_movements()
        ui.wait(lambda: till.fiscal_result(move.id) is not None)

        ui.window.retry_devices()  # Retry and a restart (settings saved) resend nothing
        ui.ctx.lanes.fiscal.submit(ui.ctx.documents.restart)
        ui.idle()
        ui.wait(lambda: (s := ui.ctx.documents.fiscal_state()) is not None and s.online)
    finally:
        close()
    assert [d.total for d in emu.documents("sale")] == [mine.total, theirs.total]
    assert [d.total for d in emu.documents("cash_in")] == [50_00]
    assert len(_printed(paper, mine)) == len(_printed(paper, theirs)) == 1
    assert hw.store.count_jobs() == 2


def test_the_z_report_waits_for_every_sale_of_the_shift(
        qtbot: QtBot, till: Till, tmp_path: Path, elsewhere: Till,
        datecs: tuple[DatecsEmulator, FiscalService]) -> None:
    emu, service = datecs
    home = tmp_path / "home"
    save_config(home, FiscalConfig(device="datecs", datecs=DatecsConfig(host="127.0.0.1")))
    fiscal = ServiceFiscal(lambda: service, home)
    ui, close = open_ui(qtbot, till, home, fiscal=fiscal)
    # A worker that only looks when woken: the sale below stays waiting until the Z.
    ui.ctx.documents = WindowDocuments(till, home, fiscal, ui.ctx.printer, poll_interval=3600)
    try:
        open_shift(ui)
        ui.wait(lambda: service.current_shift() is not None)
        ui.wait(lambda: (s := ui.ctx.documents.fiscal_state()) is not None and s.online)
        late = _sell_elsewhere(elsewhere)
        assert till.fiscal_result(late.id) is None

        ui.press(K.Key_F9)
        ui.wait_modal(ShiftMenuDialog)
        ui.press(K.Key_F4)
        ui.wait_modal(EntryDialog)
        ui.enter("200")
        ui.wait_modal(ReportDialog)
        ui.press(K.Key_Escape)
        ui.wait_no_modal()
        assert till.current_shift() is None
    finally:
        close()
    assert till.fiscal_result(late.id) is not None
    assert [d.kind for d in emu.documents()][-2:] == ["sale", "z"]


def test_without_a_fiscal_device_sales_from_elsewhere_are_printed_once(
        qtbot: QtBot, till: Till, tmp_path: Path, elsewhere: Till,
        printer: tuple[EscposPrinterEmulator, HardwareService]) -> None:
    paper, hw = printer
    port = HardwarePrinter(lambda: hw, language=lambda: till.settings.language)
    ui, close = open_ui(qtbot, till, tmp_path / "home", printer=port, hardware=hw)
    try:
        open_shift(ui)
        mine = _sell_for_cash(ui, MILK)
        theirs = _sell_elsewhere(elsewhere)
        ui.wait(lambda: len(_printed(paper, mine)) == 1 and len(_printed(paper, theirs)) == 1)
        ui.ctx.documents.wake()  # looking again prints nothing more
        ui.wait(lambda: hw.store.count_jobs() == 2)
        assert ui.ctx.documents.fiscal_state() is None
    finally:
        close()
    assert hw.store.count_jobs() == 2
    assert len(_printed(paper, mine)) == len(_printed(paper, theirs)) == 1
