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
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from cloud.db import insert_on_conflict
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
from cloud.services.sales.bulk import insert_rows, one_of
from cloud.services.sales.stock import Move, apply_moves
from shared.events import EventType
from shared.tax import TaxError, rate_for, vat_from_net
from sync.protocol import (
    CashMovementDoc,
    FiscalDoc,
    ShiftClosedDoc,
    ShiftOpenedDoc,
)
from sync.wire import Incoming, validated_doc

__all__ = ["Origin", "Projection", "project"]


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


class _Prices:
    """The cloud's current gross price per SKU for one store (for the mismatch flag)."""

    def __init__(self, session: Session, origin: Origin, skus: set[str]) -> None:
        # sku -> (product id, its text, net price here, VAT group)
        self.products: dict[str, tuple[uuid.UUID, str, int, str]] = {}
        self._gross: dict[tuple[str, str, date], int | None] = {}
        self._rates: dict[tuple[str, str, date], Decimal | None] = {}
        if not skus:
            return
        rows = session.execute(select(_P.c.sku, _P.c.id, _P.c.price, _P.c.vat_group).where(
            _P.c.tenant_id == origin.tenant_id, one_of(session, _P.c.sku, sorted(skus)),
            _P.c.deleted_at.is_(None))).all()
        store = {}
        if rows:
            store = dict(session.execute(select(_PR.c.product_id, _PR.c.price).where(
                _PR.c.store_id == origin.store_id,
                one_of(session, _PR.c.product_id, [r.id for r in rows]))).all())
        for r in rows:
            self.products[r.sku] = (r.id, str(r.id), store.get(r.id, r.price), r.vat_group)

    def gross(self, sku: str, country: str, at: datetime) -> int | None:
        found = self.products.get(sku)
        if found is None:
            return None
        day = at.astimezone(UTC).date()  # VAT tables are judged in UTC
        key = (sku, country, day)
        if key not in self._gross:
            net, group = found[2], found[3]
            rate = self._rate(country, group, day)
            self._gross[key] = None if rate is None else net + vat_from_net(net, rate)
        return self._gross[key]

    def _rate(self, country: str, group: str, day: date) -> Decimal | None:
        key = (country, group, day)
        if key not in self._rates:
            try:
                self._rates[key] = rate_for(country, group, day)
            except TaxError:
                self._rates[key] = None
        return self._rates[key]


_ZERO = Decimal(0)
_LINE_COLUMNS = (
    "sale_id", "line_no", "tenant_id", "sku", "name", "product_id", "unit", "quantity",
    "unit_price", "list_price", "base", "line_discount", "receipt_discount", "gross", "net",
    "vat", "excise", "vat_group", "vat_rate", "barcode", "original_line_no", "price_flag")
_PAYMENT_COLUMNS = ("id", "sale_id", "tenant_id", "kind", "amount", "tendered", "change",
                    "rounding", "card")
_SALE_COLUMNS = (
    "id", "tenant_id", "store_id", "till_id", "device_id", "kind", "number", "event_seq",
    "shift_id", "shift_no", "cashier_id", "cashier_name", "opened_at", "completed_at",
    "business_date", "country", "currency", "subtotal", "discount_total", "total", "rounding",
    "payable", "paid", "change", "vat_total", "excise_total", "cash_amount", "card_amount",
    "lines_count", "voided_lines", "price_flags", "original_sale_id", "original_number",
    "approved_by", "reason", "received_at")
_CARD_FIELDS = ("rrn", "auth_code", "masked_pan", "terminal_id", "brand")


def _card(card: Any) -> dict[str, Any] | None:
    """A payment's card details without empty fields (a pydantic model or its struct twin)."""
    if card is None:
        return None
    return {k: v for k in _CARD_FIELDS if (v := getattr(card, k)) is not None}


def _receipt_rows(doc: Any, event: Incoming, prices: _Prices, now: datetime,
                  out: _Rows) -> None:
    """Rows for one receipt (``doc``: a :class:`ReceiptDoc` or its struct twin)."""
    is_return = doc.kind == "return"
    tenant, sale_id = out.ids.tenant, str(doc.id)
    flags = 0
    per_product: dict[uuid.UUID, Decimal] = {}
    products = prices.products
    lines = out.lines
    for ln in doc.lines:
        found = products.get(ln.sku)
        flag = None
        if ln.unit_price != ln.list_price:
            flag = "override"
        elif not is_return:
            expected = prices.gross(ln.sku, doc.country, doc.completed_at)
            if expected is not None and expected != ln.list_price:
                flag = "mismatch"
        if flag is not None:
            flags += 1
        lines.append((
            sale_id, ln.line_no, tenant, ln.sku, ln.name, found[1] if found else None, ln.unit,
            ln.quantity, ln.unit_price, ln.list_price, ln.base, ln.line_discount,
            ln.receipt_discount, ln.gross, ln.net, ln.vat, ln.excise, ln.vat_group,
            str(ln.vat_rate), ln.barcode, ln.original_line_no, flag))
        if found is None:
            out.projection.unknown_skus.add(ln.sku)
        else:
            delta = ln.quantity if is_return else -ln.quantity
            per_product[found[0]] = per_product.get(found[0], _ZERO) + delta
    for pid, delta in per_product.items():
        if delta:
            out.moves.append(Move(pid, delta, doc.kind, sale_id, doc.number,
                                  doc.completed_at))
    cash = card = 0
    for p in doc.payments:
        if p.kind == "cash":
            cash += p.amount
        elif p.kind == "card":
            card += p.amount
        out.payments.append((p.id, sale_id, tenant, p.kind, p.amount, p.tendered, p.change,
                             p.rounding, _card(p.card)))
    ids = out.ids
    out.sales.append((
        sale_id, tenant, ids.store, ids.till, ids.device, doc.kind,
        doc.number, event.seq, doc.shift_id, doc.shift_no, doc.cashier.id, doc.cashier.name,
        doc.opened_at, doc.completed_at, doc.completed_at.astimezone(out.zone).date(), doc.country,
        doc.currency, doc.subtotal, doc.discount_total, doc.total, doc.rounding, doc.payable,
        doc.paid, doc.change, doc.vat_total, doc.excise_total, cash, card, len(doc.lines),
        doc.voided_lines, flags, doc.original_receipt_id, doc.original_number, doc.approved_by,
        event.reason, now))
    out.projection.lines += len(doc.lines)
    out.projection.flagged_lines += flags
    if is_return:
        out.projection.returns += 1
    else:
        out.projection.sales += 1


