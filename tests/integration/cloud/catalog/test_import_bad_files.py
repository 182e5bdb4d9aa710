"""Hostile or broken import files end their import with a clear error and bounded memory.

GIVEN a tenant importing products
WHEN the file is not text in any encoding we read, holds NUL bytes, is a zip that expands into
     millions of shared strings, has rows thousands of columns wide, or fails all-or-nothing
THEN the import ends (never stays "processing"), says why, and reports only what it wrote.
"""

from __future__ import annotations

import io
import zipfile

from _catalog_env import CatalogWorld
from openpyxl import Workbook
from test_import_export_api import csv_bytes, status, upload

from cloud.services.catalog import tabular


def _workbook(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _with_shared_strings(xlsx: bytes, count: int) -> bytes:
    """The workbook with its shared-strings part replaced by ``count`` empty strings: a few
    hundred KiB of zip that openpyxl would expand into a list of ``count`` Python objects."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename == "xl/sharedStrings.xml":
                continue
            dst.writestr(item, src.read(item.filename))
        body = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxml'
                b'formats.org/spreadsheetml/2006/main">' + b"<si><t/></si>" * count + b"</sst>")
        dst.writestr("xl/sharedStrings.xml", body)
    return out.getvalue()


def test_a_byte_neither_utf8_nor_windows_1250_fails_the_import_with_a_reason(
        cw: CatalogWorld) -> None:
    job = upload(cw, b"sku,name,price\nA-1,Caf\x81,1\n")
    cw.run_jobs()
    st = status(cw, job)
    assert st["status"] == "failed"
    assert "Windows-1250" in st["message"] and "0x81" in st["message"]


def test_a_nul_in_a_cell_is_a_format_error_on_its_row(cw: CatalogWorld) -> None:
    data = csv_bytes([["NUL-1", "Bad\x00name", "General", "1", 21, "buc", "", ""],
                      ["NUL-2", "Good", "General", "1", 21, "buc", "", ""]])
    job = upload(cw, data)
    cw.run_jobs()
    st = status(cw, job)
    assert st["status"] == "completed" and st["createdCount"] == 1
    assert [(e["row"], e["column"], e["code"]) for e in st["errors"]] == [
        (2, "name", "VAL_INVALID_FORMAT")]


def test_all_or_nothing_that_wrote_nothing_reports_nothing_created(cw: CatalogWorld) -> None:
    rows = [[f"AON-{i}", f"Item {i}", "General", "1", 21, "buc", "", ""] for i in range(30)]
    rows[7][3] = "x"
    job = upload(cw, csv_bytes(rows), skipInvalid=False)
    cw.run_jobs()
    st = status(cw, job)
    assert st["status"] == "failed" and st["errorCount"] == 1
    assert (st["createdCount"], st["updatedCount"], st["unchangedCount"]) == (0, 0, 0)
    assert st["skippedCount"] == 30


def test_a_shared_strings_bomb_is_refused_before_it_is_expanded(cw: CatalogWorld) -> None:
    base = _workbook([["sku", "name", "price"], ["B-1", "x", 1]])
    bomb = _with_shared_strings(base, tabular.MAX_SHARED_STRINGS + 1)
    assert len(bomb) < 1024 * 1024  # under a MiB on the wire
    job = upload(cw, bomb, name="bomb.xlsx")
    cw.run_jobs()
    st = status(cw, job)
    assert st["status"] == "failed" and "shared strings" in st["message"]


def test_rows_are_read_at_most_max_columns_wide() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["sku", "name", "price"])
    ws.append(["W-1", "Wide", 1])
    ws.cell(row=2, column=10_000, value="far away")
    buf = io.BytesIO()
    wb.save(buf)
    rows = list(tabular._xlsx_rows(buf.getvalue()))
    assert rows[1][:3] == ["W-1", "Wide", 1]
    assert max(len(r) for r in rows) <= tabular.MAX_COLUMNS


def test_a_broken_sheet_is_an_invalid_file_not_a_crash(cw: CatalogWorld) -> None:
    good = _workbook([["sku", "name", "price"], ["X-1", "x", 1]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut in the middle of the XML
            dst.writestr(item, data)
    job = upload(cw, out.getvalue(), name="cut.xlsx")
    cw.run_jobs()
    st = status(cw, job)
    assert st["status"] == "failed" and st["message"]
