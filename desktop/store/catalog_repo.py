"""Catalog repository: barcode/SKU/PLU lookups, FTS5 search, bulk load and sync upserts.

Search indexes ``name`` and ``alt`` (translations, apostrophe-free spellings) in an
external-content FTS5 table with ``unicode61 remove_diacritics 2``. The FTS rows are maintained
here explicitly (no triggers): a bulk load fills ``products`` and rebuilds the index once,
incremental upserts delete the old FTS entry and insert the new one. ``name_key`` (the folded
name, indexed) is written with every product so search can rank names starting with the query.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from desktop.core.catalog import (
    Category,
    ImportResult,
    Product,
    ProductRecord,
    search_alt_text,
)
from desktop.core.errors import InvalidCatalogData
from desktop.core.quantity import Unit
from desktop.core.search_rank import name_key, prefix_bounds
from desktop.store.schema import SECONDARY_INDEXES

__all__ = [
    "PRODUCT_COLUMNS",
    "apply_changes",
    "barcodes_of",
    "bulk_load",
    "bulk_upsert",
    "catalog_count",
    "categories",
    "find_by_barcode",
    "find_by_plu",
    "product_by_sku",
    "row_to_product",
    "search",
    "search_candidates",
]

PRODUCT_COLUMNS = ("p.id, p.sku, p.name, p.names, p.unit, p.price, p.vat_group, p.excise, "
                   "p.code, p.age_restricted, p.active, p.category, p.plu")

_INSERT = ("INSERT INTO products (id, sku, name, alt, names, unit, price, vat_group, excise, "
           "code, age_restricted, active, category, plu, name_key) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_UPDATE = ("UPDATE products SET name = ?, alt = ?, names = ?, unit = ?, price = ?, vat_group = ?, "
           "excise = ?, code = ?, age_restricted = ?, active = ?, category = ?, plu = ?, "
           "name_key = ? WHERE id = ?")
_BARCODE = ("INSERT INTO barcodes (code, product_id) VALUES (?, ?) "
            "ON CONFLICT(code) DO UPDATE SET product_id = excluded.product_id")
_UNITS = {u.value: u for u in Unit}
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def row_to_product(row: tuple) -> Product:  # type: ignore[type-arg]
    return Product(row[0], row[1], row[2], _UNITS[row[4]], row[5], row[6], bool(row[7]),
                   row[8], bool(row[9]), bool(row[10]), row[11], row[12],
                   json.loads(row[3]) if row[3] else {})


def find_by_barcode(conn: sqlite3.Connection, code: str) -> Product | None:
    row = conn.execute(f"SELECT {PRODUCT_COLUMNS} FROM barcodes b JOIN products p "
                       "ON p.id = b.product_id WHERE b.code = ?", (code,)).fetchone()
    return row_to_product(row) if row else None


def find_by_plu(conn: sqlite3.Connection, plu: str) -> Product | None:
    row = conn.execute(f"SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.plu = ? "
                       "ORDER BY p.active DESC, p.id LIMIT 1", (plu,)).fetchone()
    return row_to_product(row) if row else None


def product_by_sku(conn: sqlite3.Connection, sku: str) -> Product | None:
    row = conn.execute(f"SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.sku = ?",
                       (sku,)).fetchone()
    return row_to_product(row) if row else None


def barcodes_of(conn: sqlite3.Connection, product_id: int) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT code FROM barcodes WHERE product_id = ? ORDER BY code", (product_id,))]


def catalog_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM products").fetchone()[0])


def categories(conn: sqlite3.Connection) -> list[Category]:
    return [Category(*r) for r in conn.execute(
        "SELECT code, name, parent FROM categories ORDER BY code")]


def _fts_query(terms: Sequence[str]) -> str | None:
    """``["lap", "zu"]`` → ``"lap"* AND "zu"*``; one-letter words only narrow longer ones."""
    long_terms = [t for t in terms if len(t) >= 2]
    if not long_terms:
        return None
    quoted = [f'"{t.replace(chr(34), chr(34) * 2)}"*' for t in long_terms]
    return " AND ".join(quoted)


def search_candidates(limit: int) -> int:
    """How many FTS matches (the first by rowid) are ranked after the names starting with the
    query: a few more than are shown, and at least 16 (the sale screen shows 8).

    Ranking every match would read all of them, and a 3-letter prefix can match a large share
    of a million products; each candidate costs a row read (~3 µs), and four more than shown
    keep the 3-letter search p99 within ~20% of unranked search (``bench till_lookup``). Names
    that *start* with the query are not bounded: ``products_name_key`` gives them in name order.
    """
    return max(limit + 4, 16)


def search(conn: sqlite3.Connection, terms: Sequence[str], query_key: str,
           limit: int) -> list[Product]:
    """Active products whose name or translations contain every term as a word prefix, best
    first.

    1. Names starting with the query, in name order, from the name-key index.
    2. If fewer than ``limit``: the first ``search_candidates(limit)`` other FTS matches by
       rowid, ranked here: a later word starting with the query, then the rest (by FTS5 bm25
       when the query has several words); ties by name key, then SKU.
    """
    fts = _fts_query(terms)
    if fts is None or not query_key:
        return []
    found = [row_to_product(r) for r in conn.execute(
        f"SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.name_key >= ? AND p.name_key < ? "
        "AND p.active = 1 ORDER BY p.name_key, p.sku LIMIT ?", (*prefix_bounds(query_key), limit))]
    if len(found) >= limit:
        return found
    # ``found`` holds every name starting with the query: rank the other matches after them.
    seen = {p.id for p in found}
    several = sum(len(t) >= 2 for t in terms) > 1
    rows = [r for r in conn.execute(
        f"SELECT {PRODUCT_COLUMNS}, coalesce(p.name_key, ''), "
        f"{'bm25(products_fts)' if several else '0.0'} FROM products_fts f "
        "JOIN products p ON p.id = f.rowid WHERE products_fts MATCH ? AND p.active = 1 "
        "LIMIT ?", (fts, search_candidates(limit))) if r[0] not in seen]
    word = f" {query_key}"  # in a key: a later word of the name starts with the query
    if several:
        rows.sort(key=lambda r: (word not in r[13], 0.0 if word in r[13] else r[14], r[13], r[1]))
    else:
        rows.sort(key=lambda r: (word not in r[13], r[13], r[1]))
    return found + [row_to_product(r) for r in rows[:limit - len(found)]]


# -- writes -------------------------------------------------------------------------------------


def _values(rec: ProductRecord, fold: bool) -> tuple:  # type: ignore[type-arg]
    names = dict(rec.names) if rec.names else None
    return (rec.name, search_alt_text(rec.name, names, fold=fold),
            _JSON(names) if names else None, rec.unit.value, rec.price,
            rec.vat_group, int(rec.excise), rec.code, int(rec.age_restricted), int(rec.active),
            rec.category, rec.plu, name_key(rec.name))


def _chunks(items: Iterable[ProductRecord], size: int) -> Iterator[list[ProductRecord]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _fold_mode(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT value FROM meta WHERE key = 'fts_fold'").fetchone()
    return bool(row and row[0] == "python")


def bulk_load(conn: sqlite3.Connection, records: Iterable[ProductRecord], *,
              batch_size: int) -> ImportResult:
    """Replace the whole catalog in one transaction: inserts first, indexes and FTS after.

    The caller holds the writer; nothing is visible to readers until the final commit, and a
    failure (bad row, crash) leaves the previous catalog untouched.
    """
    t0 = time.perf_counter()
    fold = _fold_mode(conn)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("DELETE FROM barcodes")
    conn.execute("DELETE FROM products")
    conn.execute("INSERT INTO products_fts(products_fts) VALUES ('delete-all')")
    for name in SECONDARY_INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {name}")
    next_id = 1
    for chunk in _chunks(records, batch_size):
        rows = []
        codes: list[tuple[str, int]] = []
        for rec in chunk:
            rows.append((next_id, rec.sku, *_values(rec, fold)))
            codes.extend((code, next_id) for code in rec.barcodes)
            next_id += 1
        conn.executemany(_INSERT, rows)
        codes.sort()
        conn.executemany(_BARCODE, codes)
    try:
        for sql in SECONDARY_INDEXES.values():
            conn.execute(sql)
    except sqlite3.IntegrityError:
        dupes = [r[0] for r in conn.execute(
            "SELECT sku FROM products GROUP BY sku HAVING count(*) > 1 LIMIT 5")]
        raise InvalidCatalogData("duplicate SKUs in the catalog",
                                 details={"skus": dupes}) from None
    conn.execute("INSERT INTO products_fts(products_fts) VALUES ('rebuild')")
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('catalog_loaded_at', datetime('now'))")
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return ImportResult(next_id - 1, 0, 0, time.perf_counter() - t0)


_UPSERT = (_INSERT.replace("(id, sku,", "(sku,").replace("VALUES (?, ?,", "VALUES (?,")
           + " ON CONFLICT(sku) DO UPDATE SET name = excluded.name, alt = excluded.alt, "
             "names = excluded.names, unit = excluded.unit, price = excluded.price, "
             "vat_group = excluded.vat_group, excise = excluded.excise, code = excluded.code, "
             "age_restricted = excluded.age_restricted, active = excluded.active, "
             "category = excluded.category, plu = excluded.plu, name_key = excluded.name_key")


def bulk_upsert(conn: sqlite3.Connection, records: Iterable[ProductRecord], *,
                batch_size: int) -> ImportResult:
    """Upsert many products by SKU in one transaction, rebuilding the FTS index once.

    For big updates of a live catalog (a full CSV re-import): per-row FTS maintenance would
    cost more than one rebuild. Products not in ``records`` are kept.
    """
    t0 = time.perf_counter()
    fold = _fold_mode(conn)
    conn.execute("BEGIN IMMEDIATE")
    before = catalog_count(conn)
    total = 0
    for chunk in _chunks(records, batch_size):
        conn.executemany(_UPSERT, [(rec.sku, *_values(rec, fold)) for rec in chunk])
        skus = [(rec.sku,) for rec in chunk]
        conn.executemany("DELETE FROM barcodes WHERE product_id = "
                         "(SELECT id FROM products WHERE sku = ?)", skus)
        conn.executemany("INSERT INTO barcodes (code, product_id) "
                         "VALUES (?, (SELECT id FROM products WHERE sku = ?)) "
                         "ON CONFLICT(code) DO UPDATE SET product_id = excluded.product_id",
                         [(code, rec.sku) for rec in chunk for code in rec.barcodes])
        total += len(chunk)
    conn.execute("INSERT INTO products_fts(products_fts) VALUES ('rebuild')")
    inserted = catalog_count(conn) - before
    conn.execute("COMMIT")
    return ImportResult(inserted, total - inserted, 0, time.perf_counter() - t0)


def apply_changes(conn: sqlite3.Connection, upserts: Sequence[ProductRecord],
                  deletes: Sequence[str], *, categories_: Sequence[Category] = ()) -> ImportResult:
    """Upsert by SKU and delete (tombstones) inside the caller's transaction.

    Records are validated by the core before they get here.
    """
    t0 = time.perf_counter()
    fold = _fold_mode(conn)
    inserted = updated = deleted = 0
    for cat in categories_:
        conn.execute("INSERT INTO categories (code, name, parent) VALUES (?, ?, ?) "
                     "ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
                     "parent = excluded.parent", (cat.code, cat.name, cat.parent))
    for rec in upserts:
        old = conn.execute("SELECT id, name, alt FROM products WHERE sku = ?",
                           (rec.sku,)).fetchone()
        values = _values(rec, fold)
        if old:
            pid = old[0]
            conn.execute("INSERT INTO products_fts(products_fts, rowid, name, alt) "
                         "VALUES ('delete', ?, ?, ?)", old)
            conn.execute(_UPDATE, (*values, pid))
            conn.execute("DELETE FROM barcodes WHERE product_id = ?", (pid,))
            updated += 1
        else:
            pid = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM products").fetchone()[0]
            conn.execute(_INSERT, (pid, rec.sku, *values))
            inserted += 1
        conn.execute("INSERT INTO products_fts(rowid, name, alt) VALUES (?, ?, ?)",
                     (pid, values[0], values[1]))
        conn.executemany(_BARCODE, [(code, pid) for code in rec.barcodes])
    for sku in deletes:
        old = conn.execute("SELECT id, name, alt FROM products WHERE sku = ?", (sku,)).fetchone()
        if not old:
            continue  # a tombstone for something we never had: nothing to do
        conn.execute("INSERT INTO products_fts(products_fts, rowid, name, alt) "
                     "VALUES ('delete', ?, ?, ?)", old)
        conn.execute("DELETE FROM barcodes WHERE product_id = ?", (old[0],))
        conn.execute("DELETE FROM products WHERE id = ?", (old[0],))
        deleted += 1
    return ImportResult(inserted, updated, deleted, time.perf_counter() - t0)
