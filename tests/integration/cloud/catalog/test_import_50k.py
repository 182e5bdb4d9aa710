"""Acceptance: a 50k-row CSV with 1% bad rows imports through the API and its job; every bad
row is reported with its row number and reason; importing the same file again changes nothing.

SQLite runs the full 50k rows; PostgreSQL runs 10k (same code path, kept under a minute).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from _catalog_env import CatalogWorld, make_world
from sqlalchemy import func, select

from cloud.migrate import upgrade
from cloud.models.catalog import Product
from cloud.models.feed import ChangeFeedEntry

pytestmark = pytest.mark.slow


@pytest.fixture
def big(db_url: str) -> Iterator[CatalogWorld]:
    """A database of its own: the import queues a big embedding job that no other test of the
    shared catalog database should pick up."""
    upgrade(db_url)
    yield from make_world(db_url, max_body_bytes=32 * 1024 * 1024)


def gtin13(n: int) -> str:
    base = f"59{n:010d}"
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(base)))
    return base + str((10 - total % 10) % 10)


def make_file(rows: int) -> tuple[bytes, dict[int, str]]:
    """The CSV and, for each bad file row, the column it is wrong in."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["sku", "name", "category", "price", "vat", "unit", "barcode", "stock"])
    bad: dict[int, str] = {}
    for i in range(rows):
        row = [f"BULK-{i:06d}", f"Produs {i} bărbați", f"Categorie {i % 50}",
               f"{i % 900 + 1},{i % 100:02d}", "21" if i % 3 else "11", "buc", gtin13(i),
               str(i % 25)]
        if i % 100 == 37:  # 1 % bad rows, of several kinds
            kind = (i // 100) % 4
            if kind == 0:
                row[3], column = "12,3,4", "price"
            elif kind == 1:
                row[4], column = "19", "vat"
            elif kind == 2:
                row[1], column = "", "name"
            else:
                row[6], column = row[6][:-1] + str((int(row[6][-1]) + 1) % 10), "barcode"
            bad[i + 2] = column  # header is row 1
        w.writerow(row)
    return buf.getvalue().encode(), bad


def counts(cw: CatalogWorld) -> tuple[int, int]:
    with cw.sessions() as s:
        products = s.scalar(select(func.count()).select_from(Product)
                            .where(Product.tenant_id == cw.a.id)) or 0
        feed = s.scalar(select(func.count()).select_from(ChangeFeedEntry)
                        .where(ChangeFeedEntry.tenant_id == cw.a.id)) or 0
    return products, feed


def test_big_import_with_bad_rows_is_complete_and_idempotent(big: CatalogWorld) -> None:
    rows = 50_000 if big.url.startswith("sqlite") else 10_000
    data, bad = make_file(rows)
    status = None
    for attempt in (1, 2):
        resp = big.as_a("POST", "/api/v1/products/import", files={"file": ("big.csv", data)})
        assert resp.status_code == 202, resp.text
        job = resp.json()["data"]["jobId"]
        big.run_jobs(queues=("catalog",))  # the import; embeddings are another queue
        status = big.as_a("GET", f"/api/v1/products/import/{job}").json()["data"]
        assert status["status"] == "completed" and status["totalRows"] == rows
        assert status["processedRows"] == rows and status["skippedCount"] == len(bad)
        reported = {e["row"]: e["column"] for e in status["errors"]}
        assert reported == bad
        assert all(e["code"].startswith("VAL_") and e["message"] for e in status["errors"])
        if attempt == 1:
            assert status["createdCount"] == rows - len(bad)
            first = counts(big)
            assert first[0] == rows - len(bad)
        else:
            assert (status["createdCount"], status["updatedCount"]) == (0, 0)
            assert status["unchangedCount"] == rows - len(bad)
            assert counts(big) == first
    stock = big.as_a("GET", "/api/v1/stock?sku=BULK-000024").json()["data"][0]
    assert stock["totalStock"] == 24
