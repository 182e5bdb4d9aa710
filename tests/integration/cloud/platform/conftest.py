"""A cloud on SQLite and PostgreSQL, migrated once per backend, with two fresh tenants per test.

Migrating is the slow part (every family's revisions), so each backend's database is migrated
once per run; tests stay independent because every test seeds its own tenants, and tenant
isolation is exactly what keeps them apart.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from _platform_env import NOW, Api, TenantData, make_settings, seed_tenant
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cloud.app import create_app
from cloud.migrate import upgrade
from shared.clock import ManualClock


@dataclass
class World:
    app: FastAPI
    api: Api
    clock: ManualClock
    a: TenantData
    b: TenantData
    url: str


@pytest.fixture(scope="session", params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def platform_db(request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database for the whole run, per backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('platform')) / 'cloud.sqlite3'}"
        upgrade(url)
        yield url
        return
    import psycopg

    server = request.getfixturevalue("pg_server_url")
    plain = server.replace("postgresql+psycopg://", "postgresql://")
    schema = f"p_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{server}?options=-csearch_path%3D{schema}"
    upgrade(url)
    try:
        yield url
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


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
