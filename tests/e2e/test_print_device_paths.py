"""A file printer writes only to a printer device or the till's spool folder.

GIVEN the till's local API with its default hardware settings
WHEN a caller configures a "file" printer at any other path (the till's own database, a file
     outside, a path that climbs out of the spool with "..", a symlink in the spool that points
     out) or a device name with a NUL or a lone surrogate
THEN it is refused with INSUFFICIENT_PERMISSIONS (403) or VALIDATION_ERROR (422) naming the
     device, the file is neither created nor truncated, and no printer is saved;
     a printer in the spool folder prints there.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from desktop.api.app import create_app
from desktop.app import TillServices
from desktop.config import TillConfig
from desktop.devices.printers.service import HardwareService
from desktop.devices.printers.settings import HardwareSettings

pytestmark = pytest.mark.e2e
TOKEN = "test-token"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "till"


@pytest.fixture
def client(home: Path) -> Iterator[TestClient]:
    svc = HardwareService(home, settings=HardwareSettings(retry_base=0.02, retry_cap=0.1,
                                                          status_interval=0))
    app = create_app(TillServices(TillConfig(home=home), hardware=svc.start()), token=TOKEN)
    with TestClient(app, headers={"Authorization": f"Bearer {TOKEN}"}) as c:
        yield c


def _file_printer(client: TestClient, device: str) -> object:
    return client.post("/api/hardware/printers", json={
        "name": "to-file", "type": "thermal", "connection": "file", "device": device})


def test_paths_outside_the_printer_devices_are_refused(client: TestClient, home: Path,
                                                      tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    spool = home / "spool"
    spool.mkdir(parents=True, exist_ok=True)
    (spool / "escape").symlink_to(victim)
    for device in (str(victim), str(home / "till.sqlite3"), str(spool / ".." / "devices.db"),
                   str(spool / "escape"), "/etc/passwd", "/dev/null"):
        r = _file_printer(client, device)
        assert r.status_code == 403, (device, r.text)
        body = r.json()
        assert body["code"] == "INSUFFICIENT_PERMISSIONS"
        assert body["details"]["field"] == "device"
        assert body["details"]["reason"] == "device_not_allowed"
    assert victim.read_text() == "precious"
    assert client.get("/api/hardware/printers").json()["printers"] == []


@pytest.mark.parametrize("device", ["/dev/usb/lp0\x00x", "/tmp/\udc85x"])
def test_unprintable_device_names_are_validation_errors(client: TestClient,
                                                        device: str) -> None:
    r = client.post("/api/hardware/printers", content=(
        '{"name": "odd", "type": "thermal", "connection": "serial", "device": '
        + _json_string(device) + "}").encode(), headers={"Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.json()["details"]["field"] == "device"


def _json_string(value: str) -> str:
    """JSON text for ``value`` with lone surrogates escaped as a hostile client sends them."""
    out = []
    for c in value:
        out.append(f"\\u{ord(c):04x}" if ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF else c)
    return '"' + "".join(out) + '"'


def test_a_printer_in_the_spool_folder_prints_there(client: TestClient, home: Path) -> None:
    spool = home / "spool"
    spool.mkdir(parents=True, exist_ok=True)
    target = spool / "receipts.bin"
    target.touch()
    r = _file_printer(client, str(target))
    assert r.status_code == 201, r.text
    job = client.post("/api/hardware/print", json={"type": "text", "content": "hello"}).json()
    tick = threading.Event()
    for _ in range(750):
        if client.get(f"/api/hardware/jobs/{job['jobId']}").json()["status"] == "done":
            break
        tick.wait(0.02)
    assert b"hello" in target.read_bytes()


def test_a_serial_device_that_does_not_exist_is_the_callers_error(client: TestClient) -> None:
    r = client.post("/api/hardware/printers", json={
        "name": "gone", "type": "thermal", "connection": "serial", "device": "/dev/ttyNOPE9"})
    assert r.status_code == 422, r.text
    assert r.json()["details"]["reason"] == "no_such_device"
