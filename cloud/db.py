"""Engine and sessions, and the one dialect switch for ``INSERT … ON CONFLICT``.

SQLite gets WAL and foreign keys; PostgreSQL is used as configured. Both speak
``ON CONFLICT DO NOTHING | DO UPDATE … WHERE``, but SQLAlchemy builds it from each dialect's own
``insert``: :func:`insert_on_conflict` picks it from the session's bind, so services never
switch on the dialect themselves.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from sqlalchemy import ColumnElement, Engine, FromClause, TableClause, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.dml import Insert

from cloud import audit  # noqa: F401  (registers the audit flush hook)
from cloud.tenancy import TenantSession

__all__ = ["check_database", "insert_on_conflict", "make_engine", "session_factory"]


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
    return sessionmaker(engine, class_=TenantSession, expire_on_commit=False)


def check_database(engine: Engine) -> dict[str, Any]:
    """Round-trip a query; used by health checks."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return {"status": "ok", "dialect": engine.dialect.name}


def iter_session(factory: sessionmaker[Session]) -> Iterator[Session]:
    with factory() as session:
        yield session


def insert_on_conflict(session: Session, table: FromClause, values: Mapping[str, Any] | None = None,
                       *, index_elements: Sequence[Any] | None = None,
                       set_: Mapping[str, Any] | None = None,
                       where: ColumnElement[bool] | None = None) -> Insert:
    """``INSERT … ON CONFLICT`` for the session's dialect (PostgreSQL or SQLite).

    Without ``set_`` a conflicting row is left alone (``DO NOTHING``); with ``set_`` it is
    updated (``DO UPDATE SET``), and only where ``where`` holds when given. ``index_elements``
    names the unique index that decides the conflict (any unique constraint when omitted, for
    ``DO NOTHING`` only). ``values`` may be left out to execute the statement with a list of
    parameter rows. The caller may add ``.returning(…)``.
    """
    if where is not None and set_ is None:
        raise ValueError("where= applies to DO UPDATE only; pass set_ as well")
    dialect = session.get_bind().dialect.name
    target = cast(TableClause, table)  # a mapped class's __table__ is typed as a FromClause
    ins: Any = postgresql.insert(target) if dialect == "postgresql" else sqlite.insert(target)
    if values is not None:
        ins = ins.values(values)
    if set_ is None:
        return cast(Insert, ins.on_conflict_do_nothing(index_elements=index_elements))
    return cast(Insert, ins.on_conflict_do_update(index_elements=index_elements, set_=set_,
                                                  where=where))
