"""The emulators also run as their own processes (for demos and manual testing)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.devices.fiscal.checkbox.client import CheckboxClient
from desktop.devices.fiscal.datecs import DatecsDriver, DatecsSettings
from desktop.devices.transports import SerialTransport, TcpTransport

ROOT = Path(__file__).resolve().parents[2]


def _start(module: str, *args: str, lines: int) -> tuple[subprocess.Popen[str], list[str]]:
    proc = subprocess.Popen([sys.executable, "-m", module, *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    return proc, [proc.stdout.readline().split() for _ in range(lines)]  # type: ignore[misc]


@pytest.mark.e2e
def test_datecs_emulator_process_serves_tcp_and_pty() -> None:
    proc, (tcp, pty) = _start("desktop.devices.emulators.datecs", "--tcp", "0", "--pty",
                              lines=2)
    try:
        assert tcp[0] == "tcp" and pty[0] == "pty"
        for transport in (TcpTransport(tcp[1], int(tcp[2]), timeout=1.0),
                          SerialTransport(pty[1], 115200, timeout=1.0)):
            drv = DatecsDriver(transport, DatecsSettings(timeout=1.0))
            st = drv.state()
            drv.close()
            assert st.online and st.info["serial"] == "DT000001"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        proc.stdout.close()  # type: ignore[union-attr]


@pytest.mark.e2e
def test_checkbox_fake_process_serves_http() -> None:
    proc, [(word, url)] = _start("desktop.devices.emulators.checkbox_fake", lines=1)
    try:
        assert word == "url"
        c = CheckboxClient(url, license_key="test-license")
        c.signin("cashier", "secret")
        assert c.register_info()["is_test"] is True
        c.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        proc.stdout.close()  # type: ignore[union-attr]
