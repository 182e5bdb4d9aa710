"""The product list of seed 001 §3.1: every filter and sort, with stock and embedding state."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from cloud.models.catalog import Product, ProductEmbedding
from cloud.services.search.fulltext import match_clause
from cloud.services.stock.queries import totals_subquery, zero_if_null

__all__ = ["SORTS", "ProductQuery", "ProductRow", "list_products", "matching_ids",
           "product_rows"]

SORTS = ("name", "sku", "price", "stock", "createdAt")


@dataclass(frozen=True)
class ProductQuery:
    search: str | None = None
    category: str | None = None
    status: str | None = None
    min_price: int | None = None  # minor units
    max_price: int | None = None
    in_stock: bool | None = None
    has_embedding: bool | None = None
    sort: str = "createdAt"
    order: str = "asc"
    ids: tuple[uuid.UUID, ...] | None = None


@dataclass(frozen=True)
class ProductRow:
    product: Product
    on_hand: Decimal
    reserved: Decimal
    indexed_at: datetime | None

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved

    @property
    def has_embedding(self) -> bool:
        return self.indexed_at is not None


def _statement(session: Session, tenant_id: uuid.UUID, q: ProductQuery) -> Select[Any]:
    t = totals_subquery(tenant_id, product_ids=list(q.ids) if q.ids is not None else None)
    on_hand, reserved = zero_if_null(t.c.on_hand), zero_if_null(t.c.reserved)
    emb = ProductEmbedding.__table__
    stmt = (select(Product, on_hand.label("on_hand"), reserved.label("reserved"),
                   emb.c.indexed_at)
            .outerjoin(t, t.c.product_id == Product.id)
            .outerjoin(emb, emb.c.product_id == Product.id)
            .where(Product.tenant_id == tenant_id, Product.deleted_at.is_(None)))
    if q.search:
        clause = match_clause(session, q.search, require_all=True)
        if clause is not None:
            stmt = stmt.where(clause)
    if q.category:
        stmt = stmt.where(Product.category == q.category)
    if q.status:
        stmt = stmt.where(Product.status == q.status)
    if q.min_price is not None:
        stmt = stmt.where(Product.price >= q.min_price)
    if q.max_price is not None:
        stmt = stmt.where(Product.price <= q.max_price)
    zero = zero_if_null(None)
    if q.in_stock is True:
        stmt = stmt.where(on_hand - reserved > zero)
    elif q.in_stock is False:
        stmt = stmt.where(on_hand - reserved <= zero)
    if q.has_embedding is True:  # the embedding table is outer-joined above
        stmt = stmt.where(emb.c.indexed_at.is_not(None))
    elif q.has_embedding is False:
        stmt = stmt.where(emb.c.indexed_at.is_(None))
    if q.ids is not None:
        stmt = stmt.where(Product.id.in_(list(q.ids)))
    if q.ids is not None:
        return stmt  # callers order these themselves; no ORDER BY lets the planner use the PK
    key: Any = {"name": Product.name, "sku": Product.sku, "price": Product.price,
                "stock": on_hand - reserved, "createdAt": Product.created_at}[q.sort]
    key = key.desc() if q.order == "desc" else key.asc()
    return stmt.order_by(key, Product.id)


def list_products(session: Session, *, tenant_id: uuid.UUID, q: ProductQuery, page: int,
                  limit: int) -> tuple[list[ProductRow], int]:
    stmt = _statement(session, tenant_id, q)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = session.execute(stmt.limit(limit).offset((page - 1) * limit)).all()
    return [ProductRow(p, oh, rs, at) for p, oh, rs, at in rows], total


def product_rows(session: Session, *, tenant_id: uuid.UUID,
                 ids: list[uuid.UUID]) -> dict[uuid.UUID, ProductRow]:
    """The list-item view of specific products (search results), live ones only."""
    if not ids:
        return {}
    stmt = _statement(session, tenant_id, ProductQuery(ids=tuple(ids)))
    return {p.id: ProductRow(p, oh, rs, at) for p, oh, rs, at in session.execute(stmt).all()}


def matching_ids(session: Session, *, tenant_id: uuid.UUID, ids: list[uuid.UUID],
                 q: ProductQuery) -> set[uuid.UUID]:
    """Which of ``ids`` are live and pass the filters of ``q`` (ids only: no row loading)."""
    if not ids:
        return set()
    base = _statement(session, tenant_id, replace(q, ids=tuple(ids))).subquery()
    return set(session.scalars(select(base.c.id)))
