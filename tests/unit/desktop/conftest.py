"""Fixtures shared by the till's tests: its data dir, and a receipt printer behind it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.devices.emulators.escpos_printer import EscposPrinterEmulator
from desktop.devices.printers.service import HardwareService
from tests.support.printers import receipt_printer_service


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """The till's data dir (``TILLBRIDGE_HOME`` for what the test starts)."""
    h = tmp_path / "home"
    h.mkdir(exist_ok=True)
    return h


@pytest.fixture
def printer(home: Path, escpos_emulator: EscposPrinterEmulator
            ) -> Iterator[tuple[EscposPrinterEmulator, HardwareService]]:
    """An ESC/POS emulator and a started hardware service on ``home`` printing to it."""
    with receipt_printer_service(home, escpos_emulator) as svc:
        yield escpos_emulator, svc
