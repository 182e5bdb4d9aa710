"""Products: create, change, delete (soft, with a tombstone for tills) and read one.

Every write appends the product's new state (or a tombstone) to the change feed in the same
transaction. Stock given at creation becomes a movement in the ledger. Validation happens before
the first write, so a bad request never leaves half a product behind.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from cloud.db import insert_on_conflict
from cloud.models.catalog import Category, Product, ProductBarcode, ProductEmbedding
from cloud.models.stock import StockMovement, StockReservation, StockReservationItem
from cloud.services import feed
from cloud.services.catalog import records
from cloud.services.catalog.errors import (
    CatalogError,
    DuplicateBarcode,
    DuplicateSku,
    FieldError,
    ProductDeleted,
    ProductInvalid,
    ProductNotFound,
)
from cloud.services.catalog.settings import Policy, policy, validation_context
from cloud.services.catalog.validation import (
    CREATE_REQUIRED,
    FIELDS,
    barcode_kind,
    validate_fields,
)
from cloud.services.stock.levels import Actor, Reference, adjust
from shared.ids import uuid7

__all__ = [
    "Actor",
    "barcodes_of",
    "create_product",
    "delete_product",
    "ensure_categories",
    "get_product",
    "replace_barcodes",
    "update_product",
]


def get_product(session: Session, *, tenant_id: uuid.UUID, product_id: uuid.UUID,
                include_deleted: bool = False) -> Product:
    product = session.scalar(select(Product).where(Product.tenant_id == tenant_id,
                                                   Product.id == product_id))
    if product is None:
        raise ProductNotFound()
    if product.deleted_at is not None and not include_deleted:
        raise ProductDeleted()
    return product


def barcodes_of(session: Session, tenant_id: uuid.UUID,
                product_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    out: dict[uuid.UUID, list[str]] = {pid: [] for pid in product_ids}
    if not product_ids:
        return out
    rows = session.execute(select(ProductBarcode.product_id, ProductBarcode.code)
                           .where(ProductBarcode.tenant_id == tenant_id,
                                  ProductBarcode.product_id.in_(list(product_ids)))
                           .order_by(ProductBarcode.code))
    for pid, code in rows:
        out[pid].append(code)
    return out


def ensure_categories(session: Session, tenant_id: uuid.UUID, names: Iterable[str | None],
                      now: datetime) -> None:
    """Make a category row for every new name (idempotent, race-safe)."""
    wanted = sorted({n for n in names if n})
    if not wanted:
        return
    table = Category.__table__
    session.execute(insert_on_conflict(session, table, index_elements=["tenant_id", "name"]),
                    [{"id": uuid7(), "tenant_id": tenant_id, "name": n, "created_at": now,
                      "updated_at": now} for n in wanted])


def replace_barcodes(session: Session, tenant_id: uuid.UUID, product_id: uuid.UUID,
                     codes: Sequence[str]) -> None:
    """Give the product exactly ``codes``; a code owned by another product is refused."""
    if codes:
        taken = session.execute(select(ProductBarcode.code, ProductBarcode.product_id).where(
            ProductBarcode.tenant_id == tenant_id, ProductBarcode.code.in_(list(codes)),
            ProductBarcode.product_id != product_id)).first()
        if taken is not None:
            raise DuplicateBarcode(f"barcode {taken.code} belongs to another product",
                                   field="barcodes", details={"productId": str(taken.product_id)})
    session.execute(delete(ProductBarcode).where(ProductBarcode.tenant_id == tenant_id,
                                                 ProductBarcode.product_id == product_id))
    for code in codes:
        session.add(ProductBarcode(tenant_id=tenant_id, product_id=product_id, code=code,
                                   kind=barcode_kind(code)))
    session.flush()


def _values(product: Product) -> dict[str, Any]:
    return {c: getattr(product, c) for c in records.COLUMNS}


def _publish(session: Session, product: Product, barcodes: Sequence[str],
             now: datetime) -> None:
    feed.append(session, tenant_id=product.tenant_id, entity_type="product",
                entity_id=product.id, op="upsert",
                payload=records.feed_payload(product.id, _values(product), barcodes), at=now)


def _validate(session: Session, tenant_id: uuid.UUID, data: Mapping[str, Any], now: datetime, *,
              required: tuple[str, ...]) -> tuple[dict[str, Any], Policy]:
    pol = policy(session, tenant_id)
    values, errors = validate_fields(data, validation_context(pol, now), required=required)
    if errors:
        raise ProductInvalid(errors)
    return values, pol


@dataclass(frozen=True)
class Written:
    product: Product
    changed: list[str]
    text_changed: bool


def create_product(session: Session, *, tenant_id: uuid.UUID, data: Mapping[str, Any],
                   actor: Actor, now: datetime) -> Written:
    """Create a product from wire-named ``data``; a soft-deleted SKU is brought back."""
    values, pol = _validate(session, tenant_id, data, now, required=CREATE_REQUIRED)
    barcodes = values.pop("barcodes", None) or []
    stock = values.pop("stock", None)
    values.pop("vat_rate", None)
    row = {**records.defaults(pol.currency), **values}
    # SKUs are one product whatever their case (a unique index on lower(sku) holds it).
    existing = session.scalar(select(Product).where(
        Product.tenant_id == tenant_id, func.lower(Product.sku) == row["sku"].lower()))
    if existing is not None and existing.deleted_at is None:
        taken = "" if existing.sku == row["sku"] else f" (as {existing.sku})"
        raise DuplicateSku(f"a product with SKU {row['sku']} already exists{taken}",
                           field="sku", details={"productId": str(existing.id)})
    if existing is not None:
        product = existing
        for key, value in row.items():
            setattr(product, key, value)
        product.deleted_at = None
        product.created_at = now
    else:
        product = Product(tenant_id=tenant_id, created_by=actor.id, created_at=now, **row)
        session.add(product)
    product.updated_at = now
    product.search_text = records.search_text(row, barcodes)
    session.flush()
    replace_barcodes(session, tenant_id, product.id, barcodes)
    ensure_categories(session, tenant_id, [product.category], now)
    if stock:
        adjust(session, tenant_id=tenant_id, product=product, kind="set", quantity=stock,
               reason="initial stock", reference=Reference("manual", None, "product created"),
               actor=actor, now=now)
    _publish(session, product, barcodes, now)
    return Written(product, sorted(row), True)


def update_product(session: Session, *, tenant_id: uuid.UUID, product_id: uuid.UUID,
                   data: Mapping[str, Any], actor: Actor, now: datetime) -> Written:
    """Apply the wire fields present in ``data``; returns which fields really changed."""
    product = get_product(session, tenant_id=tenant_id, product_id=product_id)
    if "sku" in data and data["sku"] != product.sku:
        raise ProductInvalid([FieldError("sku", "VAL_INVALID_FORMAT", "sku cannot be changed")])
    if "stock" in data:
        raise ProductInvalid([FieldError("stock", "VAL_INVALID_FORMAT",
                                         "change stock with POST /api/v1/stock/{id}/adjust")])
    nullable = {"subcategory", "costPrice", "weight", "dimensions", "description",
                "shortDescription", "customsCode", "ageRestriction"}
    cleared = [k for k, v in data.items() if v is None and k in nullable]
    present = {k: v for k, v in data.items() if v is not None}
    values, _pol = _validate(session, tenant_id, present, now, required=())
    barcodes = values.pop("barcodes", None)
    values.pop("vat_rate", None)
    for wire in cleared:
        values[FIELDS[wire][0]] = None
    changes = records.diff(_values(product), values)
    current_codes = barcodes_of(session, tenant_id, [product.id])[product.id]
    codes_changed = barcodes is not None and sorted(barcodes) != sorted(current_codes)
    if not changes and not codes_changed:
        return Written(product, [], False)
    for key, value in changes.items():
        setattr(product, key, value)
    codes = barcodes if barcodes is not None else current_codes
    if codes_changed:
        replace_barcodes(session, tenant_id, product.id, codes)
    new_text = records.search_text(_values(product), codes)
    text_changed = new_text != product.search_text
    product.search_text = new_text
    product.updated_at = now
    ensure_categories(session, tenant_id, [product.category], now)
    session.flush()
    _publish(session, product, codes, now)
    changed = sorted(changes) + (["barcodes"] if codes_changed else [])
    return Written(product, changed, text_changed)


def delete_product(session: Session, *, tenant_id: uuid.UUID, product_id: uuid.UUID,
                   hard: bool, cascade: bool, now: datetime) -> None:
    """Soft delete (default) or remove the row; either way tills receive a tombstone."""
    product = get_product(session, tenant_id=tenant_id, product_id=product_id,
                          include_deleted=hard)
    held = session.scalar(select(exists().where(
        StockReservationItem.product_id == product.id,
        StockReservationItem.reservation_id == StockReservation.id,
        StockReservation.status == "active", StockReservation.expires_at > now)))
    if held:
        raise CatalogError("Cannot delete product with active negotiations", code="RES_LOCKED",
                           status=409)
    if hard and not cascade:
        has_history = session.scalar(select(exists().where(
            StockMovement.product_id == product.id)))
        if has_history:
            raise CatalogError("The product has stock history; pass cascade=true to delete it",
                               code="RES_LOCKED", status=409)
    tombstone = {"id": str(product.id), "sku": product.sku}
    if hard:
        # The stock ledger has no foreign key (it is written at sale speed): its rows go here.
        session.execute(delete(StockMovement).where(StockMovement.tenant_id == tenant_id,
                                                    StockMovement.product_id == product.id))
        session.delete(product)
    else:
        product.deleted_at = now
        product.updated_at = now
        session.execute(delete(ProductBarcode).where(ProductBarcode.tenant_id == tenant_id,
                                                     ProductBarcode.product_id == product.id))
        session.execute(delete(ProductEmbedding).where(
            ProductEmbedding.tenant_id == tenant_id, ProductEmbedding.product_id == product.id))
    session.flush()
    feed.append(session, tenant_id=tenant_id, entity_type="product", entity_id=product_id,
                op="delete", payload=tombstone, at=now)

