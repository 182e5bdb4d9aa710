"""Project newly stored till events into the sales tables, in the push's own transaction.

Only events the cloud did not hold before reach this module, so every row is inserted once;
a second event claiming an existing receipt, payment or movement id is a conflict (the caller
maps the database's ``IntegrityError`` to ``SYNC_EVENT_CONFLICT``). Projection never depends on
event order across batches: a shift's close may arrive before its open (a gap being filled),
and a fiscal result before its receipt.

Prices are compared, never enforced: a line sold at another price than the cloud's current
gross price (an override on the till, or a price change the till had not pulled yet) is
flagged on the line and counted on the receipt.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from cloud.models.catalog import Product
from cloud.models.sales import (
    Sale,
    SaleLine,
    SalePayment,
    TillCashMovement,
    TillFiscalResult,
    TillShift,
)
from cloud.models.stores import StorePrice
from cloud.services.sales.bulk import insert_rows
from cloud.services.sales.stock import Move, apply_moves
from shared.tax import TaxError, rate_for, vat_from_net
from sync.errors import BatchInvalid
from sync.protocol import (
    CashMovementDoc,
    Event,
    EventType,
    FiscalDoc,
    ReceiptDoc,
    ShiftClosedDoc,
    ShiftOpenedDoc,
)

__all__ = ["Origin", "Projection", "project"]

T = TypeVar("T")

_S, _SL, _SP = Sale.__table__, SaleLine.__table__, SalePayment.__table__
_SH, _CM, _FR = TillShift.__table__, TillCashMovement.__table__, TillFiscalResult.__table__
_P, _PR = Product.__table__, StorePrice.__table__


@dataclass(frozen=True)
class Origin:
    """The device the events come from, and what projection needs to know about its store."""

    tenant_id: uuid.UUID
    store_id: uuid.UUID
    till_id: uuid.UUID
    device_id: uuid.UUID
    timezone: str
    location_id: uuid.UUID | None
    till_code: str = ""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass
class Projection:
    """What a batch added."""

    sales: int = 0
    returns: int = 0
    lines: int = 0
    flagged_lines: int = 0
    unknown_skus: set[str] = field(default_factory=set)
    stock_moves: int = 0
    shifts: int = 0
    cash_movements: int = 0
    fiscal_results: int = 0


def _doc(cls: type[T], data: Any, event: Event) -> T:
    try:
        return cls.model_validate(data)  # type: ignore[attr-defined,no-any-return]
    except ValueError as exc:
        errors = getattr(exc, "errors", None)
        detail = [{"loc": ".".join(str(p) for p in e.get("loc", ())), "msg": e.get("msg")}
                  for e in (errors() if callable(errors) else [])][:10]
        raise BatchInvalid(f"event seq {event.seq} ({event.type}) has an invalid payload",
                           details={"seq": event.seq, "event_id": str(event.event_id),
                                    "errors": detail}) from exc


class _Prices:
    """The cloud's current gross price per SKU for one store (for the mismatch flag)."""

    def __init__(self, session: Session, origin: Origin, skus: set[str]) -> None:
        self.products: dict[str, tuple[uuid.UUID, int, str]] = {}
        if not skus:
            return
        rows = session.execute(select(_P.c.sku, _P.c.id, _P.c.price, _P.c.vat_group).where(
            _P.c.tenant_id == origin.tenant_id, _P.c.sku.in_(sorted(skus)),
            _P.c.deleted_at.is_(None))).all()
        store = {}
        if rows:
            store = dict(session.execute(select(_PR.c.product_id, _PR.c.price).where(
                _PR.c.store_id == origin.store_id,
                _PR.c.product_id.in_([r.id for r in rows]))).all())
        for r in rows:
            self.products[r.sku] = (r.id, store.get(r.id, r.price), r.vat_group)
        self._gross: dict[tuple[str, str, str], int | None] = {}

    def gross(self, sku: str, country: str, at: datetime) -> int | None:
        found = self.products.get(sku)
        if found is None:
            return None
        key = (sku, country, at.date().isoformat())
        if key not in self._gross:
            _pid, net, group = found
            try:
                self._gross[key] = net + vat_from_net(net, rate_for(country, group, at))
            except TaxError:
                self._gross[key] = None
        return self._gross[key]


