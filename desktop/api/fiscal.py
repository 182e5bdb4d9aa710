"""Local Fiscal API (seed 003 "Fiscal API"): shifts, receipts, returns, service receipts, reports.

Thin shell over ``desktop.devices.fiscal.service``, driving whichever device ``home/fiscal.json``
configures (Datecs or Checkbox). Shapes follow the seed (camelCase); amounts are integer minor
units (bani, kopiyky); ``quantity`` may carry 3 decimals (weighed goods). Errors use the app's
``{error, code, details}`` handlers with the fiscal codes of ``desktop.devices.fiscal.errors``
and the device's own (``FISCAL_PAPER_OUT`` …). The service is built from ``home`` on first use,
which also reconciles unfinished documents (no I/O at import or for ``openapi``).
Beyond the seed: ``GET device``, ``GET attention``, ``POST reconcile``, ``POST receipt/{id}/void``
so a cashier can see and settle receipts in doubt.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import anyio.to_thread
import structlog
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.params import Depends as DependsParam
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer
from pydantic.alias_generators import to_camel

from desktop.devices.fiscal import reports
from desktop.devices.fiscal.config import FiscalConfig, config_path, load_config
from desktop.devices.fiscal.errors import DocumentNotFound, FiscalInvalid, NotConfigured
from desktop.devices.fiscal.journal import DocState, JournalRow, ShiftRow
from desktop.devices.fiscal.model import (
    CashOperation,
    DocKind,
    FiscalLine,
    FiscalReceipt,
    FiscalResult,
    Payment,
    PaymentKind,
    ReportTotals,
)
from desktop.devices.fiscal.service import FiscalService
from desktop.devices.fiscal.vat import group_for_rate
from shared.errors import TillbridgeError
from shared.ids import uuid7
from shared.schemas.fiscal_reports import DailyReport, DayLine, DayShift, PeriodReport
from shared.tax import TaxError, rate_for, vat_from_gross

__all__ = ["FiscalHolder", "router", "setup"]

log = structlog.get_logger(__name__)


class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


def _number(d: Decimal) -> int | float:
    """Rates and quantities as JSON numbers (the seed writes ``"rate": 20``)."""
    return int(d) if d == d.to_integral_value() else float(d)


Num = Annotated[Decimal, PlainSerializer(_number, return_type=float)]


# -- requests --------------------------------------------------------------------------------
class ShiftRequest(_Camel):
    cashier_id: str | None = Field(None, max_length=100)


class ItemIn(_Camel):
    sku: str | None = Field(None, max_length=64)
    name: str = Field(..., min_length=1, max_length=200)
    price: int = Field(..., ge=0, le=10**11, description="unit price, minor units, VAT incl.")
    quantity: Decimal = Field(..., gt=0, le=100000, description="up to 3 decimals")
    tax_rate: Decimal | None = Field(None, ge=0, lt=100, description="VAT %, e.g. 20 or 21")
    vat_group: str | None = Field(None, description="shared.tax group, e.g. 'exempt'")
    excise: bool = False
    discount: int = Field(0, ge=0, description="minor units off this line")
    uktzed: str | None = Field(None, max_length=20)
    barcode: str | None = Field(None, max_length=48)


class PaymentIn(_Camel):
    type: Literal["cash", "card", "CASH", "CARD", "CASHLESS"]
    amount: int = Field(..., gt=0, le=10**11)


class CustomerIn(_Camel):
    email: str | None = None
    phone: str | None = None


class ReceiptIn(_Camel):
    order_id: str | None = Field(None, max_length=100, description="idempotency key")
    items: list[ItemIn] = Field(..., min_length=1, max_length=500)
    payments: list[PaymentIn] = Field(..., min_length=1, max_length=20)
    customer: CustomerIn | None = None
    header: str | None = Field(None, max_length=500)
    footer: str | None = Field(None, max_length=500)
    cashier_id: str | None = None
    rounding: int = Field(0, ge=-49, le=49)


class ReturnIn(_Camel):
    original_fiscal_code: str = Field(..., min_length=1, max_length=64)
    items: list[ItemIn] = Field(..., min_length=1, max_length=500)
    payments: list[PaymentIn] | None = Field(None, description="default: cash refund")
    order_id: str | None = Field(None, max_length=100, description="idempotency key")
    cashier_id: str | None = None


class ServiceIn(_Camel):
    amount: int = Field(..., gt=0, le=10**11)
    comment: str = Field("", max_length=200)
    order_id: str | None = Field(None, max_length=100, description="idempotency key")


# -- responses -------------------------------------------------------------------------------
class ShiftOut(_Camel):
    id: str
    serial: int
    status: str
    opened_at: datetime
    closed_at: datetime | None = None
    balance: int
    receipts_count: int
    total_sales: int
    total_returns: int


class ShiftResponse(_Camel):
    success: bool = True
    shift: ShiftOut
    message: str


class TaxOut(_Camel):
    rate: Num | None
    label: str
    sell_sum: int = Field(description="sales without VAT (seed's example)")
    return_sum: int
    sales_turnover: int
    returns_turnover: int
    sales_vat: int | None
    returns_vat: int | None


class ZReportOut(_Camel):
    id: str
    serial: int | None
    fiscal_code: str | None
    created_at: datetime
    payments_sum: int
    returns_sum: int
    receipts_count: int
    returns_count: int
    cash_in: int
    cash_out: int
    taxes: list[TaxOut]


class ShiftCloseResponse(_Camel):
    success: bool = True
    z_report: ZReportOut
    message: str


class ShiftStatus(_Camel):
    is_open: bool
    shift: ShiftOut | None


class ReceiptOut(_Camel):
    success: bool = True
    fiscal_code: str | None
    receipt_id: str
    receipt_url: str | None
    qr_code_url: str | None
    pdf_url: str | None
    receipt_text: str | None = None
    fiscal_date: datetime
    offline: bool
    qr_payload: str | None


class ItemOut(_Camel):
    name: str
    quantity: Num
    price: int
    total: int


class PaymentOut(_Camel):
    type: str
    amount: int


class ReceiptDetail(_Camel):
    id: str
    fiscal_code: str | None
    type: str
    date: datetime | None
    total: int
    items: list[ItemOut]
    payments: list[PaymentOut]
    pdf_url: str | None
    qr_code_url: str | None
    status: str
    status_message: str | None
    offline: bool


class ServiceOut(_Camel):
    success: bool = True
    fiscal_code: str | None
    receipt_id: str


class AttentionOut(_Camel):
    receipt_id: str
    kind: str
    status: str
    message: str | None
    total: int
    attempts: int


class ErrorBody(BaseModel):
    """Seed 003's error format."""

    error: str
    code: str
    details: dict[str, Any]


_ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": ErrorBody} for s in (400, 401, 404, 409, 422, 500, 502, 503, 504)}


# -- service holder --------------------------------------------------------------------------
class FiscalHolder:
    """Builds the service from ``home`` on first use; a failed start is retried next time."""

    def __init__(self, home: Path | None, service: FiscalService | None = None) -> None:
        self.home, self._service, self._lock = home, service, threading.Lock()
        self.config: FiscalConfig | None = None

    def get(self) -> FiscalService:
        with self._lock:
            if self._service is None:
                if self.home is None:
                    raise NotConfigured("the till has no data directory")
                from desktop.devices.fiscal.factory import build_service

                self.config = load_config(self.home)
                service = build_service(self.home, cfg=self.config)
                service.start()
                self._service = service
            return self._service

    def settings(self) -> FiscalConfig:
        if self.config is None and self.home is not None:
            self.config = load_config(self.home)
        return self.config or FiscalConfig()

    def close(self) -> None:
        with self._lock:
            if self._service is not None:
                self._service.close()
                self._service = None


def _holder(request: Request) -> FiscalHolder:
    holder: FiscalHolder = request.app.state.fiscal
    return holder


Holder = Annotated[FiscalHolder, Depends(_holder)]


# -- mapping ---------------------------------------------------------------------------------
def _shift_out(svc: FiscalService, row: ShiftRow) -> ShiftOut:
    t = reports.shift_totals(svc.journal, row.info.id)
    return ShiftOut(id=row.info.id, serial=row.info.serial,
                    status="CLOSED" if row.closed_at else "OPENED", opened_at=row.info.opened_at,
                    closed_at=row.closed_at, balance=t.balance, receipts_count=t.receipts,
                    total_sales=t.sales, total_returns=t.returns)


