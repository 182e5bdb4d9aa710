"""One import batch: validate rows against the file and the catalog, then write set-wise.

Why set-wise Core statements: an import of 100k rows cannot afford an ORM round trip per
product. Each batch does a fixed number of lookups (products, barcodes, stock by SKU) and a few
``executemany`` writes, whatever its size.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from cloud.models.catalog import Product, ProductBarcode
from cloud.models.stock import StockLevel
from cloud.services import feed
from cloud.services.catalog import records
from cloud.services.catalog.batch_stock import set_stock
from cloud.services.catalog.errors import FieldError
from cloud.services.catalog.products import ensure_categories
from cloud.services.catalog.validation import (
    CREATE_REQUIRED,
    FIELDS,
    ValidationContext,
    barcode_kind,
    validate_fields,
)
from cloud.services.stock.levels import Actor, default_location
from shared.ids import uuid7

__all__ = ["BatchWriter", "RowError", "RowOutcome"]

_P = Product.__table__
_B = ProductBarcode.__table__
_L = StockLevel.__table__


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "field": self.column,
                "code": self.code, "message": self.message}


@dataclass(frozen=True)
class RowOutcome:
    row: int
    action: str  # created | updated | unchanged | error
    product_id: uuid.UUID | None = None
    errors: list[RowError] = field(default_factory=list)
    text_changed: bool = False


@dataclass
class _Plan:
    row: int
    sku: str
    values: dict[str, Any]
    barcodes: list[str] | None
    stock: Decimal | None
    existing: Mapping[str, Any] | None
    product_id: uuid.UUID = field(default_factory=uuid7)
    errors: list[RowError] = field(default_factory=list)


class BatchWriter:
    """Holds what the file has used so far (SKUs, barcodes) across batches."""

    def __init__(self, *, tenant_id: uuid.UUID, mode: str, columns: Mapping[str, str],
                 actor: Actor, allow_negative_stock: bool = False) -> None:
        self.tenant_id = tenant_id
        self.mode = mode
        self.columns = dict(columns)
        self.actor = actor
        self.allow_negative_stock = allow_negative_stock
        self.seen_skus: dict[str, int] = {}
        self.seen_codes: dict[str, int] = {}
        self._added: list[tuple[str, str]] = []

    # -- file-level memory, undone when a batch's transaction fails ----------------------

    def checkpoint(self) -> int:
        return len(self._added)

    def rollback(self, mark: int) -> None:
        for kind, key in self._added[mark:]:
            (self.seen_skus if kind == "sku" else self.seen_codes).pop(key, None)
        del self._added[mark:]

    def _remember(self, plan: _Plan) -> None:
        self.seen_skus[plan.sku.lower()] = plan.row
        self._added.append(("sku", plan.sku.lower()))
        for code in plan.barcodes or ():
            self.seen_codes[code] = plan.row
            self._added.append(("code", code))

    def refused(self, row: int) -> RowOutcome:
        return RowOutcome(row, "error", None, [RowError(
            row, self.columns.get("sku", "sku"), "VAL_DUPLICATE",
            "the database refused this row (a concurrent change to the same SKU or barcode)")])

    def _col(self, name: str) -> str:
        return self.columns.get(name, name)

    def _err(self, row: int, fe: FieldError) -> RowError:
        return RowError(row, fe.field, fe.code, fe.message)

    # -- the batch -----------------------------------------------------------------------

    def apply(self, session: Session, batch: Sequence[tuple[int, dict[str, Any]]],
              ctx: ValidationContext, currency: str, now: datetime, *,
              write: bool) -> list[RowOutcome]:
        plans = self._validate(session, batch, ctx)
        good = [p for p in plans if not p.errors]
        self._check_barcodes(session, good)
        good = [p for p in good if not p.errors]
        location_id = default_location(session, self.tenant_id, now).id if (
            write or any(p.stock is not None for p in good)) else None
        levels = self._levels(session, good, location_id)
        outcomes: dict[int, RowOutcome] = {}
        inserts: list[dict[str, Any]] = []
        updates: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
        new_codes: dict[uuid.UUID, list[str]] = {}
        stock_sets: list[tuple[_Plan, Decimal, Decimal | None]] = []
        published: list[tuple[_Plan, dict[str, Any], list[str]]] = []
        existing_codes = self._codes(session, [p.existing["id"] for p in good if p.existing])
        for plan in good:
            cols = {k: v for k, v in plan.values.items() if k in records.COLUMNS}
            live = plan.existing is not None and plan.existing["deleted_at"] is None
            if not live:
                row = {**records.defaults(currency), **cols}
                if plan.existing is not None:
                    plan.product_id = plan.existing["id"]
                codes = plan.barcodes or []
                row.update(id=plan.product_id, tenant_id=self.tenant_id,
                           search_text=records.search_text(row, codes), created_at=now,
                           updated_at=now, created_by=self.actor.id, deleted_at=None)
                if plan.existing is not None:
                    revived = {k: v for k, v in row.items() if k != "tenant_id"}
                    updates[frozenset(revived) - {"id"}].append(revived)
                else:
                    inserts.append(row)
                new_codes[plan.product_id] = codes
                published.append((plan, row, codes))
                if plan.stock:
                    stock_sets.append((plan, plan.stock, None))
                outcomes[plan.row] = RowOutcome(plan.row, "created", plan.product_id,
                                                text_changed=True)
                self._remember(plan)
                continue
            assert plan.existing is not None
            plan.product_id = plan.existing["id"]
            current_codes = existing_codes.get(plan.product_id, [])
            changes = records.diff(plan.existing, cols)
            codes_changed = (plan.barcodes is not None
                             and sorted(plan.barcodes) != sorted(current_codes))
            on_hand = levels.get(plan.product_id)
            stock_changed = plan.stock is not None and plan.stock != (on_hand or Decimal(0))
            if not (changes or codes_changed or stock_changed):
                outcomes[plan.row] = RowOutcome(plan.row, "unchanged", plan.product_id)
                self._remember(plan)
                continue
            codes = plan.barcodes if plan.barcodes is not None else current_codes
            merged = {**dict(plan.existing), **changes}
            text = records.search_text(merged, codes)
            text_changed = text != plan.existing["search_text"]
            if changes or codes_changed:
                upd = {**changes, "updated_at": now}
                if text_changed:
                    upd["search_text"] = text
                updates[frozenset(upd)].append({**upd, "id": plan.product_id})
                published.append((plan, merged, codes))
            if codes_changed:
                new_codes[plan.product_id] = codes
            if stock_changed:
                assert plan.stock is not None
                stock_sets.append((plan, plan.stock, on_hand))
            outcomes[plan.row] = RowOutcome(plan.row, "updated", plan.product_id,
                                            text_changed=text_changed)
            self._remember(plan)
        if write:
            self._write(session, inserts, updates, new_codes, stock_sets, published,
                        location_id, now)
        for plan in plans:
            if plan.errors:
                outcomes[plan.row] = RowOutcome(plan.row, "error", None, plan.errors)
        return [outcomes[row] for row, _ in batch]

    def _validate(self, session: Session, batch: Sequence[tuple[int, dict[str, Any]]],
                  ctx: ValidationContext) -> list[_Plan]:
        sku_parser = FIELDS["sku"][1]
        skus: dict[int, str] = {}
        plans: list[_Plan] = []
        early: dict[int, RowError] = {}
        for row, rec in batch:
            try:
                skus[row] = sku_parser(rec.get("sku"), ctx)
            except ValueError as bad:
                early[row] = RowError(row, self._col("sku"), getattr(bad, "code",
                                      "VAL_INVALID_FORMAT"), f"sku {bad}")
        existing = self._existing(session, list({s.lower() for s in skus.values()}))
        in_batch: dict[str, int] = {}
        for row, rec in batch:
            if row in early:
                plans.append(_Plan(row, "", {}, None, None, None, errors=[early[row]]))
                continue
            sku = skus[row]
            # A SKU is one product whatever its case: "abc-1" in a file updates ABC-1.
            key = sku.lower()
            found = existing.get(key)
            plan = _Plan(row, sku, {}, None, None, found)
            first = self.seen_skus.get(key) or in_batch.get(key)
            live = found is not None and found["deleted_at"] is None
            if first is not None:
                plan.errors.append(RowError(row, self._col("sku"), "VAL_DUPLICATE",
                                            f"SKU {sku} appears again (first in row {first})"))
            elif self.mode == "create" and live:
                plan.errors.append(RowError(row, self._col("sku"), "VAL_DUPLICATE",
                                            f"a product with SKU {sku} already exists"))
            elif self.mode == "update" and not live:
                plan.errors.append(RowError(row, self._col("sku"), "RES_NOT_FOUND",
                                            f"no product with SKU {sku} to update"))
            in_batch.setdefault(key, row)
            if plan.errors:
                plans.append(plan)
                continue
            values, errs = validate_fields(rec, ctx, required=() if live else CREATE_REQUIRED,
                                           columns=self.columns)
            plan.errors.extend(self._err(row, e) for e in errs)
            plan.barcodes = values.pop("barcodes", None)
            plan.stock = values.pop("stock", None)
            values.pop("vat_rate", None)
            if live and found is not None:
                values["sku"] = found["sku"]  # the stored spelling stays (SKUs are immutable)
            plan.values = values
            plans.append(plan)
        return plans

    def _existing(self, session: Session, folded: list[str]) -> dict[str, Mapping[str, Any]]:
        """Products by lower-cased SKU (``folded`` are lower-cased SKUs)."""
        if not folded:
            return {}
        cols = [_P.c[c] for c in (*records.COLUMNS, "id", "deleted_at", "search_text")]
        rows = session.execute(select(*cols).where(
            _P.c.tenant_id == self.tenant_id, func.lower(_P.c.sku).in_(folded))).mappings()
        return {r["sku"].lower(): dict(r) for r in rows}

    def _codes(self, session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
        out: dict[uuid.UUID, list[str]] = defaultdict(list)
        if ids:
            for pid, code in session.execute(select(_B.c.product_id, _B.c.code).where(
                    _B.c.tenant_id == self.tenant_id, _B.c.product_id.in_(ids))):
                out[pid].append(code)
        return out

    def _check_barcodes(self, session: Session, plans: list[_Plan]) -> None:
        codes = {c for p in plans for c in p.barcodes or ()}
        owners: dict[str, uuid.UUID] = {}
        if codes:
            owners = dict(session.execute(select(_B.c.code, _B.c.product_id).where(
                _B.c.tenant_id == self.tenant_id, _B.c.code.in_(list(codes)))).all())
        in_batch: dict[str, int] = {}
        for plan in plans:
            mine = plan.existing["id"] if plan.existing else None
            for code in plan.barcodes or ():
                first = self.seen_codes.get(code) or in_batch.get(code)
                if first is not None and first != plan.row:
                    plan.errors.append(RowError(plan.row, self._col("barcodes"), "VAL_DUPLICATE",
                                                f"barcode {code} is also in row {first}"))
                elif code in owners and owners[code] != mine:
                    plan.errors.append(RowError(plan.row, self._col("barcodes"), "VAL_DUPLICATE",
                                                f"barcode {code} belongs to another product"))
                in_batch.setdefault(code, plan.row)

    def _levels(self, session: Session, plans: list[_Plan],
                location_id: uuid.UUID | None) -> dict[uuid.UUID, Decimal]:
        ids = [p.existing["id"] for p in plans if p.existing and p.stock is not None]
        if not ids or location_id is None:
            return {}
        rows = session.execute(select(_L.c.product_id, _L.c.on_hand, _L.c.reserved).where(
            _L.c.tenant_id == self.tenant_id, _L.c.location_id == location_id,
            _L.c.product_id.in_(ids))).all()
        reserved = {pid: r for pid, _oh, r in rows}
        for plan in plans:
            pid = plan.existing["id"] if plan.existing else None
            if (pid in reserved and plan.stock is not None and plan.stock < reserved[pid]
                    and not self.allow_negative_stock):
                plan.errors.append(RowError(plan.row, self._col("stock"),
                                            "BIZ_STOCK_INSUFFICIENT",
                                            f"stock {plan.stock} is below the reserved "
                                            f"{reserved[pid]}"))
        return {pid: oh for pid, oh, _r in rows}

    def _write(self, session: Session, inserts: list[dict[str, Any]],
               updates: dict[frozenset[str], list[dict[str, Any]]],
               new_codes: dict[uuid.UUID, list[str]],
               stock_sets: list[tuple[_Plan, Decimal, Decimal | None]],
               published: list[tuple[_Plan, dict[str, Any], list[str]]],
               location_id: uuid.UUID | None, now: datetime) -> None:
        if inserts:
            session.execute(insert(_P), inserts)
        for cols, rows in updates.items():
            stmt = (update(_P).where(_P.c.id == bindparam("b_id"))
                    .values({c: bindparam(f"b_{c}") for c in cols}))
            session.execute(stmt, [{f"b_{k}": v for k, v in r.items()} for r in rows])
        if new_codes:
            session.execute(delete(_B).where(_B.c.tenant_id == self.tenant_id,
                                             _B.c.product_id.in_(list(new_codes))))
            codes = [{"id": uuid7(), "tenant_id": self.tenant_id, "product_id": pid,
                      "code": c, "kind": barcode_kind(c)}
                     for pid, cs in new_codes.items() for c in cs]
            if codes:
                session.execute(insert(_B), codes)
        names = {row.get("category") for _p, row, _c in published}
        ensure_categories(session, self.tenant_id, names, now)
        if stock_sets and location_id is not None:
            set_stock(session, tenant_id=self.tenant_id, location_id=location_id,
                      changes=[(p.product_id, new, old) for p, new, old in stock_sets],
                      actor=self.actor, now=now)
        feed.append_many(session, tenant_id=self.tenant_id, at=now, entries=[
            ("product", plan.product_id, "upsert",
             records.feed_payload(plan.product_id, row, codes))
            for plan, row, codes in published])