@dataclass(frozen=True)
class _Ids:
    """The origin's ids as text, made once per batch (``COPY`` takes text)."""

    tenant: str
    store: str
    till: str
    device: str


@dataclass
class _Rows:
    projection: Projection
    zone: ZoneInfo
    ids: _Ids
    sales: list[tuple[Any, ...]] = field(default_factory=list)
    lines: list[tuple[Any, ...]] = field(default_factory=list)
    payments: list[tuple[Any, ...]] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)


def _shift_opened(session: Session, doc: ShiftOpenedDoc, origin: Origin) -> None:
    session.execute(insert_on_conflict(session, _SH, {
        "id": doc.shift_id, "tenant_id": origin.tenant_id, "store_id": origin.store_id,
        "till_id": origin.till_id, "device_id": origin.device_id, "number": doc.shift_no,
        "status": "open", "currency": doc.currency, "opened_at": doc.opened_at,
        "opened_by": doc.opened_by, "opened_by_name": doc.opened_by_name,
        "opening_float": doc.opening_float}, index_elements=["id"]))


def _shift_closed(session: Session, doc: ShiftClosedDoc, z: dict[str, Any],
                  origin: Origin) -> None:
    closing = {"status": "closed", "closed_at": doc.closed_at, "closed_by": doc.closed_by,
               "sales_count": doc.sales_count, "returns_count": doc.returns_count,
               "sales_total": doc.sales_total, "returns_total": doc.returns_total,
               "expected_cash": doc.expected_cash, "counted_cash": doc.counted_cash,
               "cash_difference": doc.cash_difference, "z_report": z}
    row = {"id": doc.shift_id, "tenant_id": origin.tenant_id, "store_id": origin.store_id,
           "till_id": origin.till_id, "device_id": origin.device_id, "number": doc.shift_no,
           "currency": doc.currency, "opened_at": doc.opened_at, "opened_by": doc.opened_by,
           "opened_by_name": "", "opening_float": doc.opening_float, **closing}
    # The claim check (cloud.services.sales.claims) refused foreign shifts already; the
    # condition keeps a shift inserted by another till meanwhile (a concurrent push) untouched.
    session.execute(insert_on_conflict(
        session, _SH, row, index_elements=["id"], set_=closing,
        where=(_SH.c.tenant_id == origin.tenant_id) & (_SH.c.till_id == origin.till_id)))


def project(session: Session, origin: Origin, events: Sequence[Incoming],
            now: datetime) -> Projection:
    """Write the rows ``events`` stand for; raises ``BatchInvalid`` for a bad payload.

    Receipts arrive validated (:mod:`sync.wire`); the rarer types are validated here.
    """
    out = _Rows(Projection(), origin.zone, _Ids(str(origin.tenant_id), str(origin.store_id),
                                                str(origin.till_id), str(origin.device_id)))
    receipts: list[tuple[Any, Incoming]] = []
    cash: list[dict[str, Any]] = []
    fiscal: list[dict[str, Any]] = []
    for ev in events:
        t = ev.type
        if t in (EventType.SALE_COMPLETED, EventType.RETURN_COMPLETED):
            receipts.append((ev.receipt, ev))
            continue
        p = ev.payload
        if t == EventType.SHIFT_OPENED:
            _shift_opened(session, validated_doc(ShiftOpenedDoc, p, ev), origin)
            out.projection.shifts += 1
        elif t == EventType.SHIFT_CLOSED:
            z = p.get("z_report")
            _shift_closed(session, validated_doc(ShiftClosedDoc, z, ev), z, origin)
            out.projection.shifts += 1
        elif t in (EventType.CASH_DEPOSITED, EventType.CASH_WITHDRAWN):
            m = validated_doc(CashMovementDoc, p, ev)
            cash.append({"id": m.movement_id, "tenant_id": origin.tenant_id,
                         "store_id": origin.store_id, "till_id": origin.till_id,
                         "device_id": origin.device_id, "shift_id": m.shift_id, "kind": m.kind,
                         "amount": m.amount, "currency": m.currency, "reason": m.reason,
                         "user_id": m.user_id, "approved_by": m.approved_by, "at": m.at})
        elif t == EventType.FISCAL_RECORDED:
            f = validated_doc(FiscalDoc, p, ev)
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
            _receipt_rows(doc, ev, prices, now, out)
        insert_rows(session, _S, out.sales, columns=_SALE_COLUMNS)
        insert_rows(session, _SL, out.lines, columns=_LINE_COLUMNS)
        insert_rows(session, _SP, out.payments, columns=_PAYMENT_COLUMNS)
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