def _lines(items: Sequence[ItemIn], country: str, at: datetime) -> tuple[FiscalLine, ...]:
    out = []
    for i, it in enumerate(items):
        try:
            if it.vat_group:
                group = it.vat_group
                rate = rate_for(country, group, at)
                if it.tax_rate is not None and it.tax_rate != rate:
                    raise FiscalInvalid(f"items[{i}]: {group} is {rate}% on {at:%Y-%m-%d}, "
                                        f"not {it.tax_rate}%", field=f"items.{i}.taxRate")
            elif it.tax_rate is not None:
                group = group_for_rate(country, it.tax_rate, at)
                rate = rate_for(country, group, at)
            else:
                raise FiscalInvalid(f"items[{i}] needs taxRate or vatGroup",
                                    field=f"items.{i}.taxRate")
        except TaxError as exc:
            raise FiscalInvalid(f"items[{i}]: {exc}", field=f"items.{i}.vatGroup") from exc
        out.append(FiscalLine(it.name, it.quantity, it.price, group, rate, it.excise,
                              it.discount, it.sku or "", it.barcode, it.uktzed))
    return tuple(out)


def _payments(pays: Sequence[PaymentIn]) -> tuple[Payment, ...]:
    return tuple(Payment(PaymentKind.CASH if p.type.lower() == "cash" else PaymentKind.CARD,
                         p.amount) for p in pays)


def _receipt_id(svc: FiscalService, order_id: str | None) -> uuid.UUID:
    """Our receipt id: the order id when it is a UUID, the id already used for this order, or
    a new UUIDv7 — so a client retrying the same order never gets two receipts."""
    if order_id:
        try:
            return uuid.UUID(order_id)
        except ValueError:
            row = svc.journal.by_order(order_id)
            if row is not None:
                return row.receipt_id
    return uuid7()


def _receipt_out(r: FiscalResult) -> ReceiptOut:
    qr = r.qr_payload if r.qr_payload and r.qr_payload.startswith("http") else None
    return ReceiptOut(fiscal_code=r.fiscal_number, receipt_id=str(r.receipt_id),
                      receipt_url=r.verify_url, qr_code_url=qr, pdf_url=r.pdf_url,
                      receipt_text=r.text, fiscal_date=r.fiscal_date, offline=r.offline,
                      qr_payload=r.qr_payload)


def _z_out(svc: FiscalService, shift: ShiftRow, z: ReportTotals) -> ZReportOut:
    t = reports.shift_totals(svc.journal, shift.info.id)
    taxes = []
    for g in z.groups:
        # Datecs reports turnover only: its VAT is computed on the group total, as it prints it
        rate = g.rate or Decimal(0)
        s_vat = g.sales_vat if g.sales_vat is not None else vat_from_gross(g.sales, rate)
        r_vat = g.returns_vat if g.returns_vat is not None else vat_from_gross(g.returns, rate)
        taxes.append(TaxOut(rate=g.rate, label=g.label, sell_sum=g.sales - s_vat,
                            return_sum=g.returns - r_vat, sales_turnover=g.sales,
                            returns_turnover=g.returns, sales_vat=s_vat, returns_vat=r_vat))
    return ZReportOut(id=f"{shift.info.id}:z{z.number}", serial=z.number,
                      fiscal_code=z.fiscal_number, created_at=z.at, payments_sum=z.sales_total,
                      returns_sum=z.returns_total,
                      receipts_count=z.receipts_count if z.receipts_count is not None
                      else t.receipts,
                      returns_count=z.returns_count if z.returns_count is not None
                      else t.return_receipts,
                      cash_in=z.cash_in, cash_out=z.cash_out, taxes=taxes)


_TYPES = {"sale": "SELL", "return": "RETURN", "deposit": "SERVICE_IN", "withdraw": "SERVICE_OUT"}
_STATE_TEXT = {
    DocState.IN_DOUBT: "The device has not confirmed this receipt. It will not be sent again "
                       "until the device answers: do not issue a second receipt for this sale.",
    DocState.PENDING: "Being issued.",
    DocState.NOT_ISSUED: "The device did not issue this receipt; it will be sent again.",
}


