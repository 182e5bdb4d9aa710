"""Products and till users as a till stores them, built from the cloud's current rows.

The cloud keeps net prices (``priceBasis: net``) and per-store overrides; a till sells at the
gross shelf price of its store, so the price a till receives is ``net + VAT`` at the rate of
the product's VAT group valid now in the store's country. Units map to the till's four
(``pcs``, ``kg``, ``l``, ``m``). A product a till cannot sell (unknown VAT group for the
country, a SKU the till cannot store) is sent as a delete, with a log line.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from cloud.models.catalog import Product, ProductBarcode
from cloud.models.stores import StorePrice
from cloud.models.sync import TillUser
from shared.tax import TaxError, rate_for, vat_from_net
from sync.protocol import Change

__all__ = ["StoreView", "count_products", "load_products", "product_change", "product_data",
           "stream_products", "till_unit", "unit_map", "user_change", "users_for"]

log = structlog.get_logger(__name__)

_P, _B, _SP = Product.__table__, ProductBarcode.__table__, StorePrice.__table__
_U = TillUser.__table__
_UNITS = {"pcs": "pcs", "buc": "pcs", "buc.": "pcs", "pc": "pcs", "piece": "pcs", "шт": "pcs",
          "szt": "pcs", "kg": "kg", "кг": "kg", "l": "l", "litru": "l", "л": "l", "m": "m",
          "м": "m"}
_SKU = re.compile(r"^[\w.\-/]{1,64}$")
_CODE = re.compile(r"^[0-9A-Za-z.\-]{1,64}$")
_COLS = (_P.c.id, _P.c.sku, _P.c.name, _P.c.price, _P.c.vat_group, _P.c.unit, _P.c.category,
         _P.c.excise, _P.c.customs_code, _P.c.age_restriction, _P.c.status,
         _P.c.translations, _P.c.deleted_at)


def unit_map() -> dict[str, str]:
    """Cloud unit words (lower case) and the till unit each stands for (others: ``pcs``)."""
    return dict(_UNITS)


def till_unit(unit: str | None) -> str:
    return _UNITS.get((unit or "").strip().lower(), "pcs")


@dataclass
class StoreView:
    """One store's pricing context at one moment."""

    tenant_id: uuid.UUID
    store_id: uuid.UUID
    country: str
    now: datetime
    overrides: dict[uuid.UUID, int]

    @classmethod
    def load(cls, session: Session, *, tenant_id: uuid.UUID, store_id: uuid.UUID,
             country: str, now: datetime,
             product_ids: Sequence[uuid.UUID] | None = None) -> StoreView:
        stmt = select(_SP.c.product_id, _SP.c.price, _SP.c.starts_at, _SP.c.ends_at).where(
            _SP.c.tenant_id == tenant_id, _SP.c.store_id == store_id)
        if product_ids is not None:
            stmt = stmt.where(_SP.c.product_id.in_(list(product_ids)))
        overrides = {r.product_id: r.price for r in session.execute(stmt)
                     if (r.starts_at is None or r.starts_at <= now)
                     and (r.ends_at is None or now < r.ends_at)}
        return cls(tenant_id, store_id, country, now, overrides)

    def gross(self, product_id: uuid.UUID, net: int, group: str) -> int | None:
        net = self.overrides.get(product_id, net)
        try:
            return net + vat_from_net(net, rate_for(self.country, group, self.now))
        except TaxError:
            return None


def product_data(row: Any, barcodes: Iterable[str], view: StoreView) -> dict[str, Any] | None:
    """The till's product record for a live row; None when a till cannot sell it."""
    price = view.gross(row.id, row.price, row.vat_group)
    if price is None or not _SKU.match(row.sku):
        log.warning("sync_product_not_for_tills", sku=row.sku, vat_group=row.vat_group,
                    country=view.country)
        return None
    names = {lang: t["name"] for lang, t in (row.translations or {}).items()
             if isinstance(t, dict) and t.get("name")}
    return {"sku": row.sku, "name": row.name[:256], "price": price, "vat_group": row.vat_group,
            "unit": till_unit(row.unit), "barcodes": sorted(c for c in barcodes
                                                             if _CODE.match(c)),
            "excise": bool(row.excise), "code": row.customs_code,
            "age_restricted": bool(row.age_restriction), "active": row.status == "active",
            "category": row.category, "names": names}


