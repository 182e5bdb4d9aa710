"""Catalog bulk load (products/s) vs raw ``executemany`` of the same rows into the same tables.

Ours: ``Till.import_catalog(replace=True)`` — validation, search text, products and barcodes,
then the SKU/PLU indexes and the FTS5 index built once. Baseline: the same product and barcode
tuples ``executemany``-ed in one transaction into a fresh store with the same schema and
pragmas (indexes maintained row by row, no search index).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench._harness import timed
from bench.till_common import quiet_logs
from desktop.core.catalog import search_alt_text
from desktop.core.demo_catalog import generate_products
from desktop.core.settings import TillSettings
from desktop.core.till import Till
from desktop.core.users import PinHasher
from desktop.store import SqliteStorage
from shared.clock import ManualClock


def _raw_load(path: Path, records: list) -> None:  # type: ignore[type-arg]
    storage = SqliteStorage(path)
    storage.close()
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO products (id, sku, name, alt, names, unit, price, vat_group, excise, code, "
        "age_restricted, active, category, plu) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(i, r.sku, r.name, search_alt_text(r.name, r.names), None, r.unit.value, r.price,
          r.vat_group, int(r.excise), r.code, int(r.age_restricted), 1, r.category, r.plu)
         for i, r in enumerate(records, start=1)])
    conn.executemany("INSERT INTO barcodes (code, product_id) VALUES (?, ?)",
                     [(c, i) for i, r in enumerate(records, start=1) for c in r.barcodes])
    conn.execute("COMMIT")
    conn.close()


def run(size: int) -> tuple[dict[str, object], dict[str, float]]:
    quiet_logs()
    records = list(generate_products(size))
    rounds = 2 if size <= 300_000 else 1  # alternate ours/raw and keep the best of each
    t_ours = t_raw = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(rounds):
            root = Path(tmp) / str(i)
            till = Till(SqliteStorage(root / "ours.sqlite3"), TillSettings(),
                        clock=ManualClock(), pins=PinHasher(fast=True))
            t0 = time.perf_counter()
            till.import_catalog(records, replace=True)
            t_ours = min(t_ours, time.perf_counter() - t0)
            assert till.catalog_size() == size
            till.close()
            t_raw = min(t_raw, timed(lambda root=root: _raw_load(root / "raw.sqlite3",
                                                                  records)))
            db_mb = (root / "ours.sqlite3").stat().st_size / 1e6
    return (
        {"products": size, "barcodes_per_product": 1.1, "fts": "unicode61 remove_diacritics 2",
         "rounds": rounds},
        {
            "load_s": t_ours,
            "products_per_s": size / t_ours,
            "raw_products_per_s": size / t_raw,
            "ratio_load_vs_raw": t_ours / t_raw,
            "store_mb": db_mb,
        },
    )
