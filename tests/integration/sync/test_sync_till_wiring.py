"""Sync wired into the till: ``enroll``/``sync``/``sync status`` commands, the local API's
background runner and ``GET /api/sync/status``, and the status bar's sync source.

GIVEN a till home and a one-time code from the back office
WHEN the cashier's side runs ``tillbridge-till enroll``, sells, and the headless till runs
THEN the till takes the cloud's store/till codes, downloads the catalog, and its sales reach
     the cloud in the background, as the local API and the status bar report.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from conftest import World
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from desktop.api.app import create_app
from desktop.app import TillServices
from desktop.cli import app as cli
from desktop.config import TillConfig
from desktop.core import CashTender, Role
from desktop.ui.sync_status import SyncStatusSource
from tests.support.factories import till_at


def test_enroll_sell_and_sync_in_the_background(world: World, tmp_path: Path) -> None:
    shop = world.a
    home = TillConfig().home  # TILLBRIDGE_HOME/till (set per test)
    runner = CliRunner()
    status = runner.invoke(cli, ["sync", "status"])
    assert status.exit_code == 0 and "not enrolled" in status.output
    out = runner.invoke(cli, ["enroll", "--cloud", shop.live.url, "--code", shop.code()])
    assert out.exit_code == 0, out.output
    assert "enrolled: store S1" in out.output and f"{len(shop.skus)} products" in out.output
    bad = runner.invoke(cli, ["enroll", "--cloud", shop.live.url, "--code", "ZZZZ-ZZZZ-ZZZZ"])
    assert bad.exit_code == 2 and "SYNC_ENROLLMENT_INVALID" in bad.output

    till = till_at(home)
    assert till.settings.store_code == "S1" and till.settings.till_code == "T1"
    assert till.settings.header[0] == "Alpha store"
    till.create_user("ana", "Ana", Role.CASHIER, "1234")
    till.login("ana", "1234")
    till.open_shift(0)
    cart = till.add_product(till.new_cart().id, shop.skus[0], 1)
    sale = till.complete_sale(cart.id, [CashTender(cart.due)])
    services = TillServices(TillConfig(home=home))  # the local API's (below)
    source = SyncStatusSource(till, home, services.sync.peek)
    before = source.state()
    assert before.configured and before.pending == till.outbox_stats().last_seq

    synced = runner.invoke(cli, ["sync"])
    assert synced.exit_code == 0 and "0 events waiting" in synced.output, synced.output
    printed = runner.invoke(cli, ["sync", "status", "--json"]).stdout
    report = json.loads(printed[printed.index('{\n "till"'):])
    assert report["till"]["configured"] and report["till"]["pending"] == 0
    assert report["cloud"]["acked_through"] == till.outbox_stats().last_seq
    assert shop.call("GET", f"/api/v1/sales/{sale.id}").status_code == 200

    # The till's local API starts the runner, which pushes the next sale by itself.
    cart = till.add_product(till.new_cart().id, shop.skus[1], 2)
    second = till.complete_sale(cart.id, [CashTender(cart.due)])
    with TestClient(create_app(services, token="t")) as api:
        auth = {"Authorization": "Bearer t"}
        assert api.get("/api/sync/status").status_code == 401
        assert api.post("/api/sync/run", headers=auth).json() == {"accepted": True}
        deadline = time.monotonic() + 30
        while True:
            s = api.get("/api/sync/status", headers=auth).json()
            if s["online"] and s["pending"] == 0:
                break
            assert time.monotonic() < deadline, s
            time.sleep(0.1)
        assert s["configured"] and s["cloud_url"] == shop.live.url
        state = source.state()
        assert state.configured and state.online and state.pending == 0
        assert state.last_sync is not None
    assert shop.call("GET", f"/api/v1/sales/{second.id}").status_code == 200
    till.close()