def _detail(row: JournalRow) -> ReceiptDetail:
    doc, r = row.document, row.result
    items: list[ItemOut] = []
    pays: list[PaymentOut] = []
    if isinstance(doc, FiscalReceipt):
        items = [ItemOut(name=ln.name, quantity=ln.qty, price=ln.unit_price, total=ln.gross)
                 for ln in doc.lines]
        pays = [PaymentOut(type=p.kind.value.upper(), amount=p.amount) for p in doc.payments]
    else:
        pays = [PaymentOut(type="CASH", amount=doc.amount)]
    qr = r.qr_payload if r and r.qr_payload and r.qr_payload.startswith("http") else None
    return ReceiptDetail(
        id=str(row.receipt_id), fiscal_code=row.fiscal_number, type=_TYPES[row.kind],
        date=r.fiscal_date if r else None, total=row.total, items=items, payments=pays,
        pdf_url=r.pdf_url if r else None, qr_code_url=qr, status=row.state.value.upper(),
        status_message=(row.note or _STATE_TEXT.get(row.state)) if row.state is not DocState.DONE
        else row.note, offline=bool(r and r.offline))


# -- routes ----------------------------------------------------------------------------------
router = APIRouter(prefix="/api/admin/fiscal", tags=["fiscal"], responses=_ERRORS)


@router.post("/shift/open", response_model=ShiftResponse, response_model_by_alias=True)
def shift_open(holder: Holder, body: ShiftRequest | None = None) -> ShiftResponse:
    svc = holder.get()
    row = svc.open_shift((body.cashier_id if body else None) or "")
    return ShiftResponse(shift=_shift_out(svc, row), message="Зміну відкрито успішно")


@router.post("/shift/close", response_model=ShiftCloseResponse)
def shift_close(holder: Holder, body: ShiftRequest | None = None) -> ShiftCloseResponse:
    svc = holder.get()
    row, z = svc.close_shift()
    return ShiftCloseResponse(z_report=_z_out(svc, row, z),
                              message="Зміну закрито, Z-звіт створено")


@router.get("/shift/status", response_model=ShiftStatus)
def shift_status(holder: Holder,
                 cashier_id: Annotated[str | None, Query(alias="cashierId")] = None
                 ) -> ShiftStatus:
    svc = holder.get()
    row = svc.current_shift()
    return ShiftStatus(is_open=row is not None, shift=_shift_out(svc, row) if row else None)


@router.post("/receipt", response_model=ReceiptOut)
def create_receipt(holder: Holder, body: ReceiptIn) -> ReceiptOut:
    svc, cfg = holder.get(), holder.settings()
    at = svc.clock()
    receipt = FiscalReceipt(
        _receipt_id(svc, body.order_id), _lines(body.items, cfg.country, at),
        _payments(body.payments), at, cfg.country, body.cashier_id or "",
        rounding=body.rounding, order_id=body.order_id, header=body.header, footer=body.footer,
        customer_email=body.customer.email if body.customer else None,
        customer_phone=body.customer.phone if body.customer else None)
    return _receipt_out(svc.sell(receipt))


@router.post("/return", response_model=ReceiptOut)
def create_return(holder: Holder, body: ReturnIn) -> ReceiptOut:
    svc, cfg = holder.get(), holder.settings()
    at = svc.clock()
    lines = _lines(body.items, cfg.country, at)
    total = sum(ln.gross for ln in lines)
    pays = _payments(body.payments) if body.payments else (Payment(PaymentKind.CASH, total),)
    receipt = FiscalReceipt(_receipt_id(svc, body.order_id), lines, pays, at, cfg.country,
                            body.cashier_id or "", True, body.original_fiscal_code,
                            order_id=body.order_id)
    return _receipt_out(svc.refund(receipt))


@router.get("/receipt/{id}", response_model=ReceiptDetail)
def get_receipt(holder: Holder, id: str) -> ReceiptDetail:
    """By our receipt id (UUID) or by fiscal number."""
    receipt_id, svc = id, holder.get()
    try:
        return _detail(svc.document(uuid.UUID(receipt_id)))
    except ValueError:
        row = svc.journal.by_fiscal_number(receipt_id) or \
            svc.journal.by_fiscal_number(receipt_id, "return")
        if row is None:
            raise DocumentNotFound(f"no fiscal document {receipt_id!r}") from None
        return _detail(row)


def _service(holder: FiscalHolder, body: ServiceIn, kind: DocKind) -> ServiceOut:
    svc = holder.get()
    op = CashOperation(_receipt_id(svc, body.order_id), kind, body.amount, svc.clock(),
                       comment=body.comment, order_id=body.order_id)
    r = svc.cash(op)
    return ServiceOut(fiscal_code=r.fiscal_number, receipt_id=str(r.receipt_id))


@router.post("/service/deposit", response_model=ServiceOut)
def deposit(holder: Holder, body: ServiceIn) -> ServiceOut:
    return _service(holder, body, DocKind.DEPOSIT)


