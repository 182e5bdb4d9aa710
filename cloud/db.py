"""Engine and sessions. SQLite gets WAL and foreign keys; PostgreSQL is used as configured."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["check_database", "make_engine", "session_factory"]


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; for a SQLite file, make its folder first."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, **kwargs)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that enforce tenant isolation and write the audit trail (see ``cloud.tenancy``
    and ``cloud.audit``); unscoped until :func:`cloud.tenancy.scope` binds a tenant."""
    from cloud import audit  # noqa: F401  (registers the audit flush hook)
    from cloud.tenancy import TenantSession

    return sessionmaker(engine, class_=TenantSession, expire_on_commit=False)


def check_database(engine: Engine) -> dict[str, Any]:
    """Round-trip a query; used by health checks."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return {"status": "ok", "dialect": engine.dialect.name}


def iter_session(factory: sessionmaker[Session]) -> Iterator[Session]:
    with factory() as session:
        yield session
