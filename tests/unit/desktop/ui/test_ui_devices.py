"""Devices seen from the cash desk, against emulators on 127.0.0.1: the printer running out of
paper (an actionable message and Retry), a printer that never answers (the cart keeps going),
and a Datecs fiscal printer issuing the sale, the return and the Z report."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_helpers import Ui, open_shift, open_ui

from desktop.core import ReceiptKind, Till
from desktop.core.demo_catalog import ean13
from desktop.devices.emulators.datecs import DatecsEmulator
from desktop.devices.emulators.escpos_printer import EscposPrinterEmulator
from desktop.devices.fiscal.config import DatecsConfig, FiscalConfig, save_config
from desktop.devices.fiscal.datecs import DatecsDriver, DatecsSettings, Variant
from desktop.devices.fiscal.journal import Journal
from desktop.devices.fiscal.service import FiscalService
from desktop.devices.printers.config import PrinterKind
from desktop.devices.printers.service import HardwareService
from desktop.devices.printers.settings import HardwareSettings
from desktop.devices.printers.store import JobState
from desktop.devices.transports import TcpTransport
from desktop.ui.devices import HardwarePrinter, ServiceFiscal
from desktop.ui.dialogs.approval import ApprovalDialog
from desktop.ui.dialogs.entry import EntryDialog
from desktop.ui.dialogs.payment import PaymentDialog
from desktop.ui.dialogs.returns import ReturnDialog
from desktop.ui.dialogs.shift import ReportDialog, ShiftMenuDialog
from shared.clock import ManualClock

pytestmark = pytest.mark.qt

K = Qt.Key
MILK = ean13("594", 900_000_001)
BREAD = ean13("594", 900_000_002)


def _service(home: Path, *, retry_base: float) -> HardwareService:
    return HardwareService(home, settings=HardwareSettings(
        retry_base=retry_base, retry_cap=retry_base, status_interval=0, probe_timeout=0.5,
        connect_check_timeout=2.0)).start()


def _sell_for_cash(ui: Ui, *codes: str) -> None:
    for code in codes:
        ui.scan(code)
    ui.idle()
    ui.press(K.Key_F12)
    ui.wait_modal(PaymentDialog)
    ui.enter()  # empty amount + Enter: exact cash
    ui.wait_no_modal()


def test_paper_out_says_what_to_do_and_retry_prints(qtbot: QtBot, till: Till,
                                                    tmp_path: Path) -> None:
    """GIVEN a receipt printer with no paper (and no automatic retry within the test)
    WHEN a sale completes
    THEN the till keeps selling, the status strip says how to fix it, and Retry prints."""
    emu = EscposPrinterEmulator().start()
    svc = _service(tmp_path / "home", retry_base=300.0)
    try:
        svc.add_printer({"name": "Front", "type": "thermal", "connection": "network",
                         "ip": "127.0.0.1", "port": emu.port})
        emu.set_status("paper-out")
        port = HardwarePrinter(lambda: svc, language=lambda: till.settings.language)
        ui, close = open_ui(qtbot, till, tmp_path / "home", printer=port, hardware=svc)
        try:
            open_shift(ui)
            _sell_for_cash(ui, MILK)
            printer = svc.default_printer(PrinterKind.THERMAL)
            assert printer is not None
            ui.wait(lambda: svc.queue.status(printer.id).state.value == "paper_out")
            ui.window.refresh_status()
            ui.idle()
            strip = ui.window.strip
            assert strip.printer.text() == "Printer: out of paper"
            assert strip.printer.property("state") == "error"
            assert strip.alert.isVisible()
            assert strip.advice.text() == ("Printer out of paper — replace the roll and press "
                                           "Retry.")
            assert emu.receipts() == []
            ui.scan(BREAD)  # the next customer is served meanwhile
            ui.idle()
            assert ui.window.sale.model.rowCount() == 1
            emu.set_status("ready")
            qtbot.mouseClick(strip.retry_button, Qt.MouseButton.LeftButton)
            ui.wait(lambda: len(emu.receipts()) == 1)
            ui.wait(lambda: svc.queue.status(printer.id).state.value == "online")
            for _ in range(50):  # a status poll started before Retry may still land first
                ui.window.refresh_status()
                ui.idle()
                if not strip.alert.isVisible():
                    break
                qtbot.wait(100)
            assert not strip.alert.isVisible()
            assert strip.printer.text() == "Printer: ready"
        finally:
            close()
    finally:
        svc.close()
        emu.stop()


@pytest.fixture
def silent_printer() -> Iterator[int]:
    """A TCP port that accepts connections and never answers (a hung printer)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