@router.post("/service/withdraw", response_model=ServiceOut)
def withdraw(holder: Holder, body: ServiceIn) -> ServiceOut:
    return _service(holder, body, DocKind.WITHDRAW)


@router.get("/reports/daily", response_model=DailyReport)
def daily(holder: Holder, day: Annotated[date | None, Query(alias="date")] = None
          ) -> DailyReport:
    svc, cfg = holder.get(), holder.settings()
    from zoneinfo import ZoneInfo

    day = day or svc.clock().astimezone(ZoneInfo(cfg.timezone)).date()
    s = reports.day_summary(svc.journal, day, cfg.timezone)
    t = s.totals
    return DailyReport(
        date=day, total_sales=t.sales, total_returns=t.returns, receipts_count=t.receipts,
        returns_count=t.return_receipts, cash_payments=t.cash, card_payments=t.card,
        online_payments=0,
        shifts=[DayShift(id=sh.info.id, opened_at=sh.info.opened_at, closed_at=sh.closed_at,
                         receipts_count=st.receipts, total_sales=st.sales)
                for sh, st in s.shifts])


@router.get("/reports/period", response_model=PeriodReport, response_model_by_alias=True)
def period(holder: Holder, start: Annotated[date, Query(alias="from")],
           end: Annotated[date, Query(alias="to")]) -> PeriodReport:
    svc, cfg = holder.get(), holder.settings()
    if end < start:
        raise FiscalInvalid("'to' is before 'from'", field="to")
    if (end - start).days > 366:
        raise FiscalInvalid("a period report covers at most 367 days", field="to")
    days = reports.period_summary(svc.journal, start, end, cfg.timezone)
    return PeriodReport(
        **{"from": start}, to=end, total_sales=sum(d.totals.sales for d in days),
        total_returns=sum(d.totals.returns for d in days),
        receipts_count=sum(d.totals.receipts for d in days),
        returns_count=sum(d.totals.return_receipts for d in days),
        daily_reports=[DayLine(date=d.day, total_sales=d.totals.sales,
                               receipts_count=d.totals.receipts) for d in days])


# -- beyond the seed: what a cashier needs for receipts in doubt --------------------------------
@router.get("/device")
def device(holder: Holder) -> dict[str, Any]:
    st = holder.get().device_state()
    return {"device": st.device, "online": st.online, "shiftOpen": st.shift_open,
            "receiptOpen": st.receipt_open, "errors": list(st.errors),
            "warnings": list(st.warnings), "info": st.info}


def _attention(rows: list[JournalRow]) -> list[AttentionOut]:
    return [AttentionOut(receipt_id=str(r.receipt_id), kind=r.kind,
                         status=r.state.value.upper(), message=r.note or _STATE_TEXT.get(r.state),
                         total=r.total, attempts=r.attempts) for r in rows]


@router.get("/attention", response_model=list[AttentionOut])
def attention(holder: Holder) -> list[AttentionOut]:
    return _attention(holder.get().attention())


@router.post("/reconcile", response_model=list[AttentionOut])
def reconcile(holder: Holder) -> list[AttentionOut]:
    svc = holder.get()
    svc.sync()
    return _attention(svc.reconcile(retry=True))


@router.post("/receipt/{id}/void", response_model=ReceiptDetail)
def void(holder: Holder, id: uuid.UUID) -> ReceiptDetail:
    """Abandon a receipt the device confirms it never issued (never one in doubt)."""
    return _detail(holder.get().void(id, "voided via API"))


def setup(app: FastAPI, home: Path | None, *,
          dependencies: Sequence[DependsParam] | None = None,
          service: FiscalService | None = None) -> None:
    """Mount the router. When the app starts with a configured device, the service starts
    and reconciles unfinished documents (a device that is off is retried on the first call);
    the service is closed with the app."""
    holder = FiscalHolder(home, service)
    app.state.fiscal = holder
    app.include_router(router, dependencies=list(dependencies or []))
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: Any) -> AsyncIterator[Any]:
        if home is not None and config_path(home).exists():
            try:
                await anyio.to_thread.run_sync(holder.get)
            except TillbridgeError as exc:
                log.warning("fiscal_start_deferred", code=exc.code, error=exc.message)
        try:
            async with inner(a) as state:
                yield state
        finally:
            holder.close()

    app.router.lifespan_context = lifespan
