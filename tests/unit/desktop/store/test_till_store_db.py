"""The store's SQLite setup: WAL, durability per transaction, migrations, readers, errors."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from desktop.store import SchemaTooNew, SqliteStorage, StoreBusy, StoreError
from desktop.store.db import Database, fts_folds_natively
from desktop.store.schema import SCHEMA_VERSION


def test_new_store_is_wal_with_current_schema(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.sqlite3")
    conn = db.reader()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.schema_version == SCHEMA_VERSION
    assert conn.execute("SELECT value FROM meta WHERE key = 'fts_fold'").fetchone()[0] in (
        "native", "python")
    db.close()
    again = Database(tmp_path / "s.sqlite3")  # reopening does not migrate twice
    assert again.schema_version == SCHEMA_VERSION
    again.close()


def test_this_sqlite_folds_cyrillic_and_strips_diacritics() -> None:
    # Verified, not assumed: the store falls back to folding in Python when this fails.
    assert fts_folds_natively()


def test_durable_and_cart_commits_switch_synchronous(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.sqlite3")
    with db.write(durable=False) as conn:
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    with db.write(durable=True) as conn:
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    db.close()


def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.sqlite3")
    with pytest.raises(RuntimeError), db.write() as conn:
        conn.execute("INSERT INTO meta VALUES ('x', '1')")
        raise RuntimeError("boom")
    assert db.reader().execute("SELECT count(*) FROM meta WHERE key = 'x'").fetchone()[0] == 0
    with pytest.raises(StoreError), db.write() as conn:
        conn.execute("INSERT INTO nope VALUES (1)")
    db.close()


def test_readers_in_other_threads_see_commits(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.sqlite3")
    with db.write() as conn:
        conn.execute("INSERT INTO meta VALUES ('k', 'v')")
    seen: list[str] = []
    t = threading.Thread(target=lambda: seen.append(
        db.reader().execute("SELECT value FROM meta WHERE key = 'k'").fetchone()[0]))
    t.start()
    t.join()
    assert seen == ["v"] and db.reader() is db.reader()
    db.close()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    Database(path).close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(SchemaTooNew):
        Database(path)


def test_a_store_locked_by_another_process_reports_busy(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    storage = SqliteStorage(path)
    storage.db._writer.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreBusy), storage.transaction(durable=True) as tx:
            tx.save_settings({})
    finally:
        other.execute("ROLLBACK")
        other.close()
        storage.close()


def test_garbage_file_is_reported_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError) as exc:
        Database(path)
    assert exc.value.code == "SYS_DATABASE_ERROR"
