"""``/reports/daily|period``: totals from the till's fiscal journal, in the shapes the cloud
also answers over synced sales (``shared.schemas.fiscal_reports``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query

from desktop.api.deps import Services
from desktop.devices.fiscal import reports
from desktop.devices.fiscal.errors import FiscalInvalid
from shared.schemas.fiscal_reports import DailyReport, DayLine, DayShift, PeriodReport

__all__ = ["router"]

router = APIRouter()

# Reports are asked of days a till can have worked; the bounds keep zone arithmetic away from
# the edges of ``date`` (0001-01-01 minus a day in Europe/Kyiv overflows).
_FIRST_DAY, _LAST_DAY = date(2000, 1, 1), date(9998, 12, 31)


def _day(alias: str) -> object:
    return Query(alias=alias, ge=_FIRST_DAY, le=_LAST_DAY)  # type: ignore[arg-type]


@router.get("/reports/daily", response_model=DailyReport)
def daily(services: Services, day: Annotated[date | None, _day("date")] = None
          ) -> DailyReport:
    svc, cfg = services.fiscal.get(), services.fiscal_config()
    day = day or svc.clock.now().astimezone(ZoneInfo(cfg.timezone)).date()
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
def period(services: Services, start: Annotated[date, _day("from")],
           end: Annotated[date, _day("to")]) -> PeriodReport:
    svc, cfg = services.fiscal.get(), services.fiscal_config()
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
