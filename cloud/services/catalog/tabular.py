"""Reading and writing product spreadsheets (CSV and XLSX), streaming, with no database.

Why streaming: an import can hold 100k rows; openpyxl's ``read_only`` mode and the ``csv``
module yield one row at a time, so memory stays flat. Rows are numbered as a spreadsheet shows
them (the header is row 1), which is the number an import error reports.

Column headers map to product fields by an explicit ``mapping`` ({column: field}) or, without
one, by well-known names in English and Romanian (``sku``/``cod``, ``name``/``denumire``,
``price``/``pret``, ``vat``/``tva``, ``barcode``/``ean`` …). ``name.uk``-style columns fill
translations.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from cloud.services.catalog.errors import ImportFileInvalid
from cloud.services.catalog.validation import FIELDS

__all__ = [
    "EXPORT_FIELDS",
    "FileFormat",
    "HeaderMap",
    "detect_format",
    "map_headers",
    "read_records",
    "write_table",
]


class FileFormat(StrEnum):
    """Spreadsheet formats we read and write."""

    CSV = "csv"
    """Comma, semicolon or tab separated UTF-8 (Windows-1250 accepted on input)."""
    XLSX = "xlsx"
    """Excel 2007+ workbook; the first sheet is used."""
    JSON = "json"
    """Export only: a JSON array of objects."""


_ALIASES: dict[str, str] = {
    "sku": "sku", "cod": "sku", "codprodus": "sku", "code": "sku", "artikul": "sku",
    "name": "name", "denumire": "name", "nume": "name", "produs": "name", "title": "name",
    "description": "description", "descriere": "description",
    "shortdescription": "shortDescription", "descrierescurta": "shortDescription",
    "category": "category", "categorie": "category", "subcategory": "subcategory",
    "subcategorie": "subcategory",
    "price": "price", "pret": "price", "pretfaratva": "price", "unitprice": "price",
    "currency": "currency", "moneda": "currency", "valuta": "currency",
    "vat": "vatRate", "vatrate": "vatRate", "tva": "vatRate", "cotatva": "vatRate",
    "vatgroup": "vatGroup", "costprice": "costPrice", "pretachizitie": "costPrice",
    "cost": "costPrice", "unit": "unit", "um": "unit", "unitate": "unit",
    "weight": "weight", "greutate": "weight", "stock": "stock", "stoc": "stock",
    "minstock": "minStock", "stocminim": "minStock", "reorderpoint": "reorderPoint",
    "tags": "tags", "etichete": "tags", "status": "status", "stare": "status",
    "barcode": "barcodes", "barcodes": "barcodes", "ean": "barcodes", "codbare": "barcodes",
    "gtin": "barcodes", "excise": "excise", "acciza": "excise", "akcyz": "excise",
    "customscode": "customsCode", "uktzed": "customsCode", "nc": "customsCode",
    "codnc": "customsCode", "hscode": "customsCode", "agerestriction": "ageRestriction",
    "varstaminima": "ageRestriction", "specifications": "specifications",
    "dimensions": "dimensions", "translations": "translations",
}
_TRANSLATABLE = {"name": "name", "description": "description",
                 "shortdescription": "shortDescription"}

# Column order of an export (and of the import template).
EXPORT_FIELDS: tuple[str, ...] = (
    "sku", "name", "category", "subcategory", "price", "currency", "vatRate", "vatGroup",
    "costPrice", "unit", "barcodes", "stock", "minStock", "reorderPoint", "status", "excise",
    "customsCode", "ageRestriction", "weight", "tags", "description", "shortDescription",
    "specifications", "dimensions", "translations",
)


def _norm(header: str) -> str:
    text = unicodedata.normalize("NFKD", header)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9.]", "", text)


@dataclass
class HeaderMap:
    """Which column index feeds which field; ``ignored`` columns are reported once."""

    by_index: dict[int, str] = field(default_factory=dict)
    translations: dict[int, tuple[str, str]] = field(default_factory=dict)  # i → (lang, key)
    names: dict[str, str] = field(default_factory=dict)  # field → column header
    ignored: list[str] = field(default_factory=list)


def map_headers(headers: Sequence[str], mapping: Mapping[str, str] | None = None) -> HeaderMap:
    """Resolve header cells to product fields (explicit mapping first, then aliases)."""
    hm = HeaderMap()
    explicit = {k.strip(): v.strip() for k, v in (mapping or {}).items()}
    for i, raw in enumerate(headers):
        header = (raw or "").strip()
        if not header:
            continue
        target = explicit.get(header)
        if target is None and not explicit:
            target = header if header in FIELDS else _ALIASES.get(_norm(header))
        if target is None:
            base, _, lang = header.partition(".")
            key = _TRANSLATABLE.get(_norm(base))
            if key and re.fullmatch(r"[a-z]{2}", lang):
                hm.translations[i] = (lang, key)
                continue
            hm.ignored.append(header)
            continue
        if target not in FIELDS:
            raise ImportFileInvalid(f"mapping sends column {header!r} to unknown field {target!r}")
        if target in hm.names:
            raise ImportFileInvalid(f"columns {hm.names[target]!r} and {header!r} both map "
                                    f"to {target}")
        hm.by_index[i] = target
        hm.names[target] = header
    if "sku" not in hm.names:
        raise ImportFileInvalid("no SKU column: name one 'sku' or map a column to sku")
    return hm


def detect_format(filename: str | None, data: bytes) -> FileFormat:
    """XLSX by its zip signature or name, otherwise CSV."""
    if data[:4] == b"PK\x03\x04" or (filename or "").lower().endswith(".xlsx"):
        return FileFormat.XLSX
    return FileFormat.CSV


def _cell(value: Any) -> Any:
    """Spreadsheet cell → what the validator takes (integral floats become ints: barcodes)."""
    if value is None:
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1250")
        except UnicodeDecodeError as exc:
            raise ImportFileInvalid(
                f"the file is neither UTF-8 nor Windows-1250 text (byte 0x{data[exc.start]:02x} "
                f"at offset {exc.start})") from None
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


# Bounds that keep an XLSX import in bounded memory whatever the upload holds. openpyxl's
# read-only mode streams the sheet, but it loads the whole shared-strings table into a Python
# list, and pads each row up to the widest cell: a few hundred KiB of zip can expand into
# millions of strings or 16,384-column rows (measured: an 853 KiB upload took a worker to 618 MB
# before these bounds). Limits are far above a real product file (100k rows, 30 columns).
MAX_XLSX_PART_BYTES = 256 * 1024 * 1024  # uncompressed size of any one part
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
MAX_SHARED_STRINGS = 1_000_000
MAX_COLUMNS = 256
MAX_CELLS = 20_000_000
_SCAN_CHUNK = 1 << 20
_SI = re.compile(rb"<(?:\w{1,8}:)?si[\s/>]")  # one shared-string item, any namespace prefix


def _check_xlsx_parts(data: bytes) -> None:
    """Refuse a workbook whose parts would expand past the bounds, before openpyxl reads it.

    The declared sizes in the zip directory are checked first; the shared strings are then
    counted by streaming the decompressed part (a lying directory cannot get past the count).
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileInvalid(f"not a readable XLSX workbook: {exc}") from exc
    with zf:
        for info in zf.infolist():
            if info.file_size > MAX_XLSX_PART_BYTES:
                raise ImportFileInvalid(
                    f"the workbook part {info.filename} expands to {info.file_size} bytes "
                    f"(at most {MAX_XLSX_PART_BYTES})")
        names = [n for n in zf.namelist() if n.lower().endswith("sharedstrings.xml")]
        for name in names:
            size = count = 0
            tail = b""
            try:
                with zf.open(name) as part:
                    while chunk := part.read(_SCAN_CHUNK):
                        size += len(chunk)
                        window = tail + chunk
                        # A match ending in the old tail was counted with the last chunk.
                        count += sum(1 for m in _SI.finditer(window) if m.end() > len(tail))
                        tail = window[-16:]
                        if size > MAX_SHARED_STRINGS_BYTES or count > MAX_SHARED_STRINGS:
                            raise ImportFileInvalid(
                                f"the workbook holds more than {MAX_SHARED_STRINGS} shared "
                                f"strings or {MAX_SHARED_STRINGS_BYTES} bytes of them")
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise ImportFileInvalid(f"not a readable XLSX workbook: {exc}") from exc


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook  # a heavy import, needed only for XLSX uploads

    _check_xlsx_parts(data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileInvalid(f"not a readable XLSX workbook: {exc}") from exc
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # the stored <dimension> is the file's word, not a fact
        cells = 0
        rows = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except (SyntaxError, ValueError, KeyError) as exc:  # ElementTree's ParseError
                raise ImportFileInvalid(f"the sheet is not valid XLSX XML: {exc}") from exc
            cells += len(row)
            if cells > MAX_CELLS:
                raise ImportFileInvalid(f"the sheet holds more than {MAX_CELLS} cells")
            yield [_cell(v) for v in row]
    finally:
        wb.close()


def read_records(data: bytes, fmt: FileFormat, mapping: Mapping[str, str] | None = None,
                 ) -> tuple[HeaderMap, Iterator[tuple[int, dict[str, Any]]]]:
    """Header map and an iterator of ``(row number, {field: raw value})``; blank rows skipped."""
    if fmt is FileFormat.JSON:
        raise ImportFileInvalid("JSON is an export format; import CSV or XLSX")
    rows = _xlsx_rows(data) if fmt is FileFormat.XLSX else _csv_rows(data)
    try:
        headers = next(rows)
    except StopIteration:
        raise ImportFileInvalid("the file is empty") from None
    except csv.Error as exc:
        raise ImportFileInvalid(f"not a readable CSV file: {exc}") from exc
    hm = map_headers([str(h) if h is not None else "" for h in headers], mapping)

    def records() -> Iterator[tuple[int, dict[str, Any]]]:
        number = 1
        try:
            for cells in rows:
                number += 1
                if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                    continue
                rec: dict[str, Any] = {}
                for i, name in hm.by_index.items():
                    rec[name] = cells[i] if i < len(cells) else None
                trans: dict[str, dict[str, str]] = {}
                for i, (lang, key) in hm.translations.items():
                    if i < len(cells) and cells[i] not in (None, ""):
                        trans.setdefault(lang, {})[key] = str(cells[i])
                if trans:
                    rec["translations"] = trans
                yield number, rec
        except csv.Error as exc:
            raise ImportFileInvalid(f"row {number}: {exc}") from exc

    return hm, records()


def _flat(value: Any) -> Any:
    """A product value as one spreadsheet cell."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def write_table(records: Iterable[Mapping[str, Any]], fields: Sequence[str],
                fmt: FileFormat) -> bytes:
    """Write records (wire-named values) as CSV, XLSX or JSON bytes."""
    if fmt is FileFormat.JSON:
        rows = [{f: r.get(f) for f in fields} for r in records]
        return json.dumps(rows, ensure_ascii=False, default=str).encode()
    if fmt is FileFormat.CSV:
        buf = io.StringIO(newline="")
        writer = csv.writer(buf)
        writer.writerow(fields)
        for r in records:
            writer.writerow([_flat(r.get(f)) for f in fields])
        return buf.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook  # a heavy import, needed only for XLSX exports

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("products")
    ws.append(list(fields))
    for r in records:
        ws.append([_flat(r.get(f)) for f in fields])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
