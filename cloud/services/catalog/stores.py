"""Stores, tills and per-store prices: the configuration enrollment and sync hand to tills.

Every change is appended to the change feed (``store``, ``till``, ``store_price``; deletes as
tombstones). Creating a store also creates its stock location.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cloud.models.catalog import Product
from cloud.models.stock import StockLocation
from cloud.models.stores import Store, StorePrice, Till
from cloud.schemas.common import OffsetPagination, PageParams
from cloud.services import feed
from cloud.services.catalog.errors import CatalogError, FieldError, ProductInvalid
from cloud.services.pagination import paginate
from shared.money import CURRENCIES
from shared.tax import VAT_TABLES

__all__ = ["StoreNotFound", "TillNotFound", "cui_valid", "delete_price", "delete_store",
           "delete_till", "get_store", "get_till", "list_prices", "list_stores", "list_tills",
           "save_store", "save_till", "set_prices"]

_DEFAULT_CURRENCY = {"RO": "RON", "UA": "UAH"}
_CUI_KEY = "753217532"


class StoreNotFound(CatalogError):
    """Store not found."""

    code = "RES_NOT_FOUND"


class TillNotFound(CatalogError):
    """Till not found."""

    code = "RES_NOT_FOUND"


def cui_valid(value: str) -> bool:
    """Romanian CUI/CIF check digit (optionally prefixed ``RO``)."""
    digits = value.upper().removeprefix("RO").strip()
    if not digits.isdigit() or not 2 <= len(digits) <= 10:
        return False
    body, check = digits[:-1], int(digits[-1])
    key = _CUI_KEY[-len(body):]
    total = sum(int(d) * int(k) for d, k in zip(body, key, strict=True))
    return (total * 10) % 11 % 10 == check


def _check_store(data: Mapping[str, Any]) -> None:
    errors: list[FieldError] = []
    country = data.get("country")
    if country is not None and country not in VAT_TABLES:
        errors.append(FieldError("country", "VAL_INVALID_ENUM",
                                 f"country must be one of {', '.join(sorted(VAT_TABLES))}"))
    tz = data.get("timezone")
    if tz is not None:
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            errors.append(FieldError("timezone", "VAL_INVALID_FORMAT",
                                     f"{tz!r} is not an IANA time zone"))
    currency = data.get("currency")
    if currency is not None and currency not in CURRENCIES:
        errors.append(FieldError("currency", "VAL_INVALID_ENUM",
                                 f"currency must be one of {', '.join(sorted(CURRENCIES))}"))
    ids = data.get("fiscal_ids") or {}
    if ids.get("cui") and not cui_valid(str(ids["cui"])):
        errors.append(FieldError("fiscalIds.cui", "VAL_CUI_INVALID", "Invalid CUI format"))
    if ids.get("edrpou") and not re.fullmatch(r"[0-9]{8}", str(ids["edrpou"])):
        errors.append(FieldError("fiscalIds.edrpou", "VAL_INVALID_FORMAT",
                                 "EDRPOU is 8 digits"))
    if ids.get("ipn") and not re.fullmatch(r"[0-9]{10}|[0-9]{12}", str(ids["ipn"])):
        errors.append(FieldError("fiscalIds.ipn", "VAL_INVALID_FORMAT", "IPN is 10 or 12 digits"))
    if errors:
        raise ProductInvalid(errors)


def _store_payload(s: Store) -> dict[str, Any]:
    return {"id": str(s.id), "code": s.code, "name": s.name, "address": s.address,
            "country": s.country, "timezone": s.timezone, "currency": s.currency,
            "fiscalIds": s.fiscal_ids, "settings": s.settings, "status": s.status}


def _till_payload(t: Till) -> dict[str, Any]:
    return {"id": str(t.id), "storeId": str(t.store_id), "code": t.code, "name": t.name,
            "fiscalDevice": t.fiscal_device, "printers": t.printers, "settings": t.settings,
            "status": t.status}


def get_store(session: Session, tenant_id: uuid.UUID, store_id: uuid.UUID) -> Store:
    store = session.scalar(select(Store).where(Store.tenant_id == tenant_id,
                                               Store.id == store_id, Store.deleted_at.is_(None)))
    if store is None:
        raise StoreNotFound()
    return store


def list_stores(*, session: Session, tenant_id: uuid.UUID,
                page: PageParams) -> tuple[list[Store], OffsetPagination]:
    """One page of the tenant's stores (deleted ones left out), by code."""
    stmt = (select(Store).where(Store.tenant_id == tenant_id, Store.deleted_at.is_(None))
            .order_by(Store.code))
    return paginate(session, stmt, page)


