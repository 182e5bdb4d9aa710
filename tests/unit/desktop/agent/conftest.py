"""A demo till, a Datecs emulator configured as the till's fiscal device (``home/fiscal.json``)
and an ESC/POS emulator as its receipt printer, all on 127.0.0.1."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop.core import CashTender, PinHasher, Receipt, Role, SystemClock, Till, TillSettings
from desktop.core.demo_catalog import curated_products
from desktop.devices.emulators.datecs import DatecsEmulator
from desktop.devices.emulators.escpos_printer import EscposPrinterEmulator
from desktop.devices.fiscal.config import DatecsConfig, FiscalConfig, save_config
from desktop.devices.printers.service import HardwareService
from desktop.devices.printers.settings import HardwareSettings
from desktop.store import SqliteStorage

DEADLINE = 60.0


def wait_for(cond: Callable[[], object], what: str, deadline: float = DEADLINE) -> None:
    """Poll a condition (never a duration) with a generous deadline."""
    end = time.monotonic() + deadline
    while not cond():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def open_till(path: Path) -> Till:
    till = Till(SqliteStorage(path), TillSettings.for_country("RO", header=("Test shop",)),
                clock=SystemClock(), pins=PinHasher(fast=True))
    if not till.users():
        till.import_catalog(list(curated_products("RO")), replace=True)
        till.create_user("manager", "Ana Manager", Role.STORE_MANAGER, "9999")
        till.login("manager", "9999")
        till.create_user("cashier", "Ion Casier", Role.CASHIER, "1234")
        till.logout()
    till.login("cashier", "1234")
    if till.current_shift() is None:
        till.open_shift(10_000)
    return till


def sell(till: Till) -> Receipt:
    cart = till.add_product(till.new_cart().id, _any_sku())
    return till.complete_sale(cart.id, [CashTender(cart.total + 1_000)])


def _any_sku() -> str:
    for p in curated_products("RO"):
        if p.unit.value == "pcs" and not p.age_restricted and not p.excise:
            return p.sku
    raise AssertionError("no plain product in the demo catalog")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    h.mkdir()
    return h


@pytest.fixture
def till(tmp_path: Path) -> Iterator[Till]:
    t = open_till(tmp_path / "till.sqlite3")
    try:
        yield t
    finally:
        t.close()


def configure_datecs(home: Path, port: int) -> None:
    save_config(home, FiscalConfig(device="datecs", datecs=DatecsConfig(
        host="127.0.0.1", port=port, timeout=0.5, vat_overrides={"exempt": "E"})))


@pytest.fixture
def datecs(home: Path) -> Iterator[DatecsEmulator]:
    emu = DatecsEmulator("x")
    _, port = emu.serve_tcp()
    configure_datecs(home, port)
    try:
        yield emu
    finally:
        emu.close()


@pytest.fixture
def printer(home: Path) -> Iterator[tuple[EscposPrinterEmulator, HardwareService]]:
    emu = EscposPrinterEmulator().start()
    svc = HardwareService(home, settings=HardwareSettings(
        retry_base=0.02, retry_cap=0.1, status_interval=0, probe_timeout=2.0,
        connect_check_timeout=2.0)).start()
    svc.add_printer({"name": "Front", "type": "thermal", "connection": "network",
                     "ip": "127.0.0.1", "port": emu.port})
    try:
        yield emu, svc
    finally:
        svc.close()
        emu.stop()
