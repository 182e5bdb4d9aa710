"""Schema v2: a store made by an older till gets its name keys when it is opened, so search
ranks its existing catalog without a reload."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.core import PinHasher, Till, TillSettings
from desktop.store import SqliteStorage
from desktop.store.schema import MIGRATIONS, SCHEMA_VERSION
from shared.clock import ManualClock


def _v1_store(path: Path) -> None:
    """What a v1 till leaves behind: products and their search index, no name keys."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(f"BEGIN;\n{MIGRATIONS[0][1]}\nPRAGMA user_version=1;\nCOMMIT;")
    conn.execute("INSERT INTO meta VALUES ('fts_fold', 'native')")
    conn.executemany(
        "INSERT INTO products (id, sku, name, unit, price, vat_group, active) "
        "VALUES (?, ?, ?, 'pcs', 100, 'standard', ?)",
        [(1, "CHOC", "Ciocolată cu lapte", 1), (2, "OLD", "Lapte vechi", 0),
         (3, "GOAT", "Lapte de capră", 1), (4, "MILK", "LAPTE 1,5%", 1)])
    conn.execute("INSERT INTO products_fts(products_fts) VALUES ('rebuild')")
    conn.close()


def test_opening_a_v1_store_fills_the_name_keys(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite3"
    _v1_store(path)
    till = Till(SqliteStorage(path), TillSettings.for_country("RO"), clock=ManualClock(),
                pins=PinHasher(fast=True))
    assert [p.sku for p in till.search("lapte")] == ["MILK", "GOAT", "CHOC"]
    assert till.doctor().ok
    till.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    assert conn.execute("SELECT name_key FROM products ORDER BY id").fetchall() == [
        ("ciocolata cu lapte",), ("lapte vechi",), ("lapte de capra",), ("lapte 1 5",)]
    conn.close()


def test_doctor_reports_products_without_a_name_key(tmp_path: Path) -> None:
    path = tmp_path / "keys.sqlite3"
    _v1_store(path)
    storage = SqliteStorage(path)
    assert storage.doctor().ok
    conn = sqlite3.connect(path)
    conn.execute("UPDATE products SET name_key = NULL WHERE sku = 'GOAT'")  # an outside tool
    conn.commit()
    conn.close()
    failed = [c for c in storage.doctor().checks if not c.ok]
    assert [(c.name, c.detail) for c in failed] == [
        ("search_keys", "1 products rank last in search; reload the catalog")]
    storage.close()
