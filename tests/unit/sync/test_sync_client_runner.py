"""The till's client and runner against a fake cloud on 127.0.0.1, and the fault proxy itself.

GIVEN a small FastAPI app playing a cloud that answers badly on purpose (5xx, 429, not JSON,
      a newer protocol version, a revoked device, a reset through the fault proxy)
WHEN the client pushes and the runner runs rounds
THEN each failure becomes the right ``SyncError`` (transient ones back off exponentially with
     jitter, permanent ones are shown), nothing is acknowledged that the cloud did not confirm,
     and the runner reports online/pending/last error as the UI and local API show them.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from desktop.core import CashTender, ProductRecord, Role, Till
from desktop.sync_ports import TillSyncPorts
from shared.backoff import Backoff
from sync import state
from sync.client import SyncClient
from sync.errors import (
    BadResponse,
    DeviceRevoked,
    Offline,
    ServerBusy,
    TransientSyncError,
    VersionUnsupported,
)
from sync.runner import SyncRunner
from tests.support.factories import scratch_till
from tests.support.fault_proxy import FaultProxy, Faults
from tests.support.world import free_port

DEVICE = "01a21d00-0000-7000-8000-000000000001"


class FakeCloud:
    """Answers pushes the way ``mode`` says; a good push acknowledges everything sent."""

    def __init__(self) -> None:
        self.mode = "ok"
        self.pushes = 0
        app = FastAPI()

        @app.post("/api/v1/sync/push")
        async def push(request: Request) -> Response:
            self.pushes += 1
            import gzip
            import json

            body = json.loads(gzip.decompress(await request.body()))
            last = body["events"][-1]["seq"]
            if self.mode == "500":
                return PlainTextResponse("boom", status_code=500)
            if self.mode == "429":
                return JSONResponse({"success": False, "error": {"code": "RATE_LIMIT_EXCEEDED",
                                                                 "message": "slow down"}}, 429)
            if self.mode == "garbage":
                return PlainTextResponse("<html>proxy error</html>")
            if self.mode == "newer":
                return JSONResponse({"version": 2, "device_id": DEVICE, "acked_through": last,
                                     "stored": 1, "duplicates": 0})
            if self.mode == "revoked":
                return JSONResponse({"success": False, "error": {
                    "code": "SYNC_DEVICE_REVOKED", "message": "revoked"}}, 401)
            return JSONResponse({"version": 1, "device_id": DEVICE, "acked_through": last,
                                 "stored": len(body["events"]), "duplicates": 0, "gaps": []})

        @app.get("/api/v1/sync/pull")
        async def pull() -> dict[str, Any]:
            return {"version": 1, "cursor": "1", "has_more": False, "changes": []}

        self.app = app


@pytest.fixture(scope="module")
def cloud() -> Iterator[tuple[FakeCloud, str]]:
    fake = FakeCloud()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(fake.app, host="127.0.0.1", port=port,
                                           log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    yield fake, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def till(tmp_path: Path) -> Iterator[Till]:
    t = scratch_till(tmp_path / "till.sqlite3")
    t.import_catalog([ProductRecord("A", "Apple", 500, "reduced")])
    t.create_user("ana", "Ana", Role.CASHIER, "1234")
    t.login("ana", "1234")
    t.open_shift(0)
    for _ in range(3):
        cart = t.add_product(t.new_cart().id, "A", 1)
        t.complete_sale(cart.id, [CashTender(cart.due)])
    t.apply_catalog_changes([], (), cursor="0")  # as if bootstrapped
    yield t
    t.close()


def enrollment(url: str) -> state.Enrollment:
    return state.Enrollment(cloud_url=url, device_id=DEVICE, device_token="tbd_x",
                            tenant_id=DEVICE, store={"code": "S1"}, till={"code": "T1"},
                            enrolled_at="2026-03-02T09:30:00+00:00")


@pytest.mark.parametrize(("mode", "error"), [("500", ServerBusy), ("429", ServerBusy),
                                             ("garbage", BadResponse),
                                             ("newer", VersionUnsupported),
                                             ("revoked", DeviceRevoked)])
def test_each_bad_answer_maps_to_its_error_and_nothing_is_acknowledged(
        cloud: tuple[FakeCloud, str], till: Till, mode: str, error: type[Exception]) -> None:
    fake, url = cloud
    fake.mode = mode
    with SyncClient(TillSyncPorts(till), enrollment(url)) as client, pytest.raises(error):
        client.push_once()
    assert till.outbox_stats().acked_through == 0
    fake.mode = "ok"
    with SyncClient(TillSyncPorts(till), enrollment(url)) as client:
        assert client.push_all() == till.outbox_stats().last_seq
    assert till.outbox_stats().pending == 0


def test_an_unreachable_cloud_is_offline(till: Till) -> None:
    unreachable = enrollment(f"http://127.0.0.1:{free_port()}")
    with SyncClient(TillSyncPorts(till), unreachable, timeout=2) as client:
        with pytest.raises(Offline):
            client.push_once()


def test_a_reset_after_the_request_is_transient_and_the_retry_completes(
        cloud: tuple[FakeCloud, str], till: Till) -> None:
    fake, url = cloud
    fake.mode = "ok"
    proxy = FaultProxy(int(url.rsplit(":", 1)[1]), seed=1, faults=Faults(reset=1.0))
    proxy.start()
    try:
        before = fake.pushes
        with SyncClient(TillSyncPorts(till), enrollment(proxy.url)) as client:
            with pytest.raises(TransientSyncError):
                client.push_once()
            assert fake.pushes == before + 1  # the cloud did the work; the answer was lost
            assert till.outbox_stats().acked_through == 0
            proxy.set_faults(Faults())
            client.push_all()
        assert till.outbox_stats().pending == 0 and proxy.counts["reset"] == 1
        proxy.offline()
        with SyncClient(TillSyncPorts(till), enrollment(proxy.url), timeout=2) as client:
            with pytest.raises(Offline):
                client.status()
        assert proxy.counts["dropped"] >= 1
    finally:
        proxy.stop()


def test_backoff_grows_exponentially_with_jitter_and_resets() -> None:
    b = Backoff(0.5, 8.0, rng=random.Random(3))
    waits = [b.next() for _ in range(7)]
    steps = [0.5, 1, 2, 4, 8, 8, 8]
    assert all(s / 2 <= w <= s for w, s in zip(waits, steps, strict=True))
    assert len({round(w, 6) for w in waits[-3:]}) == 3  # jitter: no two the same
    b.reset()
    assert b.next() <= 0.5


def test_runner_reports_status_through_failures_and_recovers(
        cloud: tuple[FakeCloud, str], till: Till, tmp_path: Path) -> None:
    fake, url = cloud
    home = tmp_path / "home"
    runner = SyncRunner(TillSyncPorts(till), home, backoff=Backoff(0.5, 8.0, rng=random.Random(1)))
    assert runner.run_once() == 5.0  # not enrolled: waits, touches nothing
    events = till.outbox_stats().last_seq  # user, shift, three sales
    assert runner.status().configured is False and runner.status().pending == events
    state.save(home, enrollment(url))
    fake.mode = "500"
    waits = [runner.run_once() for _ in range(3)]
    s = runner.status()
    assert s.configured and not s.online and s.last_error_code == "SYNC_SERVER_BUSY"
    assert waits[0] <= 0.5 < waits[2] <= 2.0 and s.pending == events
    fake.mode = "revoked"
    assert runner.run_once() == runner.backoff.cap
    assert runner.status().revoked and runner.status().last_error_code == "SYNC_DEVICE_REVOKED"
    fake.mode = "ok"
    runner.run_once()
    s = runner.status()
    assert s.online and s.pending == 0 and s.last_error == "" and s.last_push_at is not None
    assert s.last_pull_at is not None and s.acked_through == s.last_seq
    runner.stop()


def test_runner_thread_syncs_in_the_background(cloud: tuple[FakeCloud, str], till: Till,
                                               tmp_path: Path) -> None:
    fake, url = cloud
    fake.mode = "ok"
    home = tmp_path / "home"
    state.save(home, enrollment(url))
    runner = SyncRunner(TillSyncPorts(till), home, idle_interval=0.05)
    runner.start()
    try:
        cart = till.add_product(till.new_cart().id, "A", 2)
        till.complete_sale(cart.id, [CashTender(cart.due)])  # never waits for the network
        runner.wake()
        deadline = time.monotonic() + 20
        while till.outbox_stats().pending:
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        runner.stop()
    assert state.read_status(home) is not None


def test_enrollment_state_is_private_and_the_installation_id_stable(tmp_path: Path) -> None:
    home = tmp_path / "h"
    state.save(home, enrollment("http://x"))
    assert (home / "sync.json").stat().st_mode & 0o777 == 0o600
    loaded = state.load(home)
    assert loaded is not None and loaded.device_token == "tbd_x"
    assert "tbd_x" not in repr(loaded)
    assert state.device_uid(home) == state.device_uid(home)
    state.forget(home)
    assert state.load(home) is None


def test_the_fault_proxy_passes_clean_traffic(cloud: tuple[FakeCloud, str]) -> None:
    _fake, url = cloud
    proxy = FaultProxy(int(url.rsplit(":", 1)[1]), seed=2,
                       faults=Faults(delay=1.0, delay_s=(0.0, 0.01)))
    proxy.start()
    try:
        r = httpx.get(proxy.url + "/api/v1/sync/pull")
        assert r.json()["cursor"] == "1" and proxy.counts["delayed"] >= 1
        proxy.set_faults(Faults(truncate=1.0))
        with pytest.raises(httpx.HTTPError):
            httpx.get(proxy.url + "/api/v1/sync/pull").json()
    finally:
        proxy.stop()
