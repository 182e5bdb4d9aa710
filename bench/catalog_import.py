"""Product import rows/s vs a raw bulk insert of the same rows, and hybrid search p99 on the
imported catalog (embedded SQLite, the default deployment).

* ``import_rows_per_s``: the ``catalog.import`` pipeline (parse CSV, validate every field and
  VAT against the dated table, SKU/barcode uniqueness, products + barcodes + stock ledger +
  change feed, full-text index maintained by the database).
* ``raw_rows_per_s``: ``executemany`` of the same product rows, already converted, into the
  same table (so the full-text trigger is paid by both).
* ``search_p99_ms``: hybrid search (full-text + MiniLM query embedding + cosine over all
  vectors + RRF) over the whole catalog; embeddings of identical texts are computed once.
"""

from __future__ import annotations

import csv
import io
import random
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench._harness import percentile, timed
from cloud.db import make_engine, session_factory
from cloud.migrate import upgrade
from cloud.models.catalog import CatalogFile, CatalogTask
from cloud.services.catalog import records
from cloud.services.catalog.hybrid_search import search_products
from cloud.services.catalog.importer import run_import
from cloud.services.catalog.settings import save_policy
from cloud.services.search.vectors import embed_products

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
NOUNS = [("Șosete", "Îmbrăcăminte"), ("Tricou", "Îmbrăcăminte"), ("Cafea", "Alimente"),
         ("Ceai", "Alimente"), ("Laptop", "IT"), ("Mouse", "IT"), ("Scaun", "Mobilier"),
         ("Masă", "Mobilier"), ("Bere", "Băuturi"), ("Apă", "Băuturi"),
         ("Ciocolată", "Dulciuri"), ("Biscuiți", "Dulciuri")]
ADJ = ["bărbați", "damă", "copii", "premium", "eco", "clasic", "sport", "mini", "maxi",
       "lux"]
COLOURS = ["negru", "alb", "roșu", "albastru", "verde", "gri", "bej", "galben", "mov",
           "maro"]
QUERIES = ["sosete barbati", "tricou alb", "cafea boabe", "warm socks", "something to drink",
           "office chair", "ciocolata neagra", "laptop for work", "apa plata", "bere blonda",
           "children clothes", "scaun eco verde", "sweets", "ceai verde", "mouse wireless"]


def _gtin(n: int) -> str:
    base = f"59{n:010d}"
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(base)))
    return base + str((10 - total % 10) % 10)


def _rows(size: int) -> list[list[str]]:
    rng = random.Random(6)
    out = []
    for i in range(size):
        noun, cat = NOUNS[i % len(NOUNS)]
        name = f"{noun} {rng.choice(ADJ)} {rng.choice(COLOURS)}"
        out.append([f"SKU-{i:07d}", name, cat, f"{rng.randint(100, 99_999) / 100:.2f}",
                    rng.choice(["21", "11"]), "buc", _gtin(i), str(rng.randint(0, 50))])
    return out


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["sku", "name", "category", "price", "vat", "unit", "barcode", "stock"])
    w.writerows(rows)
    return buf.getvalue().encode()


def _raw_insert(url: str, rows: list[list[str]], tenant: uuid.UUID) -> float:
    """executemany of ready product rows through the DB-API cursor (no ORM, no checks)."""
    engine = make_engine(url)
    cols = ["id", "tenant_id", "sku", "name", "category", "price", "currency", "vat_group",
            "unit", "min_stock", "reorder_point", "specifications", "tags", "status", "excise",
            "translations", "images", "documents", "related", "search_text", "created_at",
            "updated_at"]
    stamp = NOW.isoformat()
    data = []
    for sku, name, cat, price, vat, unit, code, _stock in rows:
        values = {"sku": sku, "name": name, "category": cat}
        data.append((uuid.uuid4().hex, tenant.hex, sku, name, cat,
                     int(price.replace(".", "")), "RON",
                     "standard" if vat == "21" else "reduced", unit, 0, 0, "{}", "[]", "active",
                     0, "{}", "[]", "[]", "[]", records.search_text(values, [code]), stamp,
                     stamp))
    sql = f"INSERT INTO products ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None

        def go() -> None:
            cur = raw.cursor()
            for i in range(0, len(data), 1000):
                cur.executemany(sql, data[i:i + 1000])

        seconds = timed(go)
    engine.dispose()
    return seconds


def run(size: int) -> tuple[dict[str, Any], dict[str, float]]:
    rows = _rows(size)
    data = _csv(rows)
    tenant = uuid.uuid4()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        raw_url = f"sqlite:///{Path(tmp) / 'raw.sqlite3'}"
        upgrade(url)
        upgrade(raw_url)
        engine = make_engine(url)
        sessions = session_factory(engine)
        with sessions.begin() as s:
            save_policy(s, tenant, country="RO", currency="RON")
            upload = CatalogFile(tenant_id=tenant, filename="bench.csv", content_type="text/csv",
                                 size=len(data), data=data, created_at=NOW)
            s.add(upload)
            s.flush()
            task = CatalogTask(tenant_id=tenant, kind="import", options={"mode": "upsert"},
                               file_id=upload.id, created_at=NOW, updated_at=NOW)
            s.add(task)
            s.flush()
            task_id = task.id
        stats: list[Any] = []
        t_import = timed(lambda: stats.append(run_import(
            sessions, tenant_id=tenant, task_id=task_id, clock=lambda: NOW)))
        assert stats[0].created == size, stats[0]
        t_raw = _raw_insert(raw_url, rows, tenant)
        t0 = time.perf_counter()
        with sessions.begin() as s:
            embedded = embed_products(s, tenant_id=tenant, product_ids=None, now=NOW)
        t_embed = time.perf_counter() - t0
        distinct = len({r[1] + r[2] for r in rows})
        samples: list[float] = []
        with sessions() as s:
            search_products(s, tenant_id=tenant, query="warmup", limit=10)  # loads the matrix
            for _ in range(4):
                for q in QUERIES:
                    t = time.perf_counter()
                    search_products(s, tenant_id=tenant, query=q, limit=10)
                    samples.append((time.perf_counter() - t) * 1000)
            kw = []
            for q in QUERIES:
                t = time.perf_counter()
                search_products(s, tenant_id=tenant, query=q, search_type="keyword", limit=10)
                kw.append((time.perf_counter() - t) * 1000)
        engine.dispose()
    return (
        {"products": size, "database": "sqlite (embedded)", "distinct_texts": distinct,
         "bad_rows": 0, "batch_size": 1000, "queries": len(samples)},
        {
            "import_rows_per_s": size / t_import,
            "raw_rows_per_s": size / t_raw,
            "ratio_import_vs_raw": (size / t_import) / (size / t_raw),
            "embed_products_per_s": embedded / t_embed if t_embed else 0.0,
            "search_p50_ms": percentile(samples, 50),
            "search_p99_ms": percentile(samples, 99),
            "keyword_search_p99_ms": percentile(kw, 99),
        },
    )
