"""``tillbridge-till run`` opens the window beside the local API; without a display (or with
``--headless``) it runs the same agent without windows."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = [pytest.mark.qt, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(home: Path, *, display: bool, args: tuple[str, ...] = ()) -> dict[str, object]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(TILLBRIDGE_HOME=str(home), TILLBRIDGE_TILL_PORT=str(port),
               QT_QPA_PLATFORM="offscreen")
    if display:
        env["DISPLAY"] = ":0"  # the offscreen platform draws; "a display exists" is the switch
    log = home.parent / f"{home.name}.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "desktop.cli", "run", *args], env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60  # bounds a failing start only
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise AssertionError(f"till exited: {log.read_text()}")
            try:
                return httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).json()
            except httpx.HTTPError:
                time.sleep(0.1)
        raise AssertionError("the local API never answered")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, log.read_text()  # SIGTERM is a clean stop


def test_run_with_a_display_opens_the_window_beside_the_local_api(tmp_path: Path) -> None:
    assert _run(tmp_path / "a", display=True) == {"status": "ok", "version": _version(),
                                                  "headless": False}


def test_run_without_a_display_runs_the_agent_without_windows(tmp_path: Path) -> None:
    assert _run(tmp_path / "b", display=False)["headless"] is True


def _version() -> str:
    from desktop import __version__

    return __version__
