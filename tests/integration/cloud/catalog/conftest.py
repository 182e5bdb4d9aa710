"""A cloud migrated once per backend (SQLite, PostgreSQL) and two fresh tenants per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from _catalog_env import CatalogWorld, make_world

from tests.support.db import MigratedDatabases


@pytest.fixture(scope="session")
def catalog_db(migrated_dbs: MigratedDatabases) -> str:
    """This suite's database, migrated once per backend and run."""
    return migrated_dbs.url("catalog")


@pytest.fixture
def cw(catalog_db: str) -> Iterator[CatalogWorld]:
    yield from make_world(catalog_db)
