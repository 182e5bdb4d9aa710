"""Catalog part of the façade: scan resolution, SKU lookup, search, bulk load and sync."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import structlog

from desktop.core.barcodes import ScaleValue, parse_weighted
from desktop.core.catalog import (
    Category,
    ImportResult,
    Product,
    ProductRecord,
    ScanKind,
    ScanResult,
    could_be_barcode,
    could_be_sku,
)
from desktop.core.catalog_csv import read_catalog_csv
from desktop.core.errors import UnknownBarcode, UnknownProduct
from desktop.core.till_base import TillBase

log = structlog.get_logger(__name__)

__all__ = ["CatalogMixin"]

class CatalogMixin(TillBase):
    """Reading and loading the catalog."""

    def lookup(self, code: str) -> ScanResult:
        """Resolve a scanned code: an exact barcode first, then a scale label (prefix 20–29).

        Raises ``UnknownBarcode`` or ``MalformedWeightedBarcode``. Inactive products are
        returned (the cart refuses them with ``ProductInactive``).
        """
        code = code.strip()
        product = self._storage.find_by_barcode(code) if code else None
        if product is not None:
            return ScanResult(product, code)
        weighted = parse_weighted(code, self._settings.weighted_layouts) if code else None
        if weighted is None:
            raise UnknownBarcode(details={"barcode": code})
        product = self._storage.find_by_plu(weighted.item.lstrip("0") or "0")
        if product is None:
            product = self._storage.find_by_plu(weighted.item)
        if product is None:
            raise UnknownBarcode("no product has this scale item code",
                                 details={"barcode": code, "plu": weighted.item})
        if weighted.value is ScaleValue.WEIGHT:
            return ScanResult(product, code, ScanKind.WEIGHT, quantity=weighted.quantity)
        # A price label is one pre-packed item at its printed price (quantity 1), so that
        # price × quantity is exactly the line amount, as fiscal devices require.
        return ScanResult(product, code, ScanKind.PRICE, fixed_gross=weighted.amount)

    def product(self, sku: str) -> Product:
        """A product by SKU (active or not); ``UnknownProduct`` when absent."""
        product = self._storage.product_by_sku(sku)
        if product is None:
            raise UnknownProduct(details={"sku": sku})
        return product

    def barcodes(self, sku: str) -> list[str]:
        return self._storage.barcodes_of(self.product(sku).id)

    def search(self, query: str, limit: int = 20) -> list[Product]:
        """Active products for a search box, best match first (at most ``limit``, 1–200).

        1. the product whose barcode, SKU or scale PLU is exactly the query;
        2. names starting with the query (``lap`` → ``Lapte 1,5%``), then names with a later
           word starting with it (``Ciocolată cu lapte``);
        3. the other matches (translations; several words in any order, by FTS5 relevance).
        Ties go by name, then SKU. Every word must match as a word prefix; diacritics-
        (``sosete`` finds ``Șosete``), case- (Latin and Cyrillic) and apostrophe-insensitive
        (``мясо`` finds ``м'ясо``). Names starting with the query are read in full; the later
        tiers are ranked among the first matches of a big catalog (the store's bound).
        """
        limit = max(1, min(limit, 200))
        text = query.strip()
        found: list[Product] = []
        if text:
            for hit in self._exact_hits(text):
                if hit is not None and hit.active and all(hit.id != f.id for f in found):
                    found.append(hit)
        if len(found) >= limit:
            return found[:limit]
        seen = {p.id for p in found}
        for p in self._storage.search_products(text, limit):
            if p.id not in seen:
                found.append(p)
        return found[:limit]

    def _exact_hits(self, text: str) -> Iterator[Product | None]:
        """Products whose code is exactly ``text``: barcode, SKU, scale PLU."""
        if could_be_barcode(text):
            yield self._storage.find_by_barcode(text)
        if could_be_sku(text):
            yield self._storage.product_by_sku(text)
        if text.isdigit() and len(text) <= 8:
            yield self._storage.find_by_plu(text)

    def catalog_size(self) -> int:
        return self._storage.catalog_count()

    def categories(self) -> list[Category]:
        return self._storage.categories()

    def import_catalog(self, records: Iterable[ProductRecord], *,
                       replace: bool = False) -> ImportResult:
        """Bulk load: replace the catalog (or fill an empty one) in one transaction, else
        upsert by SKU in batches. Invalid data raises ``InvalidCatalogData``; with ``replace``
        nothing changes then."""
        result = self._storage.load_catalog(self._validated(records), replace=replace)
        log.info("catalog_loaded", inserted=result.inserted, updated=result.updated,
                 seconds=round(result.seconds, 2), replace=replace)
        return result

    def _validated(self, records: Iterable[ProductRecord]) -> Iterator[ProductRecord]:
        groups = self._settings.vat_groups
        for rec in records:
            rec.validate(groups)
            yield rec

    def import_catalog_csv(self, path: Path | str, *, replace: bool = False) -> ImportResult:
        """Load a CSV export (see ``desktop.core.catalog_csv`` for the columns)."""
        return self.import_catalog(read_catalog_csv(Path(path), currency=self._settings.currency),
                                   replace=replace)

    def apply_catalog_changes(self, upserts: Sequence[ProductRecord], deletes: Sequence[str] = (),
                              *, cursor: str | None = None,
                              categories: Sequence[Category] = ()) -> ImportResult:
        """Apply one page of the cloud's catalog feed (upserts by SKU, tombstones by SKU) and
        store ``cursor`` in the same transaction, so a crash never skips or repeats a page."""
        checked = list(self._validated(upserts))
        return self._storage.apply_catalog_changes(checked, deletes, cursor=cursor,
                                                   categories=categories)

    def catalog_cursor(self) -> str | None:
        """The feed cursor stored with the last applied page (``None`` before the first)."""
        return self._storage.catalog_cursor()
