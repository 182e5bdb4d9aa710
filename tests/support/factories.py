"""Factories for the things most tests start from: a till, and a cloud store with its till.

* :func:`scratch_till`: a till on its own SQLite file (no home, no token, no devices): the
  quickest way to produce real outbox events or to test the core.
* :func:`till_at`: the till a process opens for ``home``, as the window, the headless till and
  the CLI build it (``desktop.app.build_till``), so enrollment files and the API token sit
  where they expect.
* :func:`add_store`: a store (``S1`` by default) with one till (``T1``) in a cloud tenant.

PINs are hashed with the fast test parameters (:data:`FAST_PINS`): argon2's production cost
would make every test that creates users slow for nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from cloud import tenancy
from cloud.services.catalog import stores
from desktop.app import build_till
from desktop.config import TillConfig
from desktop.core import PinHasher, Till, TillSettings
from desktop.store import SqliteStorage
from shared.clock import Clock

__all__ = ["FAST_PINS", "add_store", "scratch_till", "till_at"]

FAST_PINS = PinHasher(fast=True)

def scratch_till(path: Path, *, settings: TillSettings | None = None,
                 clock: Clock | None = None) -> Till:
    """A till on the SQLite file ``path`` (created on first use); close it with ``close()``."""
    return Till(SqliteStorage(path), settings or TillSettings(), clock=clock, pins=FAST_PINS)


def till_at(home: Path, *, settings: TillSettings | None = None,
            clock: Clock | None = None) -> Till:
    """The till of the data dir ``home``; ``settings`` replaces the stored ones when given."""
    return build_till(TillConfig(home=home), settings=settings, clock=clock, pins=FAST_PINS)


def add_store(session: Session, tenant_id: uuid.UUID, *, now: datetime, code: str = "S1",
              name: str = "Main street", country: str = "RO",
              till_code: str = "T1") -> tuple[uuid.UUID, uuid.UUID]:
    """A store with one till in ``tenant_id`` (the session is scoped to it); returns both ids.

    The caller commits, so the store can join whatever else the test writes.
    """
    tenancy.scope(session, tenant_id)
    store = stores.save_store(session, tenant_id=tenant_id, now=now, data={
        "code": code, "name": name, "country": country,
        "timezone": "Europe/Bucharest" if country == "RO" else "Europe/Kyiv"})
    till = stores.save_till(session, tenant_id=tenant_id, store_id=store.id, now=now,
                            data={"code": till_code, "name": "Till 1"})
    return store.id, till.id
