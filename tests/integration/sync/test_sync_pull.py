"""Pull and bootstrap: what changes in the cloud reaches the till, and nothing is skipped.

GIVEN a till bootstrapped from the cloud's snapshot
WHEN the back office changes a price, deletes a product, sets a store price or manages till
     users, and the till pulls
THEN the till's next sale uses the new price, the deleted product is gone, users can (or can
     no longer) log in with their PIN; a snapshot cut short leaves nothing behind; and on
     PostgreSQL a change that commits late under a lower feed id is not skipped by a pull.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest
from conftest import Live, World
from sqlalchemy import text
from sqlalchemy.orm import Session

from cloud import audit, tenancy
from cloud.services import feed
from cloud.services.catalog import products
from cloud.services.stock.levels import Actor
from desktop.core import CashTender
from desktop.core.errors import AccountLocked, InvalidPin, UnknownProduct
from desktop.sync_ports import TillSyncPorts
from sync.client import SyncClient
from sync.errors import TransientSyncError
from tests.support.fault_proxy import FaultProxy, Faults


def test_price_change_reaches_the_next_sale_and_a_delete_removes_the_product(
        world: World) -> None:
    shop = world.a
    till, client, _e = shop.enrolled()
    sku, gone = shop.skus[0], shop.skus[1]
    assert till.product(sku).price == 1210  # net 10.00 + 21 %
    pid = shop.product_ids[sku]
    r = shop.call("PATCH", f"/api/v1/products/{pid}", json={"price": 20})
    assert r.status_code == 200, r.text
    assert shop.call("DELETE", f"/api/v1/products/{shop.product_ids[gone]}").status_code == 204
    cart = till.add_product(till.new_cart().id, sku, 1)
    assert cart.total == 1210  # not pulled yet: the till sells at the price it has
    till.cancel_cart(cart.id)
    client.pull_all()
    assert till.product(sku).price == 2420
    cart = till.add_product(till.new_cart().id, sku, 1)
    receipt = till.complete_sale(cart.id, [CashTender(cart.due)])
    assert receipt.total == 2420
    with pytest.raises(UnknownProduct):
        till.product(gone)
    assert not till.search(gone)
    # Another tenant's change never reaches this till.
    other = world.b.product_ids[world.b.skus[0]]
    world.b.call("PATCH", f"/api/v1/products/{other}", json={"price": 99})
    applied, _more = client.pull_once()
    assert applied.upserts == 0 and applied.deletes == 0


def test_store_prices_and_till_users_arrive_with_the_feed(world: World) -> None:
    shop = world.a
    till, client, _e = shop.enrolled(seller=False)
    sku = shop.skus[2]
    r = shop.call("PUT", f"/api/v1/stores/{shop.store_id}/prices",
                  json={"prices": [{"productId": str(shop.product_ids[sku]), "price": 5}]})
    assert r.status_code == 200, r.text
    r = shop.call("POST", "/api/v1/sync/till-users", json={
        "login": "maria", "name": "Maria", "role": "cashier", "pin": "4321",
        "storeId": str(shop.store_id)})
    assert r.status_code == 201, r.text
    user_id = r.json()["data"]["id"]
    assert "pin" not in r.text and "4321" not in r.text
    client.pull_all()
    assert till.product(sku).price == 605  # store price 5.00 net + 21 %
    assert till.login("maria", "4321").name == "Maria"
    till.logout()
    assert shop.call("DELETE", f"/api/v1/sync/till-users/{user_id}").status_code == 204
    client.pull_all()
    with pytest.raises((InvalidPin, AccountLocked)):
        till.login("maria", "4321")
    listed = shop.call("GET", "/api/v1/sync/till-users").json()["data"]
    assert listed == []


def test_a_cut_snapshot_keeps_nothing_and_the_next_one_completes(world: World) -> None:
    shop = world.a
    till, home = shop.new_till()
    from sync.client import enroll

    e = enroll(till, home, shop.live.url, shop.code())
    port = int(shop.live.url.rsplit(":", 1)[1])
    proxy = FaultProxy(port, seed=3, faults=Faults(truncate=1.0))
    proxy.start()
    try:
        cut = SyncClient(TillSyncPorts(till), e.__class__(**{**e.__dict__, "cloud_url": proxy.url}),
                         home=home)
        with pytest.raises(TransientSyncError):
            cut.bootstrap()
        cut.close()
    finally:
        proxy.stop()
    assert till.catalog_size() == 0 and till.catalog_cursor() is None
    seen: list[tuple[int, int]] = []
    with SyncClient(TillSyncPorts(till), e, home=home) as client:
        result = client.bootstrap(progress=lambda d, t: seen.append((d, t)))
    assert result.products == len(shop.skus) == till.catalog_size()
    assert till.catalog_cursor() is not None and seen[-1][0] == seen[-1][1]


def _change_price(live: Live, tenant_id: object, product_id: object, price: int,
                  session: Session) -> None:
    audit.set_context(session, audit.AuditContext(actor_type="system"))
    tenancy.scope(session, tenant_id)  # type: ignore[arg-type]
    products.update_product(session, tenant_id=tenant_id, product_id=product_id,  # type: ignore[arg-type]
                            data={"price": price}, actor=Actor(), now=datetime.now(UTC))


def _lock_waiters(live: Live) -> int:
    """Backends of this database waiting for a row lock (the feed head's)."""
    with live.app.state.runtime.engine.connect() as conn:
        return int(conn.execute(text(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE NOT l.granted AND a.datname = current_database()")).scalar_one())


@pytest.mark.pg
def test_two_interleaved_writers_are_pulled_in_commit_order_without_a_skip(
        world: World) -> None:
    """GIVEN writer 1 has appended its feed row (lower seq) but not committed, and writer 2
    started later; WHEN the till pulls in between, then writer 1 commits, then writer 2, and
    the till pulls again; THEN the first pull hands out no cursor past writer 1's row and the
    second pull delivers both changes."""
    shop = world.a
    if shop.live.dialect != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has one writer at a time")
    till, client, _e = shop.enrolled(seller=False)
    slow_sku, fast_sku = shop.skus[4], shop.skus[6]  # VAT group "standard" (21 %)
    start_cursor = till.catalog_cursor()
    before = (till.product(slow_sku).price, till.product(fast_sku).price)
    slow = shop.live.sessions()
    fast_done = threading.Event()
    errors: list[BaseException] = []

    def fast_writer() -> None:
        try:
            with shop.live.sessions() as fast:
                _change_price(shop.live, shop.tenant.id, shop.product_ids[fast_sku], 40, fast)
                fast.commit()
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            fast_done.set()

    writer = threading.Thread(target=fast_writer)
    try:
        _change_price(shop.live, shop.tenant.id, shop.product_ids[slow_sku], 30, slow)
        slow.flush()  # its feed row holds the lower seq; the tenant's head row stays locked
        writer.start()
        deadline = time.monotonic() + 30
        while _lock_waiters(shop.live) == 0:  # writer 2 now waits behind writer 1
            assert time.monotonic() < deadline and not fast_done.is_set(), errors
            time.sleep(0.02)
        client.pull_all()  # through the pull endpoint while both writers are open
        assert till.catalog_cursor() == start_cursor
        assert (till.product(slow_sku).price, till.product(fast_sku).price) == before
        slow.commit()
    finally:
        slow.close()
        writer.join(30)
    assert fast_done.is_set() and not errors, errors
    client.pull_all()
    assert till.product(slow_sku).price == 3630  # 30.00 + 21 %
    assert till.product(fast_sku).price == 4840  # 40.00 + 21 %
    with shop.live.sessions() as s:
        tenancy.scope(s, shop.tenant.id)
        assert till.catalog_cursor() == feed.head(s, tenant_id=shop.tenant.id).encode()
