"""A live cloud (uvicorn on 127.0.0.1) per backend, two tenants per test, and tills to enroll.

The database is migrated once per backend and run; each test seeds its own tenants (with real
admin users for the back-office API) and its own till homes, so tests stay independent.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cloud import audit
from cloud.app import create_app
from desktop.core import Role, Till, TillSettings
from desktop.sync_ports import TillSyncPorts
from shared.clock import SystemClock
from sync.client import SyncClient, enroll
from sync.state import Enrollment
from tests.support.cloud_api import NOW, Api, TenantData, make_settings, seed_tenant
from tests.support.db import MigratedDatabases
from tests.support.factories import add_store, till_at
from tests.support.world import Seeded, free_port, issue_code, seed_products


@pytest.fixture(scope="session")
def sync_db(migrated_dbs: MigratedDatabases) -> str:
    """This suite's database, migrated once per backend and run."""
    return migrated_dbs.url("sync")


@dataclass
class Live:
    app: FastAPI
    url: str
    api: Api
    db_url: str

    @property
    def sessions(self) -> Any:
        return self.app.state.runtime.sessions

    @property
    def dialect(self) -> str:
        return str(self.app.state.runtime.engine.dialect.name)


@pytest.fixture(scope="session")
def live(sync_db: str) -> Iterator[Live]:
    """The cloud app served on a free port (real clock: tokens and codes are checked live)."""
    app = create_app(make_settings(sync_db, rate_limit_enabled=False), clock=SystemClock())
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "cloud did not start"
        time.sleep(0.02)
    with TestClient(app) as client:
        yield Live(app, f"http://127.0.0.1:{port}", Api(client, None), sync_db)  # type: ignore[arg-type]
    server.should_exit = True
    thread.join(10)


@dataclass
class Shop:
    """One tenant: its admin, a store with a till, products, and helpers to enroll tills."""

    live: Live
    tenant: TenantData
    store_id: uuid.UUID
    till_id: uuid.UUID
    product_ids: dict[str, uuid.UUID]
    home_root: Path
    tills: list[Till] = field(default_factory=list)
    clients: list[SyncClient] = field(default_factory=list)

    @property
    def skus(self) -> list[str]:
        return sorted(self.product_ids)

    def call(self, method: str, path: str, **kw: Any) -> Any:
        return self.live.api.as_(self.tenant.admin, method, path, **kw)

    def code(self) -> str:
        seeded = Seeded(self.tenant.id, self.store_id, self.till_id)
        return issue_code(self.live.sessions, seeded, now=datetime.now(UTC))

    def new_till(self, name: str = "till") -> tuple[Till, Path]:
        home = self.home_root / f"{name}-{uuid.uuid4().hex[:6]}"
        till = till_at(home, settings=TillSettings())
        self.tills.append(till)
        return till, home

    def enrolled(self, name: str = "till", *, bootstrap: bool = True,
                 seller: bool = True) -> tuple[Till, SyncClient, Enrollment]:
        till, home = self.new_till(name)
        enrollment = enroll(till, home, self.live.url, self.code())
        client = SyncClient(TillSyncPorts(till), enrollment, home=home)
        self.clients.append(client)
        if bootstrap:
            client.bootstrap()
        if seller:
            till.create_user("boss", "Boss", Role.STORE_MANAGER, "1357")
            till.login("boss", "1357")
            till.open_shift(100_000)
        return till, client, enrollment


def _shop(live: Live, name: str, root: Path, products: int = 12) -> Shop:
    tenant = seed_tenant(live.sessions, name, NOW)
    now = datetime.now(UTC)
    with live.sessions() as s:
        audit.set_context(s, audit.AuditContext(actor_type="system"))
        store_id, till_id = add_store(s, tenant.id, now=now, name=f"{name} store")
        ids = seed_products(s, tenant.id, products, now=now, prefix=f"{name[:1]}SKU")
        s.commit()
    return Shop(live, tenant, store_id, till_id, ids, root)


@dataclass
class World:
    live: Live
    a: Shop
    b: Shop


def make_world(live: Live, root: Path) -> Iterator[World]:
    a = _shop(live, "Alpha", root / "a")
    b = _shop(live, "Bravo", root / "b")
    yield World(live, a, b)
    for shop in (a, b):
        for client in shop.clients:
            client.close()
        for till in shop.tills:
            till.close()


@pytest.fixture
def world(live: Live, tmp_path: Path) -> Iterator[World]:
    yield from make_world(live, tmp_path)