def save_store(session: Session, *, tenant_id: uuid.UUID, data: Mapping[str, Any],
               now: datetime, store_id: uuid.UUID | None = None) -> Store:
    """Create (``store_id`` None) or change a store from snake_case ``data``."""
    _check_store(data)
    if store_id is None:
        country = data["country"]
        store = Store(tenant_id=tenant_id, code=data["code"], name=data["name"],
                      address=data.get("address") or {}, country=country,
                      timezone=data["timezone"],
                      currency=data.get("currency") or _DEFAULT_CURRENCY.get(country, "RON"),
                      fiscal_ids=data.get("fiscal_ids") or {}, settings=data.get("settings") or {},
                      status=data.get("status") or "active", created_at=now, updated_at=now)
        try:
            with session.begin_nested():
                session.add(store)
                session.flush()
        except IntegrityError as exc:
            raise CatalogError(f"a store with code {data['code']} already exists",
                               code="VAL_DUPLICATE", field="code") from exc
        session.add(StockLocation(tenant_id=tenant_id, code=f"STORE-{store.code}"[:32],
                                  name=store.name, kind="store", store_id=store.id,
                                  is_default=False, created_at=now, updated_at=now))
    else:
        store = get_store(session, tenant_id, store_id)
        for key, value in data.items():
            if key != "code":
                setattr(store, key, value)
        store.updated_at = now
    session.flush()
    feed.append(session, tenant_id=tenant_id, entity_type="store", entity_id=store.id,
                op="upsert", payload=_store_payload(store), at=now)
    return store


def delete_store(session: Session, *, tenant_id: uuid.UUID, store_id: uuid.UUID,
                 now: datetime) -> None:
    store = get_store(session, tenant_id, store_id)
    store.deleted_at = now
    store.status = "closed"
    for till in session.scalars(select(Till).where(Till.tenant_id == tenant_id,
                                                   Till.store_id == store_id,
                                                   Till.deleted_at.is_(None))):
        till.deleted_at = now
        feed.append(session, tenant_id=tenant_id, entity_type="till", entity_id=till.id,
                    op="delete", payload={"id": str(till.id)}, at=now)
    session.flush()
    feed.append(session, tenant_id=tenant_id, entity_type="store", entity_id=store_id,
                op="delete", payload={"id": str(store_id)}, at=now)


def get_till(session: Session, tenant_id: uuid.UUID, store_id: uuid.UUID,
             till_id: uuid.UUID) -> Till:
    till = session.scalar(select(Till).where(Till.tenant_id == tenant_id, Till.id == till_id,
                                             Till.store_id == store_id,
                                             Till.deleted_at.is_(None)))
    if till is None:
        raise TillNotFound()
    return till


def list_tills(*, session: Session, tenant_id: uuid.UUID, store_id: uuid.UUID,
               page: PageParams) -> tuple[list[Till], OffsetPagination]:
    """One page of a store's tills (deleted ones left out), by code; 404 for another tenant's
    or an unknown store."""
    get_store(session, tenant_id, store_id)
    stmt = (select(Till).where(Till.tenant_id == tenant_id, Till.store_id == store_id,
                               Till.deleted_at.is_(None)).order_by(Till.code))
    return paginate(session, stmt, page)


