"""A cloud on SQLite and PostgreSQL, migrated once per backend, with two fresh tenants per test.

Migrating is the slow part (every family's revisions), so each backend's database is migrated
once per run; tests stay independent because every test seeds its own tenants, and tenant
isolation is exactly what keeps them apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cloud.app import create_app
from shared.clock import ManualClock
from tests.support.cloud_api import NOW, Api, TenantData, make_settings, seed_tenant
from tests.support.db import MigratedDatabases


@dataclass
class World:
    app: FastAPI
    api: Api
    clock: ManualClock
    a: TenantData
    b: TenantData
    url: str


@pytest.fixture(scope="session")
def platform_db(migrated_dbs: MigratedDatabases) -> str:
    """This suite's database, migrated once per backend and run."""
    return migrated_dbs.url("platform")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


def make_world(url: str, clock: ManualClock, **settings: object) -> Iterator[World]:
    app = create_app(make_settings(url, **settings), clock=clock)
    sessions = app.state.runtime.sessions
    a = seed_tenant(sessions, "Shop A", NOW)
    b = seed_tenant(sessions, "Shop B", NOW)
    with TestClient(app) as client:
        yield World(app, Api(client, clock), clock, a, b, url)


@pytest.fixture
def world(platform_db: str, clock: ManualClock) -> Iterator[World]:
    yield from make_world(platform_db, clock)
