from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import shared.schemas.fiscal_reports as fiscal_reports
from shared.schemas.fiscal_reports import DailyReport, DayLine, DayShift, PeriodReport


def test_daily_report_dumps_seed_003_camel_case() -> None:
    opened = datetime(2025, 3, 1, 7, 0, tzinfo=UTC)
    report = DailyReport(
        date=date(2025, 3, 1), total_sales=12345, total_returns=100, receipts_count=3,
        returns_count=1, cash_payments=5000, card_payments=7345, online_payments=0,
        shifts=[DayShift(id="s1", opened_at=opened, closed_at=None, receipts_count=3,
                         total_sales=12345)])
    assert report.model_dump(mode="json") == {
        "date": "2025-03-01", "totalSales": 12345, "totalReturns": 100, "receiptsCount": 3,
        "returnsCount": 1, "cashPayments": 5000, "cardPayments": 7345, "onlinePayments": 0,
        "shifts": [{"id": "s1", "openedAt": "2025-03-01T07:00:00Z", "closedAt": None,
                    "receiptsCount": 3, "totalSales": 12345}]}


def test_period_report_uses_from_on_the_wire_and_reads_it_back() -> None:
    report = PeriodReport(
        **{"from": date(2025, 3, 1)}, to=date(2025, 3, 2), total_sales=30, total_returns=0,
        receipts_count=2, returns_count=0,
        daily_reports=[DayLine(date=date(2025, 3, 1), total_sales=10, receipts_count=1),
                       DayLine(date=date(2025, 3, 2), total_sales=20, receipts_count=1)])
    wire = report.model_dump(mode="json")
    assert wire["from"] == "2025-03-01" and "from_" not in wire
    assert wire["dailyReports"][1] == {"date": "2025-03-02", "totalSales": 20,
                                       "receiptsCount": 1}
    assert PeriodReport.model_validate(wire) == report


def test_module_is_pure_and_its_surface_explicit() -> None:
    """Shared code imports no web framework, database or device library."""
    tree = ast.parse(Path(fiscal_reports.__file__).read_text(encoding="utf-8"))
    roots = {(n.module or "").split(".")[0] for n in ast.walk(tree)
             if isinstance(n, ast.ImportFrom)}
    roots |= {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import)
              for a in n.names}
    assert roots <= {"__future__", "datetime", "pydantic"}
    assert sorted(fiscal_reports.__all__) == list(fiscal_reports.__all__)
    assert all(hasattr(fiscal_reports, n) for n in fiscal_reports.__all__)
