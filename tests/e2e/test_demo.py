from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.e2e
def test_demo_walkthrough_starts_cloud_and_till(tmp_path: Path) -> None:
    env = {**os.environ, "TILLBRIDGE_HOME": str(tmp_path / "demo")}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("SCHEDULER_ENABLED", None)  # as `make demo` runs: the cloud's scheduler on
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py"), "--once",
         "--cloud-port", str(_free_port()), "--till-port", str(_free_port())],
        env=env, capture_output=True, text=True, timeout=240,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "cloud up" in proc.stdout and "till up" in proc.stdout
    assert "running headless" in proc.stdout
    assert "schedule.started" in proc.stdout + proc.stderr
    # the sync walkthrough: a sale reaches the cloud, a back-office change reaches the till
    assert "is in the cloud after" in proc.stdout, proc.stdout
    assert "the till's receipt header is now" in proc.stdout, proc.stdout
