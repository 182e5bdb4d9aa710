"""Import (CSV/XLSX, modes, dry run, per-row errors, idempotency) and export jobs."""

from __future__ import annotations

import csv
import io
import json

import pytest
from _catalog_env import CatalogWorld, error_code
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from cloud.models.feed import ChangeFeedEntry

IMPORT = "/api/v1/products/import"


def gtin13(n: int) -> str:
    base = f"590{n:09d}"
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(base)))
    return base + str((10 - total % 10) % 10)


def csv_bytes(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header or ["sku", "name", "category", "price", "vat", "unit", "barcode",
                          "stock"])
    w.writerows(rows)
    return buf.getvalue().encode()


def upload(cw: CatalogWorld, data: bytes, name: str = "p.csv", tenant: str = "a",
           **options: object) -> str:
    call = cw.as_a if tenant == "a" else cw.as_b
    resp = call("POST", IMPORT, files={"file": (name, data)},
                data={"options": json.dumps(options)} if options else None)
    assert resp.status_code == 202, resp.text
    body = resp.json()["data"]
    assert body["status"] == "queued"
    return str(body["jobId"])


def status(cw: CatalogWorld, job: str) -> dict:
    resp = cw.as_a("GET", f"{IMPORT}/{job}")
    assert resp.status_code == 200, resp.text
    return dict(resp.json()["data"])


def feed_count(cw: CatalogWorld) -> int:
    with cw.sessions() as s:
        return s.scalar(select(func.count()).select_from(ChangeFeedEntry)
                        .where(ChangeFeedEntry.tenant_id == cw.a.id)) or 0


def test_import_reports_bad_rows_and_rerun_changes_nothing(cw: CatalogWorld) -> None:
    rows = [[f"SKU-{i}", f"Șosete {i}", "Socks", f"{i + 1}.50", 21, "buc", gtin13(i), i % 4]
            for i in range(40)]
    rows[5][3] = "abc"  # file row 7
    rows[12][4] = 19  # file row 14: 19% is gone since 2025-08-01
    rows[20][0] = "SKU-3"  # file row 22: the same SKU as row 5
    rows[30][6] = "5901234123458"  # file row 32: bad check digit
    data = csv_bytes(rows)
    job = upload(cw, data)
    assert cw.run_jobs() >= 1
    st = status(cw, job)
    assert st["status"] == "completed" and st["totalRows"] == 40
    assert (st["createdCount"], st["skippedCount"], st["errorCount"]) == (36, 4, 4)
    assert [(e["row"], e["column"], e["code"]) for e in st["errors"]] == [
        (7, "price", "VAL_INVALID_FORMAT"), (14, "vat", "VAL_INVALID_ENUM"),
        (22, "sku", "VAL_DUPLICATE"), (32, "barcode", "VAL_INVALID_FORMAT")]
    assert all(e["message"] for e in st["errors"])
    listed = cw.as_a("GET", "/api/v1/products?limit=100").json()["pagination"]["total"]
    assert listed == 36
    stock = cw.as_a("GET", "/api/v1/stock?sku=SKU-3").json()["data"][0]
    assert stock["totalStock"] == 3
    before = feed_count(cw)
    again = upload(cw, data)
    cw.run_jobs()
    st2 = status(cw, again)
    assert (st2["createdCount"], st2["updatedCount"], st2["unchangedCount"],
            st2["skippedCount"]) == (0, 0, 36, 4)
    assert feed_count(cw) == before  # nothing changed, nothing published


