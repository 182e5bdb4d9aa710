"""A cloud migrated once per backend (SQLite, PostgreSQL) and two fresh tenants per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from _catalog_env import NOW, Api, CatalogWorld
from fastapi.testclient import TestClient

from cloud.app import create_app
from cloud.clock import ManualClock
from cloud.migrate import upgrade


@pytest.fixture(scope="session", params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def catalog_db(request: pytest.FixtureRequest,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('catalog')) / 'cloud.sqlite3'}"
        upgrade(url)
        yield url
        return
    import psycopg

    server = request.getfixturevalue("pg_server_url")
    plain = server.replace("postgresql+psycopg://", "postgresql://")
    schema = f"c_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{server}?options=-csearch_path%3D{schema}"
    upgrade(url)
    try:
        yield url
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def make_world(url: str, **settings: object) -> Iterator[CatalogWorld]:
    from _platform_env import make_settings, seed_tenant

    clock = ManualClock(NOW)
    app = create_app(make_settings(url, **settings), clock=clock)
    sessions = app.state.runtime.sessions
    a = seed_tenant(sessions, "Shop A", NOW)
    b = seed_tenant(sessions, "Shop B", NOW)
    with TestClient(app) as client:
        yield CatalogWorld(app, Api(client, clock), a, b, url, sessions)


@pytest.fixture
def cw(catalog_db: str) -> Iterator[CatalogWorld]:
    yield from make_world(catalog_db)
