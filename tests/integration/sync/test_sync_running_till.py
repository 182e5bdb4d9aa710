"""Back-office changes reaching a till that is open and selling, without a restart.

GIVEN an enrolled till whose background runner syncs through the till's own ``Till`` (as the
      cashier window's ``TillServices`` makes it), with people logged in and a shift open
WHEN the back office adds, renames, demotes, re-PINs or deactivates till users, or changes the
     store's name, address, fiscal id and receipt texts (or the till's), and the runner pulls
THEN the next login and the next permission check follow the cloud, the next receipt (and its
     printed form) carries the new texts, a restart keeps them, and a currency change waits
     for the shift to close.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import Shop, World

from desktop.app import build_till
from desktop.config import TillConfig
from desktop.core import CashTender, Receipt, Role, Till
from desktop.core.errors import InvalidPin, PermissionDenied
from desktop.documents.render import receipt_document
from desktop.sync_ports import TillSyncPorts
from shared.events import EventType
from sync import state
from sync.client import enroll
from sync.runner import SyncRunner
from sync.settings import WAITING

DEADLINE = 60.0


@pytest.fixture
def running(world: World) -> Iterator[tuple[Shop, Till, Path, SyncRunner]]:
    """World A's till, enrolled, with its runner syncing through it (pulls only on request)."""
    shop = world.a
    till, home = shop.new_till("running")
    enroll(till, home, shop.live.url, shop.code())
    runner = SyncRunner(TillSyncPorts(till), home, idle_interval=0.05, pull_interval=3600)
    runner.start()
    assert runner.till.till is till
    try:
        _pulled(runner, lambda: till.catalog_cursor() is not None)
        yield shop, till, home, runner
    finally:
        runner.stop()


def _pulled(runner: SyncRunner, done: Callable[[], object]) -> None:
    """Ask the runner to pull until ``done()`` holds (a poll with a generous deadline)."""
    end = time.monotonic() + DEADLINE
    while not done():
        assert time.monotonic() < end, runner.status()
        runner.wake(pull=True)
        time.sleep(0.05)


def _new_user(shop: Shop, login: str, name: str, role: str, pin: str) -> str:
    r = shop.call("POST", "/api/v1/sync/till-users", json={
        "login": login, "name": name, "role": role, "pin": pin,
        "storeId": str(shop.store_id)})
    assert r.status_code == 201, r.text
    return str(r.json()["data"]["id"])


def _patch_user(shop: Shop, user_id: str, **fields: object) -> None:
    r = shop.call("PATCH", f"/api/v1/sync/till-users/{user_id}", json=fields)
    assert r.status_code == 200, r.text


def _stored(till: Till, login: str) -> tuple[str, Role, bool] | None:
    found = till.storage.user_by_login(login)
    return None if found is None else (found[0].name, found[0].role, found[0].active)


def test_user_changes_apply_at_the_next_login_and_the_next_check(
        running: tuple[Shop, Till, Path, SyncRunner]) -> None:
    shop, till, _home, runner = running
    maria = _new_user(shop, "maria", "Maria", "cashier", "4321")
    boss = _new_user(shop, "boss", "Boss", "store_manager", "1357")
    _pulled(runner, lambda: _stored(till, "maria") and _stored(till, "boss"))
    assert till.login("maria", "4321").role is Role.CASHIER

    # A manager logged in keeps working until the cloud demotes them: then the next check fails.
    till.login("boss", "1357")
    till.open_shift(0)
    cart = till.add_product(till.new_cart().id, shop.skus[0], 1)
    till.override_price(cart.id, 1, 500)  # manager-only
    _patch_user(shop, boss, role="cashier", name="Boss (demoted)")
    _pulled(runner, lambda: _stored(till, "boss") == ("Boss (demoted)", Role.CASHIER, True))
    with pytest.raises(PermissionDenied):
        till.override_price(cart.id, 1, 400)
    assert till.current_user is not None and till.current_user.name == "Boss (demoted)"
    assert till.current_user.role is Role.CASHIER
    sale = till.complete_sale(cart.id, [CashTender(500)])  # selling is still allowed
    assert sale.cashier_name == "Boss (demoted)" and sale.total == 500

    # A new PIN replaces the old one at the next login.
    _patch_user(shop, maria, pin="2468")
    _pulled(runner, lambda: _login_fails(till, "maria", "4321"))
    assert till.login("maria", "2468").name == "Maria"

    # Deactivated: no login at all (and off the login list); reactivated: back again.
    _patch_user(shop, maria, active=False)
    _pulled(runner, lambda: _stored(till, "maria") == ("Maria", Role.CASHIER, False))
    with pytest.raises(InvalidPin):
        till.login("maria", "2468")
    assert "maria" not in [u.login for u in till.users() if u.active]
    _patch_user(shop, maria, active=True)
    _pulled(runner, lambda: _stored(till, "maria") == ("Maria", Role.CASHIER, True))
    assert till.login("maria", "2468").login == "maria"


