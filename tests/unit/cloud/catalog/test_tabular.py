"""Spreadsheet reading (CSV dialects, XLSX cells, header aliases) and writing round trips."""

from __future__ import annotations

import pytest

from cloud.services.catalog.errors import ImportFileInvalid
from cloud.services.catalog.tabular import (
    EXPORT_FIELDS,
    FileFormat,
    detect_format,
    read_records,
    write_table,
)


def rows(data: bytes, fmt: FileFormat = FileFormat.CSV, mapping=None) -> list:
    _hm, recs = read_records(data, fmt, mapping)
    return list(recs)


def test_romanian_headers_semicolons_and_row_numbers() -> None:
    data = ("Cod;Denumire;Preț;Cota TVA;UM;Cod bare;name.uk\n"
            "A1;Șosete;12,50;21;buc;5901234123457;Шкарпетки\n\nA2;Ciorapi;3;11;buc;;\n")
    out = rows(data.encode("utf-8-sig"))
    assert [n for n, _ in out] == [2, 4]  # the blank row 3 is skipped, numbering kept
    assert out[0][1] == {"sku": "A1", "name": "Șosete", "price": "12,50", "vatRate": "21",
                         "unit": "buc", "barcodes": "5901234123457",
                         "translations": {"uk": {"name": "Шкарпетки"}}}


def test_windows_1250_is_accepted() -> None:
    data = "sku,name\nA1,Ţesătură\n".encode("cp1250")
    assert rows(data)[0][1]["name"] == "Ţesătură"


def test_explicit_mapping_wins_and_sku_is_mandatory() -> None:
    data = b"code,title,cost\nX,Thing,5\n"
    out = rows(data, mapping={"code": "sku", "title": "name", "cost": "price"})
    assert out[0][1] == {"sku": "X", "name": "Thing", "price": "5"}
    with pytest.raises(ImportFileInvalid):
        rows(b"name,price\nThing,5\n")
    with pytest.raises(ImportFileInvalid):
        rows(data, mapping={"code": "sku", "title": "nonsense"})


def test_xlsx_round_trip_keeps_barcodes_and_numbers() -> None:
    recs = [{"sku": "A1", "name": "Șosete", "price": "12.50", "barcodes": ["5901234123457"],
             "tags": ["iarna", "bumbac"], "excise": False}]
    data = write_table(recs, EXPORT_FIELDS, FileFormat.XLSX)
    assert detect_format(None, data) is FileFormat.XLSX
    out = rows(data, FileFormat.XLSX)
    assert out[0][0] == 2
    rec = out[0][1]
    assert rec["sku"] == "A1" and rec["barcodes"] == "5901234123457"
    assert rec["tags"] == "iarna;bumbac" and rec["excise"] == "false"


def test_csv_export_reads_back() -> None:
    recs = [{"sku": "A1", "name": 'Say "hi", ok', "specifications": {"color": "red"}}]
    out = rows(write_table(recs, EXPORT_FIELDS, FileFormat.CSV))
    assert out[0][1]["name"] == 'Say "hi", ok'
    assert out[0][1]["specifications"] == '{"color": "red"}'


def test_garbage_is_a_file_error() -> None:
    with pytest.raises(ImportFileInvalid):
        rows(b"PK\x03\x04not really a zip", FileFormat.XLSX)
    with pytest.raises(ImportFileInvalid):
        rows(b"", FileFormat.CSV)
