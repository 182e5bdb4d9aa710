"""Where product labels get their data: a small port the till core's catalog plugs into."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

__all__ = ["LabelProduct", "ProductCatalog", "StaticCatalog"]


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
