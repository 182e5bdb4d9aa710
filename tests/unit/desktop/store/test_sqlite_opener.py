"""The one SQLite opener and ``user_version`` migrator shared by the store, the fiscal journal
and the print queue: pragmas applied, steps applied once each in order, a failed step leaves the
file at the last finished one, and a store migrated by the scripts' old runner looks the same."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop.core.search_rank import name_key
from desktop.store.schema import MIGRATIONS, NAME_KEY_FUNCTION, SCHEMA_VERSION
from desktop.store.sqlite import Pragmas, connect, migrate, user_version

_STEPS = (
    (1, ("CREATE TABLE a (x INTEGER)",)),
    (2, """
        CREATE TABLE b (y TEXT); -- a comment; with a semicolon
        INSERT INTO b VALUES ('semi;colon');
        CREATE TRIGGER b_keep BEFORE DELETE ON b BEGIN
            SELECT RAISE(ABORT, 'kept; always');
        END;
    """),
)


def test_connect_applies_the_pragmas(tmp_path: Path) -> None:
    conn = connect(tmp_path / "f.sqlite3", Pragmas(busy_timeout=2.5, synchronous="NORMAL",
                                                   foreign_keys=True,
                                                   extra=("PRAGMA cache_size=-1000",)))
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 2500
    assert conn.execute("PRAGMA cache_size").fetchone()[0] == -1000
    assert conn.isolation_level is None
    conn.close()


def test_none_leaves_sqlite_defaults(tmp_path: Path) -> None:
    conn = connect(tmp_path / "f.sqlite3", Pragmas(busy_timeout=1, journal_mode=None,
                                                   synchronous=None))
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 0
    conn.close()


def test_steps_run_once_in_order(tmp_path: Path) -> None:
    conn = connect(tmp_path / "f.sqlite3", Pragmas(busy_timeout=1))
    assert migrate(conn, _STEPS[:1]) == 0
    assert migrate(conn, _STEPS) == 1
    assert migrate(conn, _STEPS) == 2
    assert user_version(conn) == 2
    assert conn.execute("SELECT y FROM b").fetchall() == [("semi;colon",)]
    with pytest.raises(sqlite3.IntegrityError, match="kept; always"):
        conn.execute("DELETE FROM b")
    conn.close()


def test_a_failing_step_leaves_the_last_finished_one(tmp_path: Path) -> None:
    conn = connect(tmp_path / "f.sqlite3", Pragmas(busy_timeout=1))
    broken = (*_STEPS, (3, ("CREATE TABLE c (z)", "CREATE TABLE a (x)")))
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, broken)
    assert user_version(conn) == 2 and not conn.in_transaction
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'c'").fetchall() == []
    conn.close()


class _Racing(sqlite3.Connection):
    """Runs ``before_begin`` just before its first ``BEGIN IMMEDIATE``."""

    before_begin: Callable[[], None] | None = None

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql == "BEGIN IMMEDIATE" and self.before_begin is not None:
            hook, self.before_begin = self.before_begin, None
            hook()
        return super().execute(sql, *args)


def test_a_step_done_by_another_connection_meanwhile_is_skipped(tmp_path: Path) -> None:
    """GIVEN two connections opening a new file at once WHEN the other one migrates between
    this one's version read and its transaction THEN this one skips the done steps."""
    path = tmp_path / "f.sqlite3"
    other = connect(path, Pragmas(busy_timeout=1))
    racing = sqlite3.connect(path, isolation_level=None, factory=_Racing)
    racing.before_begin = lambda: migrate(other, _STEPS) and None
    assert migrate(racing, _STEPS) == 0
    assert user_version(racing) == 2
    assert racing.execute("SELECT count(*) FROM b").fetchone()[0] == 1
    other.close()
    racing.close()


def test_a_newer_file_is_left_alone(tmp_path: Path) -> None:
    conn = connect(tmp_path / "f.sqlite3", Pragmas(busy_timeout=1))
    conn.execute("PRAGMA user_version=9")
    assert migrate(conn, _STEPS) == 9
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    conn.close()


def test_the_store_schema_matches_the_old_script_runner(tmp_path: Path) -> None:
    """A store created before the shared migrator (each script through ``executescript``)
    and one created now have the same tables, indexes, triggers and rows."""
    old = sqlite3.connect(tmp_path / "old.sqlite3", isolation_level=None)
    new = connect(tmp_path / "new.sqlite3", Pragmas(busy_timeout=1))
    for conn in (old, new):
        conn.create_function(NAME_KEY_FUNCTION, 1, name_key, deterministic=True)
    for target, script in MIGRATIONS:
        old.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version={target};\nCOMMIT;")
    migrate(new, MIGRATIONS)
    query = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    assert old.execute(query).fetchall() == new.execute(query).fetchall()
    assert user_version(old) == user_version(new) == SCHEMA_VERSION
    old.close()
    new.close()
