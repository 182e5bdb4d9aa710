"""One fixture per transport (dummy, scripted, TCP emulator, serial pty, device file), plus a
started hardware service on a temporary home with fast retries."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop.devices.emulators.escpos_printer import EscposPrinterEmulator
from desktop.devices.printers.catalog import StaticCatalog
from desktop.devices.printers.service import HardwareService
from desktop.devices.printers.settings import HardwareSettings
from desktop.devices.transports import DummyTransport, ScriptedTransport

Eventually = Callable[..., None]


@pytest.fixture
def dummy_transport() -> DummyTransport:
    return DummyTransport()


@pytest.fixture
def scripted_transport() -> ScriptedTransport:
    return ScriptedTransport()


@pytest.fixture
def serial_printer() -> Iterator[tuple[EscposPrinterEmulator, str]]:
    """An ESC/POS printer behind a pseudo-terminal: (emulator, device path)."""
    emu = EscposPrinterEmulator()
    path = emu.attach_pty()
    try:
        yield emu, path
    finally:
        emu.stop()


@pytest.fixture
def device_file(tmp_path: Path) -> Path:
    """A file standing in for /dev/usb/lp0."""
    path = tmp_path / "lp0"
    path.write_bytes(b"")
    return path


@pytest.fixture
def fast_settings() -> HardwareSettings:
    return HardwareSettings(retry_base=0.02, retry_cap=0.1, status_interval=0,
                            probe_timeout=2.0, connect_check_timeout=2.0,
                            discovery_interfaces=("127.0.0.1",))


@pytest.fixture
def catalog() -> StaticCatalog:
    return StaticCatalog()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "till"


@pytest.fixture
def service(home: Path, fast_settings: HardwareSettings,
            catalog: StaticCatalog) -> Iterator[HardwareService]:
    svc = HardwareService(home, settings=fast_settings, catalog=catalog).start()
    try:
        yield svc
    finally:
        svc.close()


@pytest.fixture
def eventually() -> Eventually:
    """Wait until ``predicate()`` holds (polling; the timeout only bounds a failing test)."""

    def wait(predicate: Callable[[], bool], timeout: float = 15.0, what: str = "") -> None:
        tick = threading.Event()
        steps = int(timeout / 0.02)
        for _ in range(steps):
            if predicate():
                return
            tick.wait(0.02)
        assert predicate(), f"condition never held: {what or predicate}"

    return wait
