"""Cloud databases for tests: fresh PostgreSQL schemas, and databases migrated once per run.

Migrating is the slow part of a cloud test (every family's revisions), so a suite migrates its
database once per backend and run, and keeps its tests apart the way production keeps tenants
apart: each test seeds tenants of its own. :class:`MigratedDatabases` holds one such database
per suite name, so suites never see each other's rows (a worker draining "every queue" only
finds its own suite's jobs)::

    migrated_dbs (fixture, per backend: sqlite, pg)  ->  MigratedDatabases
        .url("platform")   migrated on first use, the same URL afterwards
        .url("catalog")    another database (SQLite file / PostgreSQL schema)

On PostgreSQL every database is a schema of the run's database (``pg_server_url``), made the
connection's ``search_path``; schemas are dropped at the end.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import psycopg

from cloud.migrate import upgrade

__all__ = ["MigratedDatabases", "pg_schema"]


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextmanager
def pg_schema(server_url: str, prefix: str = "t") -> Iterator[str]:
    """A new, empty schema on ``server_url`` made the search_path (dropped afterwards); yields
    its SQLAlchemy URL."""
    plain = _plain(server_url)
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield (plain.replace("postgresql://", "postgresql+psycopg://", 1)
               + f"?options=-csearch_path%3D{schema}")
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


class MigratedDatabases:
    """Cloud databases migrated to head, one per suite name, on one backend."""

    def __init__(self, backend: str, root: Path, pg_server_url: str | None = None) -> None:
        if backend == "pg" and pg_server_url is None:
            raise ValueError("the pg backend needs the run's PostgreSQL URL")
        self.backend = backend
        self._root = root
        self._server = pg_server_url
        self._urls: dict[str, str] = {}
        self._schemas = ExitStack()

    def url(self, name: str) -> str:
        """The database for ``name``, migrated the first time it is asked for."""
        if name not in self._urls:
            if self._server is None:
                url = f"sqlite:///{self._root / f'{name}.sqlite3'}"
            else:
                url = self._schemas.enter_context(pg_schema(self._server, name[:1]))
            upgrade(url)
            self._urls[name] = url
        return self._urls[name]

    def close(self) -> None:
        self._schemas.close()
