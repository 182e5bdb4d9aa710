"""The back office reads what tills synced: sales, returns, shifts, and seed 003's fiscal reports.

GIVEN a till that sold (cash and card), returned, moved cash and closed its shift, all pushed
WHEN the back office lists and opens them, and asks for the daily and period reports
THEN the numbers are the till's own, filters narrow them, the reports follow seed 003's shape
     and errors, and another tenant sees none of it.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from conftest import World
from test_sync_push import sell

from desktop.core import CardDetails, CardTender, ReturnItem


def _day(receipt_completed_at: object) -> date:
    return receipt_completed_at.astimezone(ZoneInfo("Europe/Bucharest")).date()  # type: ignore[attr-defined]


def test_lists_details_and_reports_over_synced_receipts(world: World) -> None:
    shop = world.a
    till, client, _e = shop.enrolled()
    cash = sell(till, shop.skus, 3)
    cart = till.add_product(till.new_cart().id, shop.skus[1], 2)
    card = till.complete_sale(cart.id, [CardTender(None, CardDetails(rrn="9"))])
    ret = till.complete_return(cash[0].number, [ReturnItem(1, 1)])
    till.cash_out(300, "bank")
    z = till.close_shift(till.drawer_balance())
    client.push_all()
    day = _day(card.completed_at)

    sales = shop.call("GET", "/api/v1/sales").json()
    assert sales["pagination"]["total"] == 5
    only_sales = shop.call("GET", "/api/v1/sales?kind=sale").json()["data"]
    assert {s["id"] for s in only_sales} == {r.id for r in [*cash, card]}
    by_till = shop.call("GET", f"/api/v1/sales?tillId={shop.till_id}&kind=sale&limit=2").json()
    assert by_till["pagination"]["total"] == 4 and len(by_till["data"]) == 2
    assert shop.call("GET", f"/api/v1/sales?from={day + timedelta(days=1)}").json()[
        "pagination"]["total"] == 0
    assert shop.call("GET", f"/api/v1/sales?number={card.number}").json()["data"][0][
        "id"] == card.id
    returns = shop.call("GET", "/api/v1/returns").json()["data"]
    assert [r["id"] for r in returns] == [ret.id]
    assert shop.call("GET", f"/api/v1/returns/{card.id}").status_code == 404

    detail = shop.call("GET", f"/api/v1/sales/{cash[1].id}").json()["data"]
    assert detail["total"] == cash[1].total
    assert sum(ln["gross"] for ln in detail["lines"]) == sum(ln.gross for ln in cash[1].lines)
    assert detail["payments"][0]["kind"] == "cash"

    shifts = shop.call("GET", f"/api/v1/shifts?storeId={shop.store_id}").json()["data"]
    assert len(shifts) == 1 and shifts[0]["status"] == "closed"
    shift = shop.call("GET", f"/api/v1/shifts/{shifts[0]['id']}").json()["data"]
    assert shift["salesCount"] == 4 and shift["returnsCount"] == 1
    assert shift["salesTotal"] == z.totals.sales_total
    assert shift["countedCash"] == z.counted_cash and shift["cashDifference"] == 0
    assert shift["receipts"] == 5 and shift["cashMovements"][0]["amount"] == 300
    assert shift["zReport"]["net_total"] == z.net_total

    daily = shop.call("GET", f"/api/admin/fiscal/reports/daily?date={day}").json()
    sales_total = sum(r.total for r in [*cash, card])
    assert daily["date"] == str(day)
    assert daily["totalSales"] == sales_total and daily["receiptsCount"] == 4
    assert daily["totalReturns"] == ret.total and daily["returnsCount"] == 1
    assert daily["cardPayments"] == card.total
    assert daily["cashPayments"] == sum(r.total for r in cash)
    assert daily["onlinePayments"] == 0
    assert daily["shifts"][0]["receiptsCount"] == 4
    assert daily["shifts"][0]["totalSales"] == sales_total
    assert daily["shifts"][0]["closedAt"] is not None
    store_daily = shop.call("GET", f"/api/admin/fiscal/reports/daily?date={day}"
                                   f"&storeId={shop.store_id}").json()
    assert store_daily["totalSales"] == sales_total

    first, last = day - timedelta(days=2), day + timedelta(days=1)
    period = shop.call("GET", f"/api/admin/fiscal/reports/period?from={first}&to={last}").json()
    assert period["from"] == str(first) and period["to"] == str(last)
    assert period["totalSales"] == sales_total and period["returnsCount"] == 1
    assert [d["date"] for d in period["dailyReports"]] == [
        str(first + timedelta(days=i)) for i in range(4)]
    assert period["dailyReports"][2] == {"date": str(day), "totalSales": sales_total,
                                         "receiptsCount": 4}

    # Another tenant: its reports are empty and A's receipts are not found.
    other = world.b.call("GET", f"/api/admin/fiscal/reports/daily?date={day}").json()
    assert other["totalSales"] == 0 and other["shifts"] == []
    assert world.b.call("GET", f"/api/v1/sales/{card.id}").status_code == 404
    assert world.b.call("GET", "/api/v1/sales").json()["pagination"]["total"] == 0


def test_report_errors_use_the_retail_error_shape(world: World) -> None:
    shop = world.a
    r = shop.call("GET", "/api/admin/fiscal/reports/period?from=2026-03-10&to=2026-03-01")
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "VALIDATION_ERROR" and body["error"] and "details" in body
    r = shop.call("GET", "/api/admin/fiscal/reports/period?from=2024-01-01&to=2026-01-01")
    assert r.status_code == 422 and r.json()["code"] == "VALIDATION_ERROR"
    r = shop.call("GET", "/api/admin/fiscal/reports/daily?date=yesterday")
    assert r.status_code == 422 and r.json()["code"] == "VALIDATION_ERROR"
    r = shop.call("GET", f"/api/admin/fiscal/reports/daily?storeId={world.b.store_id}")
    assert r.status_code == 404 and r.json()["code"] == "RESOURCE_NOT_FOUND"
    r = shop.live.api.client.get("/api/admin/fiscal/reports/daily")
    assert r.status_code == 401 and r.json()["code"] == "AUTHENTICATION_FAILED"
    viewer = shop.live.api.as_(shop.tenant.viewer, "GET", "/api/admin/fiscal/reports/daily")
    assert viewer.status_code == 200  # viewers may read reports
