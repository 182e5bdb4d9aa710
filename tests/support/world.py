"""The sync test world, for tests and the sync benchmarks: a seeded cloud tenant, a till's day
pushed to the cloud, and the cloud as a process.

:func:`seed_tenant` makes a tenant with one store, one till and ``products`` products (written
set-wise, as an import does, each with a barcode and a change-feed entry); :func:`issue_code`
gives an enrollment code for that till; :class:`CloudProcess` runs ``tillbridge-cloud serve``
on 127.0.0.1 so a test can kill and restart it.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from cryptography.fernet import Fernet
from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from cloud import audit, tenancy
from cloud.models.catalog import Product, ProductBarcode
from cloud.services import feed
from cloud.services.catalog import records
from cloud.services.catalog.validation import barcode_kind
from cloud.services.identity import tenants
from cloud.services.sync import devices, enrollment, push, till_users
from desktop.core import CashTender, ProductRecord, ReturnItem, Role
from desktop.core.demo_catalog import ean13
from shared.clock import ManualClock
from shared.ids import uuid7
from sync.protocol import EnrollRequest, Event, PushRequest
from tests.support.factories import add_store, scratch_till

__all__ = ["CloudProcess", "Seeded", "free_port", "issue_code", "seed_products",
           "seed_synced", "seed_tenant"]

_SYSTEM = audit.AuditContext(actor_type="system", actor_email="sync-testing")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Seeded:
    tenant_id: uuid.UUID
    store_id: uuid.UUID
    till_id: uuid.UUID
    skus: list[str] = field(default_factory=list)
    product_ids: dict[str, uuid.UUID] = field(default_factory=dict)


def seed_products(session: Session, tenant_id: uuid.UUID, count: int, *, now: datetime,
                  start: int = 0, price: int = 1000, prefix: str = "SKU") -> dict[str, uuid.UUID]:
    """``count`` products with one EAN-13 each, plus their feed entries (one statement each)."""
    rows, codes, entries = [], [], []
    ids: dict[str, uuid.UUID] = {}
    for i in range(start, start + count):
        pid, sku = uuid7(), f"{prefix}-{i:06d}"
        values = {**records.defaults("RON"), "sku": sku, "name": f"Product {i}",
                  "category": f"Category {i % 20}", "price": price + (i % 500),
                  "vat_group": ("standard", "reduced")[i % 2], "unit": "buc"}
        rows.append({"id": pid, "tenant_id": tenant_id, **values, "search_text": sku,
                     "created_at": now, "updated_at": now, "min_stock": Decimal(0),
                     "reorder_point": Decimal(0)})
        code = ean13("594", 10_000_000 + i)
        codes.append({"id": uuid7(), "tenant_id": tenant_id, "product_id": pid, "code": code,
                      "kind": barcode_kind(code)})
        entries.append(("product", pid, "upsert", records.feed_payload(pid, values, [code])))
        ids[sku] = pid
    if rows:
        session.execute(insert(Product.__table__), rows)
        session.execute(insert(ProductBarcode.__table__), codes)
        feed.append_many(session, tenant_id=tenant_id, entries=entries, at=now)
    return ids


def seed_tenant(sessions: sessionmaker[Session], *, now: datetime, products: int = 50,
                name: str | None = None, country: str = "RO") -> Seeded:
    """A tenant with store ``S1``, till ``T1`` and ``products`` products."""
    with sessions() as s:
        audit.set_context(s, _SYSTEM)
        tenant = tenants.create_tenant(session=s, name=name or f"Shop {uuid.uuid4().hex[:8]}")
        store_id, till_id = add_store(s, tenant.id, now=now, country=country)
        ids = seed_products(s, tenant.id, products, now=now)
        s.commit()
        return Seeded(tenant.id, store_id, till_id, sorted(ids), ids)


def issue_code(sessions: sessionmaker[Session], seeded: Seeded, *, now: datetime) -> str:
    with sessions() as s:
        audit.set_context(s, _SYSTEM)
        tenancy.scope(s, seeded.tenant_id)
        _row, code = enrollment.create_code(s, tenant_id=seeded.tenant_id,
                                            store_id=seeded.store_id, till_id=seeded.till_id,
                                            created_by="sync-testing", now=now)
        s.commit()
        return code


def seed_synced(sessions: sessionmaker[Session], *, tenant_id: uuid.UUID,
                store_id: uuid.UUID, till_id: uuid.UUID, now: datetime,
                home: Path) -> dict[str, Any]:
    """Enroll a device for the till and push a scratch till's day through :func:`push`:
    a sale, a return, a cash deposit, a closed shift; plus one till user. Returns their ids."""
    till = scratch_till(home / "seed-till.sqlite3", clock=ManualClock(now))
    try:
        till.import_catalog([ProductRecord("SYNC-SEED", "Seed product", 1000, "standard")])
        till.create_user("seed", "Seed", Role.STORE_MANAGER, "2468")
        till.login("seed", "2468")
        shift = till.open_shift(10_000)
        cart = till.add_product(till.new_cart().id, "SYNC-SEED", 2)
        sale = till.complete_sale(cart.id, [CashTender(cart.due)])
        ret = till.complete_return(sale.number, [ReturnItem(1, 1)])
        till.cash_in(100, "change")
        till.close_shift(till.drawer_balance())
        events = till.outbox_after(0, 1000)
    finally:
        till.close()
    code = issue_code(sessions, Seeded(tenant_id, store_id, till_id), now=now)
    with sessions() as s:
        audit.set_context(s, _SYSTEM)
        done = enrollment.exchange(s, EnrollRequest(code=code, device_uid=str(uuid7())), now)
        request = PushRequest(device_id=done.device.id, batch_id=uuid7(), events=[
            Event(event_id=e.event_id, seq=e.seq, type=e.type, aggregate_id=e.aggregate_id,
                  created_at=e.created_at, payload=e.payload) for e in events])
        push.push(s, devices.origin_of(s, done.device), request, now)
        user = till_users.create_user(s, tenant_id=tenant_id, login=f"u{uuid7().hex[:12]}",
                                      name="Seed cashier", role="cashier", pin="4321",
                                      store_id=store_id, now=now)
        s.commit()
        return {"sale_id": sale.id, "return_id": ret.id, "shift_id": shift.id,
                "device_id": done.device.id, "till_user_id": user.id}


class CloudProcess:
    """``tillbridge-cloud serve`` as a child process on 127.0.0.1 (already migrated DB)."""

    def __init__(self, database_url: str, home: Path, *, port: int | None = None,
                 extra_env: dict[str, str] | None = None) -> None:
        self.port = port or free_port()
        self.home = home
        self.env = {**os.environ, "DATABASE_URL": database_url, "TILLBRIDGE_HOME": str(home),
                    "JWT_SECRET": secrets.token_urlsafe(40), "TILLBRIDGE_ENV": "production",
                    "ENCRYPTION_KEY": Fernet.generate_key().decode(),
                    "RATE_LIMIT_ENABLED": "false", **(extra_env or {})}
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.home / f"cloud-{self.starts}.log", "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "cloud.cli", "serve", "--host", "127.0.0.1", "--port",
                 str(self.port), "--no-migrate", "--no-demo"],
                env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.starts += 1
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"cloud exited with {self.proc.returncode}")
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("cloud did not become healthy")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(30)
        self.proc = None

    def restart(self, *, sig: int = signal.SIGKILL) -> None:
        self.kill(sig)
        self.start()

    def __enter__(self) -> CloudProcess:
        self.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self.kill(signal.SIGTERM)
