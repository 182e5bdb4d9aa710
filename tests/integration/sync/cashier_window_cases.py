"""The cashier window (``run_gui``) and the cloud link: what its status bar says, and the
background sync it runs.

GIVEN a till home that is enrolled with a live cloud (or enrolled with a cloud that cannot be
      reached, or not enrolled at all) and has a sale waiting
WHEN the cashier app starts
THEN the status bar shows the link as it is (online with nothing waiting and the time of the
     last sync; offline with the events waiting and the error; "not connected"), the enrolled
     till syncs through the window's own till while the window is open, and nothing of the
     runner is left once the window has closed.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import World
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.app import TillServices, build_till
from desktop.config import TillConfig
from desktop.core import CashTender, Receipt, Role
from desktop.sync_runtime import enroll_till
from desktop.ui.app import run_gui
from desktop.ui.context import Prefs
from desktop.ui.views.main_window import MainWindow
from sync import state
from tests.support.factories import till_at
from tests.support.world import free_port

pytestmark = pytest.mark.qt

DEADLINE = 60.0


def _sell_one(home: Path, sku: str | None = None) -> Receipt:
    """A sale made on the till before the window opens (it waits in the outbox)."""
    till = till_at(home)
    try:
        if not till.users():
            till.create_user("ana", "Ana", Role.CASHIER, "1234")
        till.login("ana", "1234")
        if till.current_shift() is None:
            till.open_shift(0)
        if sku is None:
            from desktop.core.demo_catalog import curated_products

            till.import_catalog(list(curated_products("RO")), replace=True)
            sku = next(p.sku for p in curated_products("RO")
                       if p.unit.value == "pcs" and not p.age_restricted and not p.excise)
        cart = till.add_product(till.new_cart().id, sku, 1)
        return till.complete_sale(cart.id, [CashTender(cart.due)])
    finally:
        till.close()


def _waiting(home: Path) -> int:
    till = build_till(TillConfig(home=home))
    try:
        return till.outbox_stats().pending
    finally:
        till.close()


def _run_window(services: TillServices, done: Callable[[MainWindow], bool]) -> list[str]:
    """Run the real cashier app (without the local API) on ``services`` until
    ``done(window)`` holds after a status refresh; returns every sync text the status bar
    showed."""
    home = services.home
    Prefs(home / "ui.ini").set("language", "en")
    seen: list[str] = []
    finished: list[bool] = []

    def first_frame(window: MainWindow) -> None:
        deadline = time.monotonic() + DEADLINE
        timer = QTimer(window)

        def tick() -> None:
            window.refresh_status()
            seen.append(window.strip.sync.text())
            ok = done(window)
            if ok or time.monotonic() > deadline:
                finished.append(ok)
                timer.stop()
                QApplication.instance().quit()  # type: ignore[union-attr]

        timer.timeout.connect(tick)
        timer.start(50)

    assert run_gui(services, api=False, first_frame=first_frame) == 0
    assert finished == [True], seen[-3:]
    return seen


def test_an_enrolled_till_syncs_through_the_window_and_shows_it(world: World,
                                                                tmp_path: Path) -> None:
    shop = world.a
    home = tmp_path / "till"
    services = TillServices(TillConfig(home=home))
    enroll_till(home, shop.live.url, shop.code())
    sale = _sell_one(home, shop.skus[0])
    assert shop.call("GET", f"/api/v1/sales/{sale.id}").status_code == 404
    same_till: list[bool] = []

    def synced(window: MainWindow) -> bool:
        runner = services.sync.peek()
        same_till.append(runner is not None and runner.till.till is window.ctx.till)
        text = window.strip.sync.text()
        return text.startswith("Sync: online · 0 events waiting · last ")

    _run_window(services, synced)
    assert same_till[-1], "the runner syncs through the window's own till"
    assert services.sync.peek() is None, "the runner stops with the window"
    assert shop.call("GET", f"/api/v1/sales/{sale.id}").status_code == 200
    status = state.read_status(home)
    assert status is not None and status["pending"] == 0


def test_an_unreachable_cloud_shows_offline_with_the_waiting_events_and_the_error(
        tmp_path: Path) -> None:
    home = tmp_path / "till"
    services = TillServices(TillConfig(home=home))
    _sell_one(home)
    state.save(home, state.Enrollment(
        cloud_url=f"http://127.0.0.1:{free_port()}", device_id=str(uuid.uuid4()),
        device_token="t", tenant_id=str(uuid.uuid4()), store={"code": "S1"}, till={"code": "T1"},
        enrolled_at=datetime.now(UTC).isoformat()))
    waiting = _waiting(home)

    def failed(window: MainWindow) -> bool:
        assert services.sync.peek() is not None
        return "error: cannot reach the cloud" in window.strip.sync.text()

    seen = _run_window(services, failed)
    assert seen[-1].startswith(f"Sync: offline · {waiting} events waiting · error: ")
    assert services.sync.peek() is None


def test_a_till_that_is_not_enrolled_says_so_and_starts_no_runner(tmp_path: Path) -> None:
    home = tmp_path / "till"
    services = TillServices(TillConfig(home=home))
    _sell_one(home)
    runners: list[object] = []

    def shown(window: MainWindow) -> bool:
        runners.append(services.sync.peek())
        return window.strip.sync.text().startswith("Sync: not connected · ")

    seen = _run_window(services, shown)
    assert seen[-1] == f"Sync: not connected · {_waiting(home)} events waiting"
    assert runners and all(r is None for r in runners)
