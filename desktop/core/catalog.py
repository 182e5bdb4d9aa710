"""Catalog value objects: products as the till sells them and as sync/CSV deliver them.

``ProductRecord`` is the write shape (bulk load, sync upsert, CSV) and carries barcodes;
``Product`` is the read shape a lookup returns. Prices are gross minor units (shelf prices).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from desktop.core.errors import InvalidCatalogData
from desktop.core.quantity import Unit

__all__ = [
    "Category",
    "ImportResult",
    "Product",
    "ProductRecord",
    "ScanKind",
    "ScanResult",
    "could_be_barcode",
    "could_be_sku",
    "fold_text",
    "search_alt_text",
    "search_terms",
    "strip_apostrophes",
]

_APOSTROPHES = re.compile("['’ʼ`´‘]")
_SKU = re.compile(r"^[\w.\-/]{1,64}$")
_CODE = re.compile(r"^[0-9A-Za-z.\-]{1,64}$")
_MAX_PRICE = 99_999_999_99


def could_be_barcode(text: str) -> bool:
    """Could ``text`` be a stored barcode (one ``ProductRecord.validate`` accepts)? Search
    skips the lookup for words that cannot."""
    return _CODE.match(text) is not None


def could_be_sku(text: str) -> bool:
    """Could ``text`` be a stored SKU (one ``ProductRecord.validate`` accepts)?"""
    return _SKU.match(text) is not None


def strip_apostrophes(text: str) -> str:
    """``м'ясо`` / ``мʼясо`` → ``мясо``: Ukrainian words are searched without apostrophes."""
    return _APOSTROPHES.sub("", text) if _APOSTROPHES.search(text) else text


def fold_text(text: str) -> str:
    """Case-fold and strip diacritics in Python (``Șosete`` → ``sosete``, ``ХЛІБ`` → ``хлiб``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_TERM = re.compile(r"[^\W_]+")


def search_terms(query: str, *, fold: bool = False) -> list[str]:
    """Words of a search query as the index sees them (apostrophes dropped, case folded)."""
    text = strip_apostrophes(query)
    text = fold_text(text) if fold else text.casefold()
    return _TERM.findall(text)


def search_alt_text(name: str, names: Mapping[str, str] | None, *,
                    fold: bool = False) -> str | None:
    """Extra text indexed beside the name: translations and apostrophe-free spellings.

    ``fold`` adds case-folded copies, for SQLite builds whose tokenizer does not fold Cyrillic.
    ``None`` when the name alone is enough (most products: no extra storage).
    """
    if not names and not fold and not _APOSTROPHES.search(name):
        return None
    parts: list[str] = []
    bare = strip_apostrophes(name)
    if bare != name:
        parts.append(bare)
    for text in (names or {}).values():
        if text and text != name:
            parts.append(text)
            t_bare = strip_apostrophes(text)
            if t_bare != text:
                parts.append(t_bare)
    if fold:
        parts = [fold_text(p) for p in (name, *parts)]
    return " ".join(parts) if parts else None


@dataclass(frozen=True)
class Product:
    """A product as the till sells it (read shape)."""

    id: int
    sku: str
    name: str
    unit: Unit
    price: int
    vat_group: str
    excise: bool = False
    code: str | None = None
    """UKTZED (UA) or NC/CN (RO) classification code, printed by some fiscal devices."""
    age_restricted: bool = False
    active: bool = True
    category: str | None = None
    plu: str | None = None
    """Item code shop scales print into weighted barcodes."""
    names: Mapping[str, str] = field(default_factory=dict)

    def display_name(self, lang: str | None) -> str:
        """The name in ``lang`` when a translation exists, else the main name."""
        if lang and lang in self.names:
            return self.names[lang]
        return self.name


@dataclass(frozen=True)
class ProductRecord:
    """A product to create or replace, keyed by SKU (sync upsert, bulk load, CSV row)."""

    sku: str
    name: str
    price: int
    vat_group: str
    unit: Unit = Unit.PCS
    barcodes: tuple[str, ...] = ()
    excise: bool = False
    code: str | None = None
    age_restricted: bool = False
    active: bool = True
    category: str | None = None
    plu: str | None = None
    names: Mapping[str, str] = field(default_factory=dict)

    def validate(self, vat_groups: frozenset[str] | None = None) -> None:
        """Raise ``InvalidCatalogData`` naming the first bad field (fast path when all good:
        bulk loads validate a million records)."""
        name, price, plu, code = self.name, self.price, self.plu, self.code
        if (type(self.sku) is str and _SKU.match(self.sku) is not None
                and type(name) is str and 0 < len(name) <= 256 and not name.isspace()
                and type(price) is int and 0 <= price <= _MAX_PRICE
                and type(self.unit) is Unit
                and (vat_groups is None or self.vat_group in vat_groups)
                and (plu is None or (plu.isdigit() and len(plu) <= 8))
                and (code is None or len(code) <= 32)):
            for barcode in self.barcodes:
                if type(barcode) is not str or _CODE.match(barcode) is None:
                    break
            else:
                return
        self._explain(vat_groups)

    def _explain(self, vat_groups: frozenset[str] | None) -> None:
        def bad(f: str, why: str) -> InvalidCatalogData:
            return InvalidCatalogData(f"product {self.sku!r}: {f} {why}", field=f,
                                      details={"sku": self.sku, "field": f})
        if not isinstance(self.sku, str) or not _SKU.match(self.sku):
            raise bad("sku", "must be 1-64 letters, digits or . - _ /")
        if not isinstance(self.name, str) or not self.name.strip() or len(self.name) > 256:
            raise bad("name", "must be 1-256 characters")
        if isinstance(self.price, bool) or not isinstance(self.price, int) or self.price < 0:
            raise bad("price", "must be int minor units >= 0")
        if self.price > _MAX_PRICE:
            raise bad("price", "is too large")
        if not isinstance(self.unit, Unit):
            raise bad("unit", "must be one of pcs, kg, l, m")
        if vat_groups is not None and self.vat_group not in vat_groups:
            raise bad("vat_group", f"must be one of {', '.join(sorted(vat_groups))}")
        for barcode in self.barcodes:
            if not isinstance(barcode, str) or not _CODE.match(barcode):
                raise bad("barcodes", f"has an invalid code {barcode!r}")
        if self.plu is not None and not (self.plu.isdigit() and len(self.plu) <= 8):
            raise bad("plu", "must be up to 8 digits")
        if self.code is not None and len(self.code) > 32:
            raise bad("code", "must be at most 32 characters")
        raise bad("record", "is invalid")


@dataclass(frozen=True)
class Category:
    """A product category (code is the stable key used by products and sync)."""

    code: str
    name: str
    parent: str | None = None


class ScanKind(StrEnum):
    """How a scanned code was resolved."""

    BARCODE = "barcode"
    """An exact product barcode."""
    WEIGHT = "weight"
    """A scale barcode carrying the weight."""
    PRICE = "price"
    """A scale barcode carrying the price of the item."""


@dataclass(frozen=True)
class ScanResult:
    """What a scanned code means: the product, and for scale labels the weight or price."""

    product: Product
    code: str
    kind: ScanKind = ScanKind.BARCODE
    quantity: Decimal | None = None
    """Weight (kg) read from a weight label."""
    fixed_gross: int | None = None
    """Amount printed on a price label: the line is one package at exactly this price."""


@dataclass(frozen=True)
class ImportResult:
    """What a bulk load or a CSV import did."""

    inserted: int
    updated: int
    deleted: int = 0
    seconds: float = 0.0