def _receipt_rows(doc: ReceiptDoc, event: Event, origin: Origin, prices: _Prices, now: datetime,
                  out: _Rows) -> None:
    is_return = doc.kind == "return"
    flags = 0
    per_product: dict[uuid.UUID, Decimal] = {}
    for ln in doc.lines:
        found = prices.products.get(ln.sku)
        flag = None
        if ln.unit_price != ln.list_price:
            flag = "override"
        elif not is_return:
            expected = prices.gross(ln.sku, doc.country, doc.completed_at)
            if expected is not None and expected != ln.list_price:
                flag = "mismatch"
        flags += flag is not None
        out.lines.append({
            "sale_id": doc.id, "line_no": ln.line_no, "tenant_id": origin.tenant_id,
            "sku": ln.sku, "name": ln.name, "product_id": found[0] if found else None,
            "unit": ln.unit, "quantity": ln.quantity, "unit_price": ln.unit_price,
            "list_price": ln.list_price, "base": ln.base, "line_discount": ln.line_discount,
            "receipt_discount": ln.receipt_discount, "gross": ln.gross, "net": ln.net,
            "vat": ln.vat, "excise": ln.excise, "vat_group": ln.vat_group,
            "vat_rate": str(ln.vat_rate), "barcode": ln.barcode,
            "original_line_no": ln.original_line_no, "price_flag": flag})
        if found is None:
            out.projection.unknown_skus.add(ln.sku)
        else:
            delta = ln.quantity if is_return else -ln.quantity
            per_product[found[0]] = per_product.get(found[0], Decimal(0)) + delta
    for pid, delta in per_product.items():
        if delta:
            out.moves.append(Move(pid, delta, doc.kind, str(doc.id), doc.number,
                                  doc.completed_at))
    cash = card = 0
    for p in doc.payments:
        if p.kind == "cash":
            cash += p.amount
        elif p.kind == "card":
            card += p.amount
        out.payments.append({
            "id": p.id, "sale_id": doc.id, "tenant_id": origin.tenant_id, "kind": p.kind,
            "amount": p.amount, "tendered": p.tendered, "change": p.change,
            "rounding": p.rounding,
            "card": p.card.model_dump(exclude_none=True) if p.card else None})
    out.sales.append({
        "id": doc.id, "tenant_id": origin.tenant_id, "store_id": origin.store_id,
        "till_id": origin.till_id, "device_id": origin.device_id, "kind": doc.kind,
        "number": doc.number, "event_seq": event.seq, "shift_id": doc.shift_id,
        "shift_no": doc.shift_no, "cashier_id": doc.cashier.id,
        "cashier_name": doc.cashier.name, "opened_at": doc.opened_at,
        "completed_at": doc.completed_at,
        "business_date": doc.completed_at.astimezone(origin.zone).date(),
        "country": doc.country, "currency": doc.currency, "subtotal": doc.subtotal,
        "discount_total": doc.discount_total, "total": doc.total, "rounding": doc.rounding,
        "payable": doc.payable, "paid": doc.paid, "change": doc.change,
        "vat_total": doc.vat_total, "excise_total": doc.excise_total, "cash_amount": cash,
        "card_amount": card, "lines_count": len(doc.lines), "voided_lines": doc.voided_lines,
        "price_flags": flags, "original_sale_id": doc.original_receipt_id,
        "original_number": doc.original_number, "approved_by": doc.approved_by,
        "reason": (str(event.payload.get("reason") or "")[:500] or None),
        "received_at": now})
    out.projection.lines += len(doc.lines)
    out.projection.flagged_lines += flags
    if is_return:
        out.projection.returns += 1
    else:
        out.projection.sales += 1


@dataclass
class _Rows:
    projection: Projection
    sales: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    payments: list[dict[str, Any]] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)


def _upsert(session: Session) -> Any:
    return (postgresql.insert if session.get_bind().dialect.name == "postgresql"
            else sqlite.insert)


def _shift_opened(session: Session, doc: ShiftOpenedDoc, origin: Origin) -> None:
    ins = _upsert(session)(_SH).values(
        id=doc.shift_id, tenant_id=origin.tenant_id, store_id=origin.store_id,
        till_id=origin.till_id, device_id=origin.device_id, number=doc.shift_no, status="open",
        currency=doc.currency, opened_at=doc.opened_at, opened_by=doc.opened_by,
        opened_by_name=doc.opened_by_name, opening_float=doc.opening_float)
    session.execute(ins.on_conflict_do_nothing(index_elements=["id"]))


