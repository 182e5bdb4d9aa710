"""Where product labels get their data: a small port the till core's catalog plugs into."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from desktop.devices.protocols.escpos.barcode import ean13_check_digit
from desktop.store import SqliteStorage

__all__ = ["CoreCatalog", "LabelProduct", "ProductCatalog", "StaticCatalog", "TillStoreCatalog"]


@dataclass(frozen=True)
class LabelProduct:
    """The product facts a label needs."""

    id: str
    name: str
    price: int
    currency: str = "UAH"
    barcode: str | None = None
    sku: str | None = None
    unit: str | None = None  # "kg" | "l" | "pcs"
    unit_quantity: Decimal | None = None
    qr: str | None = None


class ProductCatalog(Protocol):
    def label_product(self, product_id: str) -> LabelProduct | None: ...


class StaticCatalog:
    """An in-memory catalog (demo, tests, and tills without a local product store)."""

    def __init__(self, products: Iterable[LabelProduct] = ()) -> None:
        self._products = {p.id: p for p in products}

    def add(self, product: LabelProduct) -> None:
        self._products[product.id] = product

    def label_product(self, product_id: str) -> LabelProduct | None:
        return self._products.get(product_id)


class CoreCatalog:
    """Labels from the till core's catalog: anything with the ``Storage`` port's lookups
    (``product_by_sku``, ``find_by_barcode``, ``barcodes_of``). ``productId`` is a SKU or a
    barcode; the first valid EAN-13 of the product goes on the label."""

    def __init__(self, storage: Any, *, currency: str) -> None:
        self.storage = storage
        self.currency = currency

    def label_product(self, product_id: str) -> LabelProduct | None:
        p = self.storage.product_by_sku(product_id) or self.storage.find_by_barcode(product_id)
        if p is None or not p.active:
            return None
        codes = list(self.storage.barcodes_of(p.id))
        ean = [c for c in codes if len(c) == 13 and c.isdigit()
               and ean13_check_digit(c[:12]) == c[12]]
        unit = getattr(p.unit, "value", str(p.unit))
        return LabelProduct(id=product_id, name=p.name, price=p.price, currency=self.currency,
                            barcode=(ean or codes or [None])[0], sku=p.sku,
                            unit=unit if unit in ("kg", "l") else None)


class TillStoreCatalog:
    """``CoreCatalog`` over the till store file, opened on the first lookup (the hardware
    service may start before the store exists; a till without one has no products)."""

    def __init__(self, path: Path, *, currency: str) -> None:
        self.path = Path(path)
        self.currency = currency
        self._inner: CoreCatalog | None = None
        self._lock = threading.Lock()

    def label_product(self, product_id: str) -> LabelProduct | None:
        with self._lock:
            if self._inner is None:
                if not self.path.exists():
                    return None
                self._inner = CoreCatalog(SqliteStorage(self.path), currency=self.currency)
        return self._inner.label_product(product_id)

    def close(self) -> None:
        with self._lock:
            if self._inner is not None:
                self._inner.storage.close()
                self._inner = None
