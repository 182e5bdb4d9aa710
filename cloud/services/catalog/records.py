"""Product rows as plain values: defaults, the full-text input, diffs and the till payload.

Both write paths (one product through the ORM, thousands through an import's Core statements)
build rows with these helpers, so a product looks the same in the database and in the change
feed whichever way it arrived.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

__all__ = [
    "COLUMNS",
    "defaults",
    "diff",
    "feed_payload",
    "search_text",
]

# Product columns a client or an import may set (stored names).
COLUMNS: tuple[str, ...] = (
    "sku", "name", "description", "short_description", "category", "subcategory", "price",
    "currency", "vat_group", "cost_price", "unit", "weight", "dimensions", "min_stock",
    "reorder_point", "specifications", "tags", "status", "excise", "customs_code",
    "age_restriction", "translations",
)
_SEARCH_DESCRIPTION_CHARS = 1000


def defaults(currency: str) -> dict[str, Any]:
    """Values a new product gets for the columns the request left out."""
    return {
        "description": None, "short_description": None, "category": None, "subcategory": None,
        "currency": currency, "cost_price": None, "weight": None, "dimensions": None,
        "min_stock": Decimal(0), "reorder_point": Decimal(0), "specifications": {}, "tags": [],
        "status": "active", "excise": False, "customs_code": None, "age_restriction": None,
        "translations": {},
    }


def search_text(values: Mapping[str, Any], barcodes: Iterable[str]) -> str:
    """What the full-text index sees: names (all languages), codes, category, tags, text."""
    parts: list[str] = [values.get("name") or "", values.get("sku") or ""]
    parts += [values.get(k) or "" for k in ("category", "subcategory", "short_description")]
    parts += list(values.get("tags") or [])
    parts += list(barcodes)
    for texts in (values.get("translations") or {}).values():
        parts += [texts.get("name") or "", texts.get("shortDescription") or ""]
    parts.append((values.get("description") or "")[:_SEARCH_DESCRIPTION_CHARS])
    return " ".join(p for p in parts if p)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        try:
            return Decimal(a) == Decimal(b)
        except (TypeError, ValueError, ArithmeticError):
            return False
    return bool(a == b)


def diff(current: Mapping[str, Any], incoming: Mapping[str, Any]) -> dict[str, Any]:
    """The incoming column values that differ from the current ones."""
    return {k: v for k, v in incoming.items() if k in COLUMNS and not _same(current.get(k), v)}


def feed_payload(product_id: uuid.UUID, values: Mapping[str, Any],
                 barcodes: Iterable[str]) -> dict[str, Any]:
    """The product as a till needs it (money in minor units, VAT as a group, not a rate)."""
    return {
        "id": str(product_id),
        "sku": values["sku"],
        "name": values["name"],
        "translations": values.get("translations") or {},
        "category": values.get("category"),
        "price": values["price"],
        "currency": values["currency"],
        "priceBasis": "net",
        "vatGroup": values["vat_group"],
        "unit": values["unit"],
        "barcodes": sorted(barcodes),
        "excise": bool(values.get("excise")),
        "customsCode": values.get("customs_code"),
        "ageRestriction": values.get("age_restriction"),
        "status": values.get("status") or "active",
    }
