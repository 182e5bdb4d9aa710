"""A cloud migrated once per backend (SQLite, PostgreSQL) and two fresh tenants per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from _catalog_env import CatalogWorld, make_world

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


@pytest.fixture
def cw(catalog_db: str) -> Iterator[CatalogWorld]:
    yield from make_world(catalog_db)
