"""Reconciliation: the engine's records/s against a bare dict comparison, and the Shopify
client's orders/s through the fake server against raw httpx paging of the same pages."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import httpx

from bench._harness import timed
from cloud.integrations.configs import ShopifyConfig, parse_config
from cloud.integrations.emulators import shopify_fake
from cloud.integrations.emulators.server import serve_in_thread
from cloud.integrations.orders import OrderRecord
from cloud.integrations.shopify import ShopifyClient
from cloud.services.reconciliation.engine import reconcile

_DAY = date(2026, 3, 31)


def _records(size: int) -> tuple[list[OrderRecord], list[OrderRecord]]:
    rng = random.Random(11)
    backend = [OrderRecord(str(10_000_000 + i), rng.randint(100, 500_000), "RON")
               for i in range(size)]
    analytics = []
    for r in backend:
        roll = rng.random()
        if roll < 0.005:
            continue  # lost by analytics
        amount = r.amount_minor + (rng.randint(1, 99) if roll < 0.008 else 0)
        analytics.append(OrderRecord(r.order_id, amount, "RON"))
    return backend, analytics


def _engine_vs_dict(size: int) -> dict[str, float]:
    backend, analytics = _records(size)

    def engine() -> None:
        reconcile(backend, analytics, start_date=_DAY - timedelta(days=29),
                  end_date=_DAY).as_result()

    def baseline() -> None:
        # The same comparison with no duplicates, sorting, totals or result rendering.
        b = {r.order_id: r.amount_minor for r in backend}
        a = {r.order_id: r.amount_minor for r in analytics}
        _missing = [i for i in b if i not in a]
        _diff = [i for i in b if i in a and a[i] != b[i]]

    t_engine = min(timed(engine) for _ in range(3))
    t_base = min(timed(baseline) for _ in range(3))
    return {"engine_records_per_s": size / t_engine, "dict_records_per_s": size / t_base,
            "ratio_engine_vs_dict": t_engine / t_base}


def _fetch(size: int) -> dict[str, float]:
    orders = shopify_fake.make_orders(size, days=30,
                                      end=datetime(2026, 4, 1, tzinfo=UTC))
    state = shopify_fake.ShopifyFakeState(orders=orders)
    with serve_in_thread(shopify_fake.create_app(state)) as url:
        config = parse_config("shopify", {"shop_url": url, "access_token": state.access_token})
        assert isinstance(config, ShopifyConfig)

        def client() -> None:
            with ShopifyClient(config) as c:
                got = c.fetch(_DAY - timedelta(days=29), _DAY)
            assert len(got) == size

        def raw() -> None:
            headers = {"X-Shopify-Access-Token": state.access_token}
            with httpx.Client(headers=headers) as h:
                nxt: str | None = f"{url}/admin/api/2025-01/orders.json?limit=250&status=any"
                while nxt:
                    resp = h.get(nxt)
                    resp.json()
                    nxt = resp.links.get("next", {}).get("url")

        t_client = min(timed(client) for _ in range(2))
        t_raw = min(timed(raw) for _ in range(2))
    return {"client_orders_per_s": size / t_client, "raw_http_orders_per_s": size / t_raw,
            "ratio_client_vs_raw_http": t_client / t_raw}


def run(size: int) -> tuple[dict[str, object], dict[str, float]]:
    fetch_size = min(size, 10_000)
    metrics = {**_engine_vs_dict(size), **_fetch(fetch_size)}
    return ({"records": size, "fetched_orders": fetch_size, "missing_rate": 0.005,
             "mismatch_rate": 0.003}, metrics)
