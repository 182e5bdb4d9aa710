"""Read side of what tills synced: sales, returns and shifts per store/till, and seed 003's
``GET /api/admin/fiscal/reports/daily|period`` over them for the back office.

``/api/v1/*`` lists use the seed-001 envelope and pagination; the fiscal reports answer the
seed-003 shapes (amounts in minor units) and its ``{error, code, details}`` errors.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request

from cloud.api.deps import ClockDep, SessionDep, require_scopes
from cloud.api.responses import PageDep, error_responses, ok, paginated
from cloud.auth import rbac
from cloud.auth.principal import Principal
from cloud.errors import InvalidInput
from cloud.schemas.common import Envelope, IsoDate, IsoDateOrDateTime, Paginated
from cloud.schemas.sales import (
    CashMovementOut,
    FiscalOut,
    LineOut,
    PaymentOut,
    SaleDetail,
    SaleOut,
    ShiftDetail,
    ShiftOut,
)
from cloud.services.catalog.stores import get_store
from cloud.services.sales import queries, reports
from shared.errors import Family
from shared.schemas.fiscal_reports import DailyReport, DayLine, DayShift, PeriodReport

__all__ = ["fiscal_router", "router", "routers"]

rbac.register_scopes("sales:read", roles=(rbac.Role.SALES_MANAGER, rbac.Role.STORE_MANAGER,
                                          rbac.Role.VIEWER))
router = APIRouter(prefix="/api/v1", tags=["sales"], responses=error_responses())
fiscal_router = APIRouter(prefix="/api/admin/fiscal", tags=["fiscal reports"],
                          responses=error_responses(Family.RETAIL,
                                                    (400, 401, 403, 404, 422, 429, 500)))
routers = (router, fiscal_router)
Reader = Annotated[Principal, require_scopes("sales:read")]


# -- sales and returns -------------------------------------------------------------------------

Kind = Literal["sale", "return"]


def _bound(value: datetime | date | None, *, end: bool) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time.max if end else time.min, UTC)


StoreQ = Annotated[uuid.UUID | None, Query(alias="storeId")]
TillQ = Annotated[uuid.UUID | None, Query(alias="tillId")]
ShiftQ = Annotated[uuid.UUID | None, Query(alias="shiftId")]
FromQ = Annotated[IsoDateOrDateTime | None, Query(alias="from",
                                                description="date or ISO timestamp")]
ToQ = Annotated[IsoDateOrDateTime | None, Query(alias="to", description="inclusive")]


@router.get("/sales", response_model=Paginated[SaleOut])
def list_sales(request: Request, session: SessionDep, p: Reader, page: PageDep,
               store_id: StoreQ = None, till_id: TillQ = None, shift_id: ShiftQ = None,
               kind: Kind | None = None, start: FromQ = None, end: ToQ = None,
               number: Annotated[str | None, Query(max_length=64)] = None) -> Any:
    """Synced receipts (sales and returns), newest first, filtered by store/till/shift/time."""
    rows, pagination = queries.list_sales(
        session=session, tenant_id=p.tenant_id, page=page, kind=kind, store_id=store_id,
        till_id=till_id, shift_id=shift_id, start=_bound(start, end=False),
        end=_bound(end, end=True), number=number)
    return paginated(request, [SaleOut.model_validate(r) for r in rows], pagination)


@router.get("/returns", response_model=Paginated[SaleOut])
def list_returns(request: Request, session: SessionDep, p: Reader, page: PageDep,
                 store_id: StoreQ = None, till_id: TillQ = None, shift_id: ShiftQ = None,
                 start: FromQ = None, end: ToQ = None) -> Any:
    """Synced returns (refund receipts), newest first."""
    rows, pagination = queries.list_sales(
        session=session, tenant_id=p.tenant_id, page=page, kind="return", store_id=store_id,
        till_id=till_id, shift_id=shift_id, start=_bound(start, end=False),
        end=_bound(end, end=True))
    return paginated(request, [SaleOut.model_validate(r) for r in rows], pagination)


def _detail(session: SessionDep, p: Principal, sale_id: uuid.UUID,
            kind: Kind | None) -> SaleDetail:
    found = queries.get_sale(session=session, tenant_id=p.tenant_id, sale_id=sale_id, kind=kind)
    sale, lines, payments, fiscal = found.sale, found.lines, found.payments, found.fiscal
    data = SaleOut.model_validate(sale).model_dump()
    return SaleDetail(
        **data, cashier_id=sale.cashier_id, opened_at=sale.opened_at, country=sale.country,
        subtotal=sale.subtotal, discount_total=sale.discount_total, rounding=sale.rounding,
        paid=sale.paid, change=sale.change, excise_total=sale.excise_total,
        voided_lines=sale.voided_lines, original_number=sale.original_number,
        approved_by=sale.approved_by, reason=sale.reason,
        lines=[LineOut(line_no=ln.line_no, sku=ln.sku, name=ln.name, product_id=ln.product_id,
                       unit=ln.unit, quantity=float(ln.quantity), unit_price=ln.unit_price,
                       list_price=ln.list_price, discount=ln.line_discount + ln.receipt_discount,
                       gross=ln.gross, net=ln.net, vat=ln.vat, excise=ln.excise,
                       vat_group=ln.vat_group, vat_rate=ln.vat_rate, barcode=ln.barcode,
                       original_line_no=ln.original_line_no, price_flag=ln.price_flag)
               for ln in lines],
        payments=[PaymentOut.model_validate(pm) for pm in payments],
        fiscal=FiscalOut.model_validate(fiscal) if fiscal else None)


@router.get("/sales/{sale_id}", response_model=Envelope[SaleDetail])
def get_sale(sale_id: uuid.UUID, request: Request, session: SessionDep, p: Reader) -> Any:
    """One receipt with its lines, payments and fiscal result."""
    return ok(request, _detail(session, p, sale_id, None))


@router.get("/returns/{sale_id}", response_model=Envelope[SaleDetail])
def get_return(sale_id: uuid.UUID, request: Request, session: SessionDep, p: Reader) -> Any:
    return ok(request, _detail(session, p, sale_id, "return"))


# -- shifts ------------------------------------------------------------------------------------

@router.get("/shifts", response_model=Paginated[ShiftOut])
def list_shifts(request: Request, session: SessionDep, p: Reader, page: PageDep,
                store_id: StoreQ = None, till_id: TillQ = None,
                status: Literal["open", "closed"] | None = None, start: FromQ = None,
                end: ToQ = None) -> Any:
    """Till shifts with their Z totals once closed, newest first."""
    rows, pagination = queries.list_shifts(
        session=session, tenant_id=p.tenant_id, page=page, store_id=store_id, till_id=till_id,
        status=status, start=_bound(start, end=False), end=_bound(end, end=True))
    return paginated(request, [ShiftOut.model_validate(r) for r in rows], pagination)


@router.get("/shifts/{shift_id}", response_model=Envelope[ShiftDetail])
def get_shift(shift_id: uuid.UUID, request: Request, session: SessionDep, p: Reader) -> Any:
    """A shift with its Z report, service cash movements and receipt count."""
    found = queries.get_shift(session=session, tenant_id=p.tenant_id, shift_id=shift_id)
    shift, moves, receipts = found.shift, found.cash_movements, found.receipts
    return ok(request, ShiftDetail(
        **ShiftOut.model_validate(shift).model_dump(), z_report=shift.z_report,
        cash_movements=[CashMovementOut.model_validate(m) for m in moves], receipts=receipts))


# -- seed 003 fiscal reports ---------------------------------------------------------------------

def _today(session: SessionDep, p: Principal, store_id: uuid.UUID | None,
           now: datetime) -> date:
    if store_id is None:
        return now.date()
    return now.astimezone(ZoneInfo(get_store(session, p.tenant_id, store_id).timezone)).date()


@fiscal_router.get("/reports/daily", response_model=DailyReport)
def daily_report(session: SessionDep, p: Reader, clock: ClockDep,
                 day: Annotated[IsoDate | None, Query(alias="date")] = None,
                 store_id: StoreQ = None, till_id: TillQ = None) -> Any:
    """The day's sales, returns and payments over synced receipts (all stores unless
    ``storeId``); days are calendar days in each store's time zone."""
    if store_id is not None:
        get_store(session, p.tenant_id, store_id)
    day = day or _today(session, p, store_id, clock.now())
    d = reports.daily(session, tenant_id=p.tenant_id, day=day, store_id=store_id,
                      till_id=till_id)
    t = d.totals
    return DailyReport(
        date=day, total_sales=t.total_sales, total_returns=t.total_returns,
        receipts_count=t.receipts, returns_count=t.returns, cash_payments=t.cash,
        card_payments=t.card, online_payments=t.online,
        shifts=[DayShift(id=str(s.id), opened_at=s.opened_at, closed_at=s.closed_at,
                         receipts_count=s.receipts, total_sales=s.total_sales)
                for s in d.shifts])


@fiscal_router.get("/reports/period", response_model=PeriodReport)
def period_report(session: SessionDep, p: Reader,
                  start: Annotated[IsoDate, Query(alias="from")],
                  end: Annotated[IsoDate, Query(alias="to")],
                  store_id: StoreQ = None, till_id: TillQ = None) -> Any:
    """Totals from ``from`` to ``to`` (inclusive, at most 367 days) with one line per day."""
    if end < start:
        raise InvalidInput("'to' is before 'from'", field="to")
    if (end - start).days > 366:
        raise InvalidInput("a period report covers at most 367 days", field="to")
    if store_id is not None:
        get_store(session, p.tenant_id, store_id)
    days = reports.period(session, tenant_id=p.tenant_id, first=start, last=end,
                          store_id=store_id, till_id=till_id)
    return PeriodReport(
        **{"from": start}, to=end, total_sales=sum(d.total_sales for d in days),
        total_returns=sum(d.total_returns for d in days),
        receipts_count=sum(d.receipts for d in days),
        returns_count=sum(d.returns for d in days),
        daily_reports=[DayLine(date=d.day, total_sales=d.total_sales, receipts_count=d.receipts)
                       for d in days])