def test_modes_dry_run_and_skip_invalid(cw: CatalogWorld) -> None:
    cw.create("OLD-1", price=5)
    data = csv_bytes([["OLD-1", "Renamed", "General", "6", 21, "buc", "", ""],
                      ["NEW-1", "Fresh", "General", "7", 11, "buc", "", ""]])
    dry = upload(cw, data, dryRun=True)
    cw.run_jobs()
    st = status(cw, dry)
    assert (st["createdCount"], st["updatedCount"], st["dryRun"]) == (1, 1, True)
    assert cw.as_a("GET", "/api/v1/products?search=fresh").json()["data"] == []
    create_only = upload(cw, data, mode="create")
    cw.run_jobs()
    st = status(cw, create_only)
    assert st["createdCount"] == 1 and st["errors"][0]["code"] == "VAL_DUPLICATE"
    update_only = upload(cw, csv_bytes([["OLD-1", "Renamed", "General", "6", 21, "buc", "", ""],
                                        ["NOPE", "x", "General", "1", 21, "buc", "", ""]]),
                         mode="update")
    cw.run_jobs()
    st = status(cw, update_only)
    assert st["updatedCount"] == 1 and st["errors"][0]["code"] == "RES_NOT_FOUND"
    strict = upload(cw, csv_bytes([["S-1", "ok", "General", "1", 21, "buc", "", ""],
                                   ["S-2", "bad", "General", "x", 21, "buc", "", ""]]),
                    skipInvalid=False)
    cw.run_jobs()
    st = status(cw, strict)
    assert st["status"] == "failed" and st["errorCount"] == 1
    assert cw.as_a("GET", "/api/v1/products?search=S").json()["data"] == [] or all(
        p["sku"] not in ("S-1", "S-2")
        for p in cw.as_a("GET", "/api/v1/products?limit=100").json()["data"])


def test_xlsx_with_mapping_and_translations(cw: CatalogWorld) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Cod", "Denumire", "Categorie", "Pret", "TVA", "UM", "EAN", "name.uk"])
    ws.append(["X-1", "Cafea", "Cafea", 45.5, 11, "kg", 5901234123457, "Кава"])
    buf = io.BytesIO()
    wb.save(buf)
    job = upload(cw, buf.getvalue(), name="p.xlsx")
    cw.run_jobs()
    st = status(cw, job)
    assert st["createdCount"] == 1, st
    pid = cw.as_a("GET", "/api/v1/products?search=cafea").json()["data"][0]["id"]
    d = cw.as_a("GET", f"/api/v1/products/{pid}").json()["data"]
    assert d["price"] == 45.5 and d["vatRate"] == 11 and d["barcodes"] == ["5901234123457"]
    assert d["translations"] == {"uk": {"name": "Кава"}}


def test_unreadable_files_fail_the_task_and_bad_options_are_refused(cw: CatalogWorld) -> None:
    job = upload(cw, b"name,price\nx,1\n")
    cw.run_jobs()
    st = status(cw, job)
    assert st["status"] == "failed" and "SKU" in st["message"]
    bad = cw.as_a("POST", IMPORT, files={"file": ("p.csv", b"sku\n")},
                  data={"options": json.dumps({"mode": "merge"})})
    assert bad.status_code == 422 and error_code(bad) == "VAL_INVALID_ENUM"
    assert cw.as_a("GET", f"{IMPORT}/{cw.new_id()}").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_round_trips(cw: CatalogWorld, fmt: str) -> None:
    cw.create("E-1", name="Șosete", barcodes=["96385074"], stock=4, category="Socks")
    cw.create("E-2", name="Ceai", category="Tea")
    resp = cw.as_a("POST", "/api/v1/products/export",
                   json={"format": fmt, "filters": {"category": "Socks"}})
    assert resp.status_code == 202, resp.text
    job = resp.json()["data"]["jobId"]
    assert resp.json()["data"]["downloadUrl"] is None
    cw.run_jobs()
    st = cw.as_a("GET", f"/api/v1/products/export/{job}").json()["data"]
    assert st["status"] == "completed" and st["downloadUrl"] and st["totalRows"] == 1
    file = cw.as_a("GET", st["downloadUrl"])
    assert file.status_code == 200
    if fmt == "json":
        rows = file.json()
        assert rows[0]["sku"] == "E-1" and rows[0]["barcodes"] == ["96385074"]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(file.content.decode("utf-8-sig"))))
        assert rows[0]["sku"] == "E-1" and rows[0]["stock"] == "4"
        assert rows[0]["vatRate"] == "21"
    else:
        ws = load_workbook(io.BytesIO(file.content), read_only=True).worksheets[0]
        values = list(ws.iter_rows(values_only=True))
        assert values[1][values[0].index("sku")] == "E-1"
    # The exported CSV imports back as "unchanged".
    if fmt == "csv":
        job = upload(cw, file.content)
        cw.run_jobs()
        st = status(cw, job)
        assert (st["unchangedCount"], st["errorCount"]) == (1, 0), st


def test_export_refuses_unknown_fields(cw: CatalogWorld) -> None:
    resp = cw.as_a("POST", "/api/v1/products/export", json={"format": "csv",
                                                            "fields": ["sku", "secret"]})
    assert resp.status_code == 422
