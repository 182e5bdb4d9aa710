"""Push: a till's events reach the cloud exactly once and are projected in the same transaction.

GIVEN an enrolled till selling against a live cloud (SQLite and PostgreSQL)
WHEN it pushes, pushes again, re-sends a batch, or sends past a gap
THEN each event and each receipt is stored once, the answer is the highest contiguous seq,
     gaps are reported and filled by re-sending, and the sales tables match the receipts.
"""

from __future__ import annotations

import gzip
import json
import uuid
from decimal import Decimal
from typing import Any

from conftest import Shop, World
from sqlalchemy import func, select

from cloud.models import Base
from cloud.models.catalog import Product
from cloud.models.stock import StockLocation, StockMovement
from desktop.core import CardDetails, CardTender, CashTender, ReturnItem, Till
from sync.protocol import PROTOCOL_VERSION, VERSION_HEADER


def sell(till: Till, skus: list[str], n: int = 1, qty: int = 2) -> list[Any]:
    out = []
    for i in range(n):
        cart = till.new_cart()
        cart = till.add_product(cart.id, skus[i % len(skus)], qty)
        out.append(till.complete_sale(cart.id, [CashTender(cart.due)]))
    return out


def counts(shop: Shop) -> dict[str, int]:
    with shop.live.sessions() as s:
        return {name: s.execute(select(func.count()).select_from(Base.metadata.tables[name])
                                .where(Base.metadata.tables[name].c.tenant_id
                                       == shop.tenant.id)).scalar_one()
                for name in ("sync_events", "sales", "sale_lines", "sale_payments",
                             "till_shifts", "till_cash_movements", "till_fiscal_results")}


def raw_push(shop: Shop, token: str, body: dict[str, Any], *, gz: bool = True) -> Any:
    data = json.dumps(body, default=str).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
               VERSION_HEADER: str(PROTOCOL_VERSION)}
    if gz:
        data, headers["Content-Encoding"] = gzip.compress(data), "gzip"
    return shop.live.api.client.post("/api/v1/sync/push", content=data, headers=headers)


def events_body(till: Till, device_id: str, after: int = 0, limit: int = 500) -> dict[str, Any]:
    return {"version": 1, "device_id": device_id, "batch_id": str(uuid.uuid4()),
            "events": [{"event_id": e.event_id, "seq": e.seq, "type": e.type,
                        "aggregate_id": e.aggregate_id, "created_at": e.created_at.isoformat(),
                        "payload": e.payload} for e in till.outbox_after(after, limit)]}


def test_sales_shift_cash_fiscal_and_returns_are_projected_once(world: World) -> None:
    shop = world.a
    till, client, _e = shop.enrolled()
    receipts = sell(till, shop.skus, 3)
    cart = till.add_product(till.new_cart().id, shop.skus[0], 1)
    card = till.complete_sale(cart.id, [CardTender(None, CardDetails(rrn="123", brand="VISA",
                                                                     masked_pan="4111****1111"))])
    ret = till.complete_return(receipts[0].number, [ReturnItem(1, 1)], reason="damaged")
    till.cash_in(2500, "change")
    till.record_fiscal_result(receipts[1].id, fiscal_number="FN-1",
                              fiscal_date=receipts[1].completed_at)
    assert client.push_all() == till.outbox_stats().last_seq
    stats = till.outbox_stats()
    assert stats.pending == 0 and stats.acked_through == stats.last_seq
    first = counts(shop)
    assert first["sync_events"] == stats.last_seq
    assert first["sales"] == 5 and first["sale_payments"] == 5
    assert first["till_shifts"] == 1 and first["till_cash_movements"] == 1
    assert first["till_fiscal_results"] == 1
    # Pushing everything again (as after a lost answer) changes nothing.
    resp = raw_push(shop, client.enrollment.device_token,
                    events_body(till, client.enrollment.device_id))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["stored"] == 0 and body["duplicates"] == stats.last_seq
    assert body["acked_through"] == stats.last_seq and body["gaps"] == []
    assert counts(shop) == first
    detail = shop.call("GET", f"/api/v1/sales/{card.id}").json()["data"]
    assert detail["payments"][0]["card"]["maskedPan"] == "4111****1111"
    assert detail["lines"][0]["sku"] == shop.skus[0]
    back = shop.call("GET", f"/api/v1/returns/{ret.id}").json()["data"]
    assert back["originalSaleId"] == receipts[0].id and back["reason"] == "damaged"
    fiscal = shop.call("GET", f"/api/v1/sales/{receipts[1].id}").json()["data"]["fiscal"]
    assert fiscal["fiscalNumber"] == "FN-1"


def test_stock_deltas_land_in_the_ledger_at_the_store(world: World) -> None:
    shop = world.a
    till, client, _e = shop.enrolled()
    sold = sell(till, shop.skus[:2], 4, qty=3)  # 2 receipts per SKU, 3 pieces each
    till.complete_return(sold[0].number, [ReturnItem(1, 1)])
    client.push_all()
    m, p, loc = StockMovement, Product, StockLocation
    with shop.live.sessions() as s:
        rows = s.execute(
            select(p.sku, m.reference_type, m.quantity, m.previous_stock, m.new_stock)
            .join(p, p.id == m.product_id).join(loc, loc.id == m.location_id)
            .where(m.tenant_id == shop.tenant.id, loc.store_id == shop.store_id)
            .order_by(p.sku, m.created_at)).all()
    by_sku: dict[str, Decimal] = {}
    for sku, _kind, qty, prev, new in rows:
        assert new - prev == qty  # a consistent ledger
        by_sku[sku] = by_sku.get(sku, Decimal(0)) + qty
    assert by_sku == {shop.skus[0]: Decimal(-5), shop.skus[1]: Decimal(-6)}
    assert sum(1 for r in rows if r[1] == "return") == 1


def test_a_gap_is_reported_and_filled_by_resending(world: World) -> None:
    shop = world.a
    till, client, e = shop.enrolled(seller=True)
    sell(till, shop.skus, 6)
    last = till.outbox_stats().last_seq
    events = events_body(till, e.device_id)["events"]
    head, tail = events[:3], events[5:]
    resp = raw_push(shop, e.device_token, {**events_body(till, e.device_id), "events": head})
    assert resp.json()["acked_through"] == 3
    resp = raw_push(shop, e.device_token, {**events_body(till, e.device_id), "events": tail})
    body = resp.json()
    assert body["acked_through"] == 3 and body["gaps"] == [[4, 5]], body
    assert body["stored"] == len(tail)
    status = client.status()
    assert status.acked_through == 3 and status.gaps == [(4, 5)]
    client.push_all()  # the client re-sends from the gap; what is there already is skipped
    assert client.status().acked_through == last
    assert till.outbox_stats().pending == 0
    assert counts(shop)["sync_events"] == last
