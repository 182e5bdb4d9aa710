"""Cloud server + job worker processes + a webhook receiver, all on 127.0.0.1.

GIVEN a subscription whose receiver answers 503 WHEN a delivery is queued THEN the worker
process retries it with backoff until the dead-letter queue, every attempt in the history;
WHEN the receiver recovers and the operator replays the DLQ THEN it arrives, correctly signed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cloud.services.webhooks.receiver import WebhookReceiver

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "cloud.cli"]
SCOPES = ["queues:read", "queues:write", "webhooks:read", "webhooks:write"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _until(cond: Callable[[], Any], what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    env = {**os.environ, "TILLBRIDGE_HOME": str(tmp_path / "home"),
           "WEBHOOK_ALLOWED_TARGETS": "127.0.0.1/32", "JOBS_BACKOFF_BASE_S": "0.05",
           "JOBS_BACKOFF_JITTER": "0", "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)

    def cli(*args: str) -> str:
        out = subprocess.run([*CLI, *args], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=120)
        assert out.returncode == 0, out.stdout + out.stderr
        return out.stdout

    cli("migrate")
    cli("create-tenant", "E2E Shop", "--slug", "e2e")
    key = cli("create-api-key", "e2e", "ops", *[a for s in SCOPES for a in ("--scope", s)]
              ).strip().splitlines()[-1]
    port = _free_port()
    logs = tmp_path / "logs"
    logs.mkdir()
    files = [(logs / "cloud.log").open("w"), (logs / "worker.log").open("w")]
    procs = [
        subprocess.Popen([*CLI, "serve", "--port", str(port), "--no-demo"], cwd=ROOT, env=env,
                         stdout=files[0], stderr=subprocess.STDOUT),
        subprocess.Popen([*CLI, "worker", "--poll-interval", "0.1"], cwd=ROOT, env=env,
                         stdout=files[1], stderr=subprocess.STDOUT),
    ]
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            return httpx.get(f"{base}/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        _until(healthy, "the cloud to answer")
        yield base, {"X-API-Key": key}
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(10)
        for f in files:
            f.close()
        assert procs[1].returncode == 0, (logs / "worker.log").read_text()


@pytest.mark.e2e
def test_delivery_retries_dead_letters_and_replays_across_processes(
        stack: tuple[str, dict[str, str]]) -> None:
    base, headers = stack
    with WebhookReceiver() as receiver, httpx.Client(base_url=base, headers=headers,
                                                     timeout=30) as api:
        receiver.status = 503
        created = api.post("/api/v1/webhooks", json={
            "name": "erp", "url": receiver.url, "events": ["efactura.accepted"],
            "retryPolicy": {"maxRetries": 2, "retryDelay": 100, "backoffMultiplier": 2}})
        assert created.status_code == 201, created.text
        hook = created.json()["data"]
        receiver.secret = hook["secret"]
        test = api.post(f"/api/v1/webhooks/{hook['id']}/test",
                        json={"eventType": "efactura.accepted"}).json()["data"]
        assert test["delivered"] is False and test["response"]["status"] == 503
        failed_id = api.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()[
            "data"]["deliveries"][0]["id"]

        retry = api.post(f"/api/v1/webhooks/{hook['id']}/deliveries/{failed_id}/retry")
        assert retry.status_code == 200 and retry.json()["data"]["status"] == "pending"

        def dead_lettered() -> Any:
            queues = api.get("/api/queues").json()["data"]["queues"]
            return next((q for q in queues if q["name"] == "webhooks"
                         and q["dlq"]["count"] == 1), None)

        _until(dead_lettered, "the delivery job to reach the dead-letter queue")
        history = api.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()["data"]
        attempts = sorted(d["attempt"] for d in history["deliveries"]
                          if d["id"] != failed_id)
        assert attempts == [1, 2, 3]
        assert all(d["status"] == "failed" and d["httpStatus"] == 503
                   for d in history["deliveries"])
        assert all(r.error is None for r in receiver.received)  # each attempt was signed

        receiver.status = 200
        replay = api.post("/api/queues/webhooks/dlq/replay", json={"limit": 10}).json()["data"]
        assert replay["replayed"] == 1

        def delivered() -> Any:
            rows = api.get(f"/api/v1/webhooks/{hook['id']}/deliveries",
                           params={"status": "success"}).json()["data"]["deliveries"]
            return rows

        (ok,) = _until(delivered, "the replayed delivery to succeed")
        assert ok["httpStatus"] == 200 and ok["attempt"] == 1
        assert receiver.received[-1].error is None
        jobs = api.get("/api/queues/webhooks/jobs", params={"state": "completed"}).json()
        assert jobs["pagination"]["total"] == 1