def test_a_printer_that_never_answers_never_holds_up_the_cart(
        qtbot: QtBot, till: Till, tmp_path: Path, silent_printer: int) -> None:
    svc = _service(tmp_path / "home", retry_base=0.05)
    try:
        svc.add_printer({"name": "Hung", "type": "thermal", "connection": "network",
                         "ip": "127.0.0.1", "port": silent_printer})
        port = HardwarePrinter(lambda: svc, language=lambda: till.settings.language)
        ui, close = open_ui(qtbot, till, tmp_path / "home", printer=port, hardware=svc)
        try:
            open_shift(ui)
            _sell_for_cash(ui, MILK)
            sale = till.receipts(limit=1)[0]
            for _ in range(3):
                ui.scan(BREAD)
            ui.idle()
            assert ui.window.sale.model.rowCount() == 3  # every scan landed at once
            cart = ui.ctx.session.current()
            assert cart is not None and [ln.sku for ln in cart.active_lines] == [
                "RO-PAINE-ALBA"] * 3
            printer = svc.default_printer(PrinterKind.THERMAL)
            assert printer is not None
            job = svc.store.next_queued(printer.id)
            assert job is not None and job.state is JobState.QUEUED  # still waiting
            assert job.dedupe_key == sale.id
        finally:
            close()
    finally:
        svc.close()


@pytest.fixture
def datecs(tmp_path: Path) -> Iterator[tuple[DatecsEmulator, FiscalService]]:
    clock = ManualClock(datetime(2026, 3, 2, 7, 30, tzinfo=UTC))
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


def test_datecs_issues_the_sale_the_return_and_the_z_report(
        qtbot: QtBot, till: Till, tmp_path: Path,
        datecs: tuple[DatecsEmulator, FiscalService]) -> None:
    emu, service = datecs
    home = tmp_path / "home"
    save_config(home, FiscalConfig(device="datecs", datecs=DatecsConfig(host="127.0.0.1")))
    fiscal = ServiceFiscal(lambda: service, home)
    assert fiscal.reload() is True
    ui, close = open_ui(qtbot, till, home, fiscal=fiscal)
    try:
        open_shift(ui)
        ui.wait(lambda: service.current_shift() is not None)
        _sell_for_cash(ui, MILK, BREAD)
        sale = till.receipts(limit=1)[0]
        ui.wait(lambda: till.fiscal_result(sale.id) is not None)
        result = till.fiscal_result(sale.id)
        assert result is not None and result.device_id
        [issued] = emu.documents("sale")
        assert issued.total == sale.total == 13_48
        ui.window.refresh_status()
        ui.idle()
        assert ui.window.strip.fiscal.text() == "Fiscal: ready"

        ui.press(K.Key_F7)
        ui.wait_modal(ReturnDialog)
        ui.enter(sale.number)
        ret = ui.modal()
        assert isinstance(ret, ReturnDialog)
        ui.wait(lambda: ret.table.rowCount() == 2)
        ui.press(K.Key_F2)  # everything
        ui.press(K.Key_F12)
        ui.wait_modal(ApprovalDialog)
        ui.enter("9999")
        ui.wait_no_modal()
        refund = till.receipts(limit=1)[0]
        assert refund.kind is ReceiptKind.RETURN
        ui.wait(lambda: till.fiscal_result(refund.id) is not None)
        [storno] = emu.documents("storno")
        assert storno.total == 13_48

        ui.press(K.Key_F9)
        ui.wait_modal(ShiftMenuDialog)
        ui.press(K.Key_F4)
        ui.wait_modal(EntryDialog)
        ui.enter("200")
        ui.wait_modal(ReportDialog)
        ui.press(K.Key_Escape)
        ui.wait_no_modal()
        assert till.current_shift() is None
        assert len(emu.documents("z")) == 1
        assert service.current_shift() is None
    finally:
        close()
