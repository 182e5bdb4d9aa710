"""The document worker against a Datecs emulator and an ESC/POS emulator on 127.0.0.1: every sale
completed through the ``Till`` façade gets exactly one fiscal document and one printed receipt,
sales made while the worker was stopped are fiscalised when it starts, and an unreachable device
holds receipts back until it answers."""

from __future__ import annotations

from pathlib import Path

from document_helpers import configure_datecs, free_port, open_till, sell, wait_for

from desktop.app import TillServices
from desktop.core import Till
from desktop.devices.emulators.datecs import DatecsEmulator
from desktop.devices.emulators.escpos_printer import EscposPrinterEmulator
from desktop.devices.printers.service import HardwareService
from desktop.documents.printing import ReceiptPrinting
from desktop.documents.state import WorkerState
from desktop.documents.worker import DocumentWorker


def _worker(till: Till, home: Path, services: TillServices,
           hw: HardwareService | None = None) -> DocumentWorker:
    """The worker over the till's fiscal service, printing on ``hw`` (else the till's own)."""
    printing = ReceiptPrinting((lambda: hw) if hw is not None else services.hardware.get,
                               language=lambda: till.settings.language)
    return DocumentWorker(till, home, fiscal=services.fiscal.get, printing=printing,
                     poll_interval=0.05)


def _all_fiscalised(till: Till, ids: list[str]) -> bool:
    return all(till.fiscal_result(i) is not None for i in ids)


def test_sales_while_running_get_one_fiscal_document_and_one_printed_receipt(
        services: TillServices, till: Till, home: Path, datecs: DatecsEmulator,
        printer: tuple[EscposPrinterEmulator, HardwareService]) -> None:
    emu, hw = printer
    WorkerState(home).set("datecs_receipt_copy", True)  # also print on the receipt printer
    worker = _worker(till, home, services, hw).start()
    try:
        ids = [sell(till).id for _ in range(3)]
        worker.wake()
        wait_for(lambda: _all_fiscalised(till, ids), "three fiscal results")
        wait_for(lambda: len(emu.receipts()) >= 3, "three printed receipts")
        state = worker.fiscal_state()
        assert state is not None and state.online and not state.in_doubt and not state.failed
    finally:
        worker.stop()
    assert len(datecs.documents("sale")) == 3
    assert hw.store.count_jobs() == 3
    pages = emu.receipts()
    assert len(pages) == 3
    for rid in ids:  # each receipt printed once, with its fiscal number
        number, fiscal = till.receipt(rid).number, till.fiscal_result(rid)
        assert fiscal is not None
        mine = ["\n".join(p.text) for p in pages if number in "\n".join(p.text)]
        assert len(mine) == 1 and fiscal.fiscal_number in mine[0]


def test_datecs_prints_its_own_receipt_so_no_copy_is_queued(
        services: TillServices, till: Till, home: Path, datecs: DatecsEmulator,
        printer: tuple[EscposPrinterEmulator, HardwareService]) -> None:
    _, hw = printer
    worker = _worker(till, home, services, hw).start()
    try:
        rid = sell(till).id
        wait_for(lambda: till.fiscal_result(rid) is not None, "the fiscal result")
    finally:
        worker.stop()
    assert len(datecs.documents("sale")) == 1
    assert hw.store.count_jobs() == 0


def test_sales_made_while_stopped_are_fiscalised_on_start_exactly_once(
        services: TillServices, tmp_path: Path, home: Path, datecs: DatecsEmulator) -> None:
    till = open_till(tmp_path / "till.sqlite3")
    worker = _worker(till, home, services).start()
    first = sell(till).id
    wait_for(lambda: till.fiscal_result(first) is not None, "the first sale")
    worker.stop()
    services.fiscal.reset()  # the whole till process stops
    offline = [sell(till).id for _ in range(2)]
    till.close()

    till = open_till(tmp_path / "till.sqlite3")  # the till restarts too
    assert not _all_fiscalised(till, offline)
    worker = _worker(till, home, services).start()
    try:
        wait_for(lambda: _all_fiscalised(till, offline), "sales made while stopped")
    finally:
        worker.stop()
        till.close()
    assert len(datecs.documents("sale")) == 3


def test_receipts_wait_for_an_unreachable_device_then_go_through_once(
        services: TillServices, till: Till, home: Path) -> None:
    port = free_port()
    configure_datecs(home, port)  # nothing listens there yet
    worker = _worker(till, home, services).start()
    emu = DatecsEmulator("x")
    try:
        ids = [sell(till).id for _ in range(2)]
        wait_for(lambda: (s := worker.fiscal_state()) is not None and s.last_error is not None,
                 "the worker to notice the device is off")
        assert not any(till.fiscal_result(i) for i in ids)
        emu.serve_tcp(port=port)
        worker.wake()
        wait_for(lambda: _all_fiscalised(till, ids), "fiscal results once the device is back")
    finally:
        worker.stop()
        emu.close()
    assert len(emu.documents("sale")) == 2


def test_without_a_fiscal_device_each_receipt_is_printed_once_across_restarts(
        services: TillServices, till: Till, home: Path,
        printer: tuple[EscposPrinterEmulator, HardwareService]) -> None:
    emu, hw = printer
    worker = _worker(till, home, services, hw).start()
    first = sell(till)
    wait_for(lambda: len(emu.receipts()) == 1, "the first receipt printed")
    worker.stop()
    second = sell(till)
    worker = _worker(till, home, services, hw).start()
    try:
        wait_for(lambda: len(emu.receipts()) == 2, "the receipt sold while stopped")
    finally:
        worker.stop()
    assert worker.fiscal_state() is None and till.fiscal_result(first.id) is None
    texts = ["\n".join(p.text) for p in emu.receipts()]
    assert [first.number in t for t in texts] == [True, False]
    assert second.number in texts[1] and hw.store.count_jobs() == 2