def product_change(row: Any, barcodes: Iterable[str], view: StoreView) -> Change:
    """The till's upsert (or delete) for one product row."""
    data = None if row.deleted_at is not None else product_data(row, barcodes, view)
    if data is None:
        return Change(kind="product", op="delete", key=row.sku)
    return Change(kind="product", op="upsert", key=row.sku, data=data)


def _barcodes(session: Session, tenant_id: uuid.UUID,
              ids: Sequence[uuid.UUID] | None) -> dict[uuid.UUID, list[str]]:
    stmt = select(_B.c.product_id, _B.c.code).where(_B.c.tenant_id == tenant_id)
    if ids is not None:
        stmt = stmt.where(_B.c.product_id.in_(list(ids)))
    out: dict[uuid.UUID, list[str]] = {}
    for pid, code in session.execute(stmt):
        out.setdefault(pid, []).append(code)
    return out


def load_products(session: Session, view: StoreView,
                  ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Change]:
    """Current till changes for ``ids`` (ids with no row at all are left out)."""
    if not ids:
        return {}
    rows = session.execute(select(*_COLS).where(_P.c.tenant_id == view.tenant_id,
                                                _P.c.id.in_(list(ids)))).all()
    codes = _barcodes(session, view.tenant_id, ids)
    return {r.id: product_change(r, codes.get(r.id, ()), view) for r in rows}


def stream_products(session: Session, view: StoreView, *,
                    chunk: int = 5000) -> Iterator[dict[str, Any]]:
    """Every live product of the tenant as till records, streamed from a server-side cursor."""
    codes = _barcodes(session, view.tenant_id, None)
    stmt = (select(*_COLS).where(_P.c.tenant_id == view.tenant_id, _P.c.deleted_at.is_(None))
            .order_by(_P.c.id).execution_options(yield_per=chunk))
    for row in session.execute(stmt):
        data = product_data(row, codes.get(row.id, ()), view)
        if data is not None:
            yield data


def count_products(session: Session, tenant_id: uuid.UUID) -> int:
    return session.scalar(select(func.count()).select_from(_P).where(
        _P.c.tenant_id == tenant_id, _P.c.deleted_at.is_(None))) or 0


def user_change(row: Any, store_id: uuid.UUID) -> Change:
    """A till user as the till stores it (with the PIN hash), or its tombstone."""
    if (row.deleted_at is not None or not row.active
            or (row.store_id is not None and row.store_id != store_id)):
        return Change(kind="till_user", op="delete", key=str(row.id),
                      data={"login": row.login})
    return Change(kind="till_user", op="upsert", key=str(row.id), data={
        "id": str(row.id), "login": row.login, "name": row.name, "role": row.role,
        "pin_hash": row.pin_hash})


def users_for(session: Session, *, tenant_id: uuid.UUID, store_id: uuid.UUID,
              ids: Sequence[uuid.UUID] | None = None) -> list[Change]:
    """Till users of the store (``ids`` None: every live one, for a snapshot)."""
    stmt = select(_U).where(_U.c.tenant_id == tenant_id)
    if ids is None:
        stmt = stmt.where(_U.c.deleted_at.is_(None), _U.c.active.is_(True),
                          or_(_U.c.store_id.is_(None), _U.c.store_id == store_id))
    else:
        stmt = stmt.where(_U.c.id.in_(list(ids)))
    return [user_change(r, store_id) for r in session.execute(stmt.order_by(_U.c.login))]
