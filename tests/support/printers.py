"""Printers for tests: the ESC/POS and label printer emulators on 127.0.0.1, and a started
hardware service whose receipt printer ("Front") is the ESC/POS emulator.

The fixtures built on these (``escpos_emulator``, ``label_emulator`` in ``tests/conftest.py``;
``printer`` in ``tests/unit/desktop/conftest.py``) are the only definitions of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop.devices.emulators.escpos_printer import EscposPrinterEmulator
from desktop.devices.printers.service import HardwareService
from desktop.devices.printers.settings import HardwareSettings

__all__ = ["fast_hardware_settings", "receipt_printer_service"]


def fast_hardware_settings() -> HardwareSettings:
    """Retries in tens of milliseconds and no status polling, so a test never waits long."""
    return HardwareSettings(retry_base=0.02, retry_cap=0.1, status_interval=0,
                            probe_timeout=2.0, connect_check_timeout=2.0)


@contextmanager
def receipt_printer_service(home: Path,
                            emulator: EscposPrinterEmulator) -> Iterator[HardwareService]:
    """A started hardware service on ``home`` printing receipts to ``emulator``."""
    svc = HardwareService(home, settings=fast_hardware_settings()).start()
    try:
        svc.add_printer({"name": "Front", "type": "thermal", "connection": "network",
                         "ip": "127.0.0.1", "port": emulator.port})
        yield svc
    finally:
        svc.close()
