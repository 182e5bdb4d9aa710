"""Processes over 127.0.0.1: the till (``tillbridge-till run --headless``) and the ESC/POS
emulator CLI. A receipt queued while the printer is off survives a till crash (SIGKILL) and
is printed exactly once when both are back."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop.devices.printers.samples import sample_receipt
from desktop.devices.protocols.escpos.decode import decode

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(predicate: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    tick = threading.Event()
    for _ in range(int(timeout / 0.05)):
        try:
            if predicate():
                return
        except httpx.HTTPError:
            pass
        tick.wait(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Procs:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.env = {**os.environ, "TILLBRIDGE_HOME": str(tmp / "home"),
                    "TILLBRIDGE_PRINT_RETRY_BASE": "0.05", "TILLBRIDGE_PRINT_RETRY_CAP": "0.2",
                    "TILLBRIDGE_PRINTER_STATUS_INTERVAL": "0.5"}
        self.env.pop("DISPLAY", None)
        self.env.pop("WAYLAND_DISPLAY", None)
        self.running: list[subprocess.Popen[str]] = []

    def emulator(self, port: int) -> tuple[subprocess.Popen[str], int]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "desktop.devices.emulators.escpos_printer", "--port",
             str(port), "--spool", str(self.tmp / "spool")],
            cwd=ROOT, env=self.env, stdout=subprocess.PIPE, text=True)
        self.running.append(proc)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("listening on 127.0.0.1:"), line
        return proc, int(line.rsplit(":", 1)[1])

    def till(self, port: int) -> tuple[subprocess.Popen[str], httpx.Client]:
        with (self.tmp / f"till-{port}.log").open("w") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "desktop.cli", "run", "--headless", "--port", str(port)],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, text=True)
        self.running.append(proc)
        base = f"http://127.0.0.1:{port}"
        _wait(lambda: httpx.get(f"{base}/health", timeout=1).status_code == 200, "till up")
        token = (self.tmp / "home" / "till" / "api-token").read_text().strip()
        return proc, httpx.Client(base_url=base, timeout=10,
                                  headers={"Authorization": f"Bearer {token}"})

    def stop(self, proc: subprocess.Popen[str], sig: int = signal.SIGTERM) -> None:
        proc.send_signal(sig)
        proc.wait(15)
        if proc.stdout:
            proc.stdout.close()
        self.running.remove(proc)

    def close(self) -> None:
        for proc in list(self.running):
            self.stop(proc, signal.SIGKILL)


@pytest.fixture
def procs(tmp_path: Path) -> Iterator[Procs]:
    p = Procs(tmp_path)
    try:
        yield p
    finally:
        p.close()


def _job(client: httpx.Client, job_id: str) -> dict[str, Any]:
    return dict(client.get(f"/api/hardware/jobs/{job_id}").json())


def test_receipt_survives_printer_off_and_till_crash_printed_once(procs: Procs) -> None:
    """GIVEN the till and a network printer (two processes)
    WHEN the printer is switched off, a receipt is printed, and the till is killed
    AND then the till and the printer come back
    THEN the receipt is printed exactly once, not as a copy."""
    emu, port = procs.emulator(0)
    till, client = procs.till(_free_port())
    r = client.post("/api/hardware/printers", json={
        "name": "Counter", "type": "thermal", "connection": "network", "ip": "127.0.0.1",
        "port": port})
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    procs.stop(emu)

    doc = sample_receipt("uk", number="S01-T01-0099-0001").model_dump(mode="json", by_alias=True)
    r = client.post("/api/hardware/print", json={"printerId": pid, "type": "receipt",
                                                 "format": "json", "content": doc})
    job_id = r.json()["jobId"]
    _wait(lambda: _job(client, job_id)["attempts"] >= 1, "a failed attempt")
    assert _job(client, job_id)["status"] == "queued"
    assert client.get(f"/api/hardware/printers/{pid}").json()["status"] == "offline"
    client.close()
    procs.stop(till, signal.SIGKILL)

    _, client = procs.till(_free_port())
    procs.emulator(port)
    _wait(lambda: _job(client, job_id)["status"] == "done", "printed after restart")
    client.close()

    def printed() -> list[list[str]]:
        data = b"".join(p.read_bytes() for p in sorted((procs.tmp / "spool").glob("*.bin")))
        return [page.text for page in decode(data).cut_pages]

    _wait(lambda: any("S01-T01-0099-0001" in " ".join(t) for t in printed()), "spooled")
    pages = [t for t in printed() if "S01-T01-0099-0001" in " ".join(t)]
    assert len(pages) == 1
    assert pages[0][0] == "ТОВ «Тілбрідж Маркет»"  # an original, not a COPY