def save_till(session: Session, *, tenant_id: uuid.UUID, store_id: uuid.UUID,
              data: Mapping[str, Any], now: datetime, till_id: uuid.UUID | None = None) -> Till:
    get_store(session, tenant_id, store_id)
    if till_id is None:
        till = Till(tenant_id=tenant_id, store_id=store_id, code=data["code"], name=data["name"],
                    fiscal_device=data.get("fiscal_device") or {"kind": "none"},
                    printers=data.get("printers") or [], settings=data.get("settings") or {},
                    status=data.get("status") or "active", created_at=now, updated_at=now)
        try:
            with session.begin_nested():
                session.add(till)
                session.flush()
        except IntegrityError as exc:
            raise CatalogError(f"a till with code {data['code']} already exists in this store",
                               code="VAL_DUPLICATE", field="code") from exc
    else:
        till = get_till(session, tenant_id, store_id, till_id)
        for key, value in data.items():
            if key != "code":
                setattr(till, key, value)
        till.updated_at = now
    session.flush()
    feed.append(session, tenant_id=tenant_id, entity_type="till", entity_id=till.id,
                op="upsert", payload=_till_payload(till), at=now)
    return till


def delete_till(session: Session, *, tenant_id: uuid.UUID, store_id: uuid.UUID,
                till_id: uuid.UUID, now: datetime) -> None:
    till = get_till(session, tenant_id, store_id, till_id)
    till.deleted_at = now
    till.status = "retired"
    session.flush()
    feed.append(session, tenant_id=tenant_id, entity_type="till", entity_id=till_id,
                op="delete", payload={"id": str(till_id)}, at=now)


def set_prices(session: Session, *, tenant_id: uuid.UUID, store_id: uuid.UUID,
               prices: list[dict[str, Any]], now: datetime) -> list[StorePrice]:
    """Upsert store prices ``[{product_id, price (minor), starts_at, ends_at}]``."""
    store = get_store(session, tenant_id, store_id)
    ids = [p["product_id"] for p in prices]
    known = set(session.scalars(select(Product.id).where(
        Product.tenant_id == tenant_id, Product.id.in_(ids), Product.deleted_at.is_(None))))
    unknown = [str(i) for i in ids if i not in known]
    if unknown:
        raise ProductInvalid([FieldError("prices", "VAL_REFERENCE_INVALID",
                                         f"unknown products: {', '.join(unknown)}")])
    existing = {sp.product_id: sp for sp in session.scalars(select(StorePrice).where(
        StorePrice.tenant_id == tenant_id, StorePrice.store_id == store_id,
        StorePrice.product_id.in_(ids)))}
    out = []
    for p in prices:
        sp = existing.get(p["product_id"])
        if sp is None:
            sp = StorePrice(tenant_id=tenant_id, store_id=store_id, product_id=p["product_id"],
                            currency=store.currency, created_at=now, price=p["price"])
            session.add(sp)
        sp.price, sp.starts_at, sp.ends_at = p["price"], p.get("starts_at"), p.get("ends_at")
        sp.updated_at = now
        out.append(sp)
    session.flush()
    feed.append_many(session, tenant_id=tenant_id, at=now, entries=[
        ("store_price", sp.id, "upsert",
         {"id": str(sp.id), "storeId": str(store_id), "productId": str(sp.product_id),
          "price": sp.price, "currency": sp.currency, "priceBasis": "net",
          "startsAt": sp.starts_at.isoformat() if sp.starts_at else None,
          "endsAt": sp.ends_at.isoformat() if sp.ends_at else None}) for sp in out])
    return out


def list_prices(session: Session, *, tenant_id: uuid.UUID, store_id: uuid.UUID,
                ) -> list[StorePrice]:
    get_store(session, tenant_id, store_id)
    return list(session.scalars(select(StorePrice).where(
        StorePrice.tenant_id == tenant_id, StorePrice.store_id == store_id)
        .order_by(StorePrice.created_at, StorePrice.id)))


def delete_price(session: Session, *, tenant_id: uuid.UUID, store_id: uuid.UUID,
                 product_id: uuid.UUID, now: datetime) -> None:
    get_store(session, tenant_id, store_id)
    sp = session.scalar(select(StorePrice).where(
        StorePrice.tenant_id == tenant_id, StorePrice.store_id == store_id,
        StorePrice.product_id == product_id))
    if sp is None:
        raise CatalogError("no store price for this product", code="RES_NOT_FOUND")
    session.delete(sp)
    session.flush()
    feed.append(session, tenant_id=tenant_id, entity_type="store_price", entity_id=sp.id,
                op="delete", payload={"id": str(sp.id), "storeId": str(store_id),
                                      "productId": str(product_id)}, at=now)