def _login_fails(till: Till, login: str, pin: str) -> bool:
    try:
        till.login(login, pin)
    except InvalidPin:
        return True
    till.logout()
    return False


def _sell(till: Till, sku: str) -> Receipt:
    cart = till.add_product(till.new_cart().id, sku, 1)
    return till.complete_sale(cart.id, [CashTender(cart.due)])


def test_store_and_till_settings_reach_the_next_receipt_and_survive_a_restart(
        running: tuple[Shop, Till, Path, SyncRunner]) -> None:
    shop, till, home, runner = running
    till.create_user("ana", "Ana", Role.STORE_MANAGER, "1234")
    till.login("ana", "1234")
    till.open_shift(0)
    before = _sell(till, shop.skus[0])
    assert before.header == ()  # enrolled with the bare client: no cloud texts yet

    r = shop.call("PATCH", f"/api/v1/stores/{shop.store_id}", json={
        "name": "Alpha Market", "address": {"street": "Str. Lungă 5", "city": "Brașov"},
        "fiscalIds": {"cui": "RO18547290"},
        "settings": {"receiptHeader": ["Open 8-22"], "receiptFooter": "Thank you!\nCome again"}})
    assert r.status_code == 200, r.text
    header = ("Alpha Market", "Str. Lungă 5, Brașov", "CUI: RO18547290", "Open 8-22")
    _pulled(runner, lambda: till.settings.header == header)
    assert till.settings.footer == ("Thank you!", "Come again")
    receipt = _sell(till, shop.skus[0])
    assert receipt.header == header and receipt.footer == ("Thank you!", "Come again")
    printed = receipt_document(receipt, language="en")
    assert printed.header_lines[:4] == list(header)
    assert printed.footer_lines == ["Thank you!", "Come again"]

    # The till's own settings win over the store's for its receipts.
    r = shop.call("PATCH", f"/api/v1/stores/{shop.store_id}/tills/{shop.till_id}",
                  json={"settings": {"receiptFooter": ["Till 1 says bye"]}})
    assert r.status_code == 200, r.text
    _pulled(runner, lambda: till.settings.footer == ("Till 1 says bye",))
    assert _sell(till, shop.skus[0]).footer == ("Till 1 says bye",)

    # A currency change would change what receipts add up to: it waits for the shift to close.
    r = shop.call("PATCH", f"/api/v1/stores/{shop.store_id}", json={"currency": "EUR"})
    assert r.status_code == 200, r.text
    _pulled(runner, lambda: (e := state.load(home)) is not None
            and e.cloud_config.get(WAITING) is True)
    assert till.settings.currency == "RON" and till.settings.header == header
    till.close_shift(till.drawer_balance())
    # The runner applies the settings, then saves the enrollment: wait for both.
    _pulled(runner, lambda: till.settings.currency == "EUR"
            and (e := state.load(home)) is not None and e.cloud_config.get(WAITING) is False)

    journal = [e for e in till.outbox_after(0, 1000) if e.type == EventType.SETTINGS_CHANGED]
    assert journal and all(e.payload.get("source") == "cloud" for e in journal)
    assert "header" in journal[0].payload["changes"]

    runner.stop()  # the window closes; the till restarts with what the cloud said
    settings = till.settings
    till.close()
    again = build_till(TillConfig(home=home))
    try:
        assert again.settings == settings
        assert again.settings.header == header and again.settings.currency == "EUR"
    finally:
        again.close()
