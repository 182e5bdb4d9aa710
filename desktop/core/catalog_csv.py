"""Catalog CSV files (``tillbridge-till import-catalog``), streamed row by row.

Header row required; comma or semicolon separated (sniffed), UTF-8 with or without BOM.
Columns (only the first four are required)::

    sku, name, price, vat_group, unit, barcodes, excise, code, age_restricted, active,
    category, plu, name_<lang> (translations, e.g. name_uk, name_ro)

``price`` is a shelf price in the till's currency ("12.50", "12,50"); ``barcodes`` separated by
``|`` or spaces; booleans as 1/0, true/false, yes/no, da/nu, так/ні.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from desktop.core.catalog import ProductRecord
from desktop.core.errors import InvalidCatalogData
from desktop.core.quantity import Unit
from shared.money import MoneyError, parse_amount

__all__ = ["CSV_COLUMNS", "read_catalog_csv", "write_catalog_csv"]

CSV_COLUMNS = ("sku", "name", "price", "vat_group", "unit", "barcodes", "excise", "code",
               "age_restricted", "active", "category", "plu")
_REQUIRED = ("sku", "name", "price", "vat_group")
_TRUE = {"1", "true", "yes", "y", "da", "так", "x"}
_FALSE = {"0", "false", "no", "n", "nu", "ні", ""}
_UNITS = {u.value: u for u in Unit} | {"buc": Unit.PCS, "шт": Unit.PCS, "pc": Unit.PCS,
                                       "кг": Unit.KG, "л": Unit.L, "м": Unit.M}


def _bool(value: str | None, line: int, column: str) -> bool:
    v = (value or "").strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise InvalidCatalogData(f"line {line}: {column} must be yes/no, got {value!r}",
                             field=column, details={"line": line})


def read_catalog_csv(path: Path, *, currency: str) -> Iterator[ProductRecord]:
    """Yield one ``ProductRecord`` per data row; ``InvalidCatalogData`` names the bad line."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        sample = fh.read(8192)
        fh.seek(0)
        try:
            dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(fh, dialect=dialect)
        header = [h.strip().lower() for h in reader.fieldnames or []]
        reader.fieldnames = header
        missing = [c for c in _REQUIRED if c not in header]
        if missing:
            raise InvalidCatalogData(f"CSV lacks columns: {', '.join(missing)}",
                                     details={"missing": missing})
        langs = [h for h in header if h.startswith("name_") and len(h) > 5]
        for row in reader:
            line = reader.line_num
            try:
                unit_text = (row.get("unit") or "pcs").strip().lower()
                if unit_text not in _UNITS:
                    raise InvalidCatalogData(f"line {line}: unknown unit {unit_text!r}",
                                             field="unit", details={"line": line})
                barcodes = tuple(c for c in (row.get("barcodes") or "").replace("|", " ").split()
                                 if c)
                active_text = row.get("active")
                yield ProductRecord(
                    sku=(row.get("sku") or "").strip(),
                    name=(row.get("name") or "").strip(),
                    price=parse_amount((row.get("price") or "").strip(), currency),
                    vat_group=(row.get("vat_group") or "").strip().lower(),
                    unit=_UNITS[unit_text],
                    barcodes=barcodes,
                    excise=_bool(row.get("excise"), line, "excise"),
                    code=(row.get("code") or "").strip() or None,
                    age_restricted=_bool(row.get("age_restricted"), line, "age_restricted"),
                    active=True if active_text in (None, "") else _bool(active_text, line,
                                                                          "active"),
                    category=(row.get("category") or "").strip() or None,
                    plu=(row.get("plu") or "").strip() or None,
                    names={h[5:]: row[h].strip() for h in langs if (row.get(h) or "").strip()},
                )
            except MoneyError as exc:
                raise InvalidCatalogData(f"line {line}: price {row.get('price')!r}: {exc}",
                                         field="price", details={"line": line}) from exc


def write_catalog_csv(path: Path, records: Iterator[ProductRecord] | list[ProductRecord], *,
                      languages: tuple[str, ...] = ()) -> int:
    """Write records in the format :func:`read_catalog_csv` reads (demo data, exports)."""
    n = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([*CSV_COLUMNS, *(f"name_{lang}" for lang in languages)])
        for r in records:
            price = f"{r.price // 100}.{r.price % 100:02d}"
            w.writerow([r.sku, r.name, price, r.vat_group, r.unit.value, "|".join(r.barcodes),
                        int(r.excise), r.code or "", int(r.age_restricted), int(r.active),
                        r.category or "", r.plu or "",
                        *(r.names.get(lang, "") for lang in languages)])
            n += 1
    return n
