"""The shipped emulators as command-line programs, spoken to over raw TCP."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop.devices.protocols.escpos import status as rt
from desktop.devices.protocols.zpl.status import parse_host_status

ROOT = Path(__file__).resolve().parents[5]


@contextmanager
def _cli(module: str, *args: str) -> Iterator[int]:
    proc = subprocess.Popen([sys.executable, "-m", module, "--port", "0", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("listening on 127.0.0.1:"), line
        yield int(line.rsplit(":", 1)[1])
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
        if proc.stdout:
            proc.stdout.close()


def _ask(port: int, request: bytes, done: Callable[[bytes], bool]) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(request)
        buf = b""
        while not done(buf):
            chunk = s.recv(256)
            if not chunk:
                break
            buf += chunk
        return buf


def test_escpos_emulator_cli_answers_paper_out(tmp_path: Path) -> None:
    """GIVEN the ESC/POS emulator started as a program with --status paper-out
    WHEN asked DLE EOT 4 and 1 THEN it answers paper end and offline, and spools the bytes."""
    with _cli("desktop.devices.emulators.escpos_printer", "--status", "paper-out",
              "--spool", str(tmp_path)) as port:
        answer = _ask(port, rt.query(4) + b"hello\n" + rt.query(1), lambda b: len(b) >= 2)
    status = rt.parse({4: answer[0], 1: answer[1]})
    assert status.paper_out and status.offline
    (spooled,) = tmp_path.glob("*.bin")
    assert b"hello\n" in spooled.read_bytes()


def test_label_emulator_cli_answers_host_status() -> None:
    with _cli("desktop.devices.emulators.label_printer", "--status", "head-up") as port:
        answer = _ask(port, b"~HS", lambda b: b.count(b"\x03\r\n") >= 3)
    assert answer.count(b"\x03\r\n") == 3
    assert parse_host_status(answer).head_up