def _shift_closed(session: Session, doc: ShiftClosedDoc, z: dict[str, Any],
                  origin: Origin) -> None:
    closing = {"status": "closed", "closed_at": doc.closed_at, "closed_by": doc.closed_by,
               "sales_count": doc.sales_count, "returns_count": doc.returns_count,
               "sales_total": doc.sales_total, "returns_total": doc.returns_total,
               "expected_cash": doc.expected_cash, "counted_cash": doc.counted_cash,
               "cash_difference": doc.cash_difference, "z_report": z}
    ins = _upsert(session)(_SH).values(
        id=doc.shift_id, tenant_id=origin.tenant_id, store_id=origin.store_id,
        till_id=origin.till_id, device_id=origin.device_id, number=doc.shift_no,
        currency=doc.currency, opened_at=doc.opened_at, opened_by=doc.opened_by,
        opened_by_name="", opening_float=doc.opening_float, **closing)
    session.execute(ins.on_conflict_do_update(index_elements=["id"], set_=closing))


def project(session: Session, origin: Origin, events: Sequence[Event],
            now: datetime) -> Projection:
    """Write the rows ``events`` stand for; raises ``BatchInvalid`` for a bad payload."""
    out = _Rows(Projection())
    receipts: list[tuple[ReceiptDoc, Event]] = []
    cash: list[dict[str, Any]] = []
    fiscal: list[dict[str, Any]] = []
    for ev in events:
        t, p = ev.type, ev.payload
        if t in (EventType.SALE_COMPLETED, EventType.RETURN_COMPLETED):
            receipts.append((_doc(ReceiptDoc, p.get("receipt"), ev), ev))
        elif t == EventType.SHIFT_OPENED:
            _shift_opened(session, _doc(ShiftOpenedDoc, p, ev), origin)
            out.projection.shifts += 1
        elif t == EventType.SHIFT_CLOSED:
            z = p.get("z_report")
            _shift_closed(session, _doc(ShiftClosedDoc, z, ev), z, origin)
            out.projection.shifts += 1
        elif t in (EventType.CASH_DEPOSITED, EventType.CASH_WITHDRAWN):
            m = _doc(CashMovementDoc, p, ev)
            cash.append({"id": m.movement_id, "tenant_id": origin.tenant_id,
                         "store_id": origin.store_id, "till_id": origin.till_id,
                         "device_id": origin.device_id, "shift_id": m.shift_id, "kind": m.kind,
                         "amount": m.amount, "currency": m.currency, "reason": m.reason,
                         "user_id": m.user_id, "approved_by": m.approved_by, "at": m.at})
        elif t == EventType.FISCAL_RECORDED:
            f = _doc(FiscalDoc, p, ev)
            fiscal.append({"document_id": f.document_id, "tenant_id": origin.tenant_id,
                           "store_id": origin.store_id, "till_id": origin.till_id,
                           "device_id": origin.device_id, "document_type": f.document_type,
                           "receipt_number": f.receipt_number,
                           "fiscal_number": f.fiscal_number, "fiscal_date": f.fiscal_date,
                           "verification_url": f.verification_url,
                           "fiscal_device_id": f.device_id, "extra": f.extra,
                           "recorded_at": f.recorded_at})
        # Other types (voids, overrides, cancellations, users, settings) are kept as events.
    if receipts:
        skus = {ln.sku for doc, _ev in receipts for ln in doc.lines}
        prices = _Prices(session, origin, skus)
        for doc, ev in receipts:
            _receipt_rows(doc, ev, origin, prices, now, out)
        insert_rows(session, _S, out.sales)
        insert_rows(session, _SL, out.lines)
        insert_rows(session, _SP, out.payments)
        if out.moves and origin.location_id is not None:
            out.projection.stock_moves = apply_moves(
                session, tenant_id=origin.tenant_id, location_id=origin.location_id,
                moves=out.moves, actor_id=str(origin.device_id),
                actor_name=origin.till_code or "till", now=now)
    if cash:
        insert_rows(session, _CM, cash)
        out.projection.cash_movements = len(cash)
    if fiscal:
        insert_rows(session, _FR, fiscal)
        out.projection.fiscal_results = len(fiscal)
    return out.projection
