"""Product export to CSV, XLSX or JSON: the same column names an import reads back."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from cloud.models.catalog import CatalogFile, CatalogTask, Product
from cloud.services.catalog.errors import TaskNotFound
from cloud.services.catalog.products import barcodes_of
from cloud.services.catalog.settings import policy
from cloud.services.catalog.tabular import EXPORT_FIELDS, FileFormat, write_table
from cloud.services.stock.queries import totals_subquery, zero_if_null
from shared.tax import TaxError, rate_for

__all__ = ["CONTENT_TYPES", "EXPORT_TTL", "product_record", "run_export"]

EXPORT_TTL = timedelta(hours=24)
CONTENT_TYPES = {
    FileFormat.CSV: "text/csv; charset=utf-8",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileFormat.JSON: "application/json",
}
_PAGE = 2000


def _major(minor: int | None) -> Decimal | None:
    return None if minor is None else Decimal(minor) / 100


def product_record(p: Product, barcodes: list[str], stock: Decimal, country: str,
                   at: datetime) -> dict[str, Any]:
    try:
        vat_rate: Decimal | None = rate_for(country, p.vat_group, at)
    except TaxError:
        vat_rate = None
    return {
        "id": str(p.id), "sku": p.sku, "name": p.name, "category": p.category,
        "subcategory": p.subcategory, "price": _major(p.price), "currency": p.currency,
        "vatRate": vat_rate, "vatGroup": p.vat_group, "costPrice": _major(p.cost_price),
        "unit": p.unit, "barcodes": barcodes, "stock": stock, "minStock": p.min_stock,
        "reorderPoint": p.reorder_point, "status": p.status, "excise": p.excise,
        "customsCode": p.customs_code, "ageRestriction": p.age_restriction,
        "weight": p.weight, "tags": p.tags, "description": p.description,
        "shortDescription": p.short_description, "specifications": p.specifications or None,
        "dimensions": p.dimensions, "translations": p.translations or None,
        "images": [i.get("url") for i in p.images or []],
        "createdAt": p.created_at.isoformat(), "updatedAt": p.updated_at.isoformat(),
    }


def _records(session: Session, tenant_id: uuid.UUID, filters: dict[str, Any],
             at: datetime) -> Iterator[dict[str, Any]]:
    country = policy(session, tenant_id).country
    t = totals_subquery(tenant_id)
    stmt = (select(Product, zero_if_null(t.c.on_hand))
            .outerjoin(t, t.c.product_id == Product.id)
            .where(Product.tenant_id == tenant_id, Product.deleted_at.is_(None)))
    if filters.get("category"):
        stmt = stmt.where(Product.category == filters["category"])
    if filters.get("status"):
        stmt = stmt.where(Product.status == filters["status"])
    if filters.get("ids"):
        stmt = stmt.where(Product.id.in_([uuid.UUID(str(i)) for i in filters["ids"]]))
    last: str | None = None
    while True:  # keyset pages by SKU keep memory flat on big catalogs
        page_stmt = stmt.order_by(Product.sku).limit(_PAGE)
        if last is not None:
            page_stmt = page_stmt.where(Product.sku > last)
        rows = session.execute(page_stmt).all()
        if not rows:
            return
        codes = barcodes_of(session, tenant_id, [p.id for p, _s in rows])
        for p, stock in rows:
            yield product_record(p, codes[p.id], stock, country, at)
        last = rows[-1][0].sku


def run_export(sessions: sessionmaker[Session], *, tenant_id: uuid.UUID, task_id: uuid.UUID,
               clock: Callable[[], datetime]) -> uuid.UUID:
    """Write the export file for a task; returns the file's id."""
    with sessions.begin() as session:
        task = session.scalar(select(CatalogTask).where(CatalogTask.id == task_id,
                                                        CatalogTask.tenant_id == tenant_id))
        if task is None:
            raise TaskNotFound()
        if task.result_file_id is not None:
            return task.result_file_id
        opts = dict(task.options)
        task.status, task.started_at = "processing", clock()
    fmt = FileFormat(opts.get("format", "csv"))
    fields = [f for f in (opts.get("fields") or ["id", *EXPORT_FIELDS])]
    if opts.get("includeImages") and "images" not in fields:
        fields.append("images")
    now = clock()
    with sessions.begin() as session:
        records = list(_records(session, tenant_id, opts.get("filters") or {}, now))
        data = write_table(records, fields, fmt)
        upload = CatalogFile(tenant_id=tenant_id, filename=f"products-{now:%Y%m%d-%H%M%S}.{fmt}",
                             content_type=CONTENT_TYPES[fmt], size=len(data), data=data,
                             created_at=now, expires_at=now + EXPORT_TTL)
        session.add(upload)
        session.flush()
        session.execute(update(CatalogTask).where(CatalogTask.id == task_id).values(
            status="completed", result_file_id=upload.id, total_rows=len(records),
            processed_rows=len(records), finished_at=clock(), expires_at=now + EXPORT_TTL,
            updated_at=now))
        return upload.id
