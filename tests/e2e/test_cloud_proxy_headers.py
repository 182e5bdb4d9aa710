"""A client cannot escape the per-address login limit by inventing X-Forwarded-For.

GIVEN `tillbridge-cloud serve` on embedded SQLite, reached over 127.0.0.1
WHEN failed logins arrive from one peer, each claiming another address in X-Forwarded-For
THEN without a configured proxy they all count against the peer (429 after 5 a minute), and
     with `--forwarded-allow-ips 127.0.0.1` (the cloud behind a proxy on this host) the header
     is believed, so each claimed address has its own budget.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serve(home: Path, *extra: str) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "TILLBRIDGE_HOME": str(home), "SCHEDULER_ENABLED": "false"}
    env.pop("FORWARDED_ALLOW_IPS", None)
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "cloud.cli", "serve", "--port", str(port),
                             *extra], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, "the cloud exited"
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code < 500:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the cloud did not start"
            time.sleep(0.2)  # polling a starting process, not synchronising a test step
        yield url
    finally:
        proc.terminate()
        proc.wait(30)


def _statuses(url: str) -> list[int]:
    out = []
    for i in range(8):
        r = httpx.post(f"{url}/api/v1/auth/login",
                       json={"email": "nobody@example.com", "password": "wrong-password"},
                       headers={"X-Forwarded-For": f"198.51.100.{i + 1}"}, timeout=10)
        out.append(r.status_code)
    return out


@pytest.mark.e2e
def test_forwarded_for_is_ignored_unless_the_proxy_is_configured(tmp_path: Path) -> None:
    with _serve(tmp_path / "plain") as url:
        plain = _statuses(url)
    assert 429 in plain and plain[:5] == [401] * 5, plain
    with _serve(tmp_path / "proxied", "--forwarded-allow-ips", "127.0.0.1") as url:
        proxied = _statuses(url)
    assert 429 not in proxied, proxied
