"""A demo till, a Datecs emulator configured as the till's fiscal device (``home/fiscal.json``)
and an ESC/POS emulator as its receipt printer, all on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from agent_helpers import configure_datecs, open_till

from desktop.core import Till
from desktop.devices.emulators.datecs import DatecsEmulator
from desktop.devices.emulators.escpos_printer import EscposPrinterEmulator
from desktop.devices.printers.service import HardwareService
from desktop.devices.printers.settings import HardwareSettings


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
