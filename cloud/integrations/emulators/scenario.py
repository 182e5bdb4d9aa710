"""A reconciliation scenario for the fakes: backend orders plus a GA4 that lost some of them.

Used by tests and ``make demo``: N orders over D days in a backend fake (Shopify, WooCommerce
or Tillbridge sales rows), and GA4 purchase events for the same orders except ``missing``
ones, with ``mismatched`` ones recorded at a different amount. The scenario keeps what it
broke, so a test can compare a job's result with it.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal

from cloud.integrations.emulators.ga4_fake import GA4Event
from cloud.integrations.emulators.shopify_fake import make_orders as shopify_orders
from cloud.integrations.emulators.woocommerce_fake import make_orders as woo_orders

__all__ = ["Backend", "SaleSpec", "Scenario", "build_scenario"]

Backend = Literal["shopify", "woocommerce", "tillbridge"]


@dataclass(frozen=True)
class SaleSpec:
    """A Tillbridge sale as a till would sync it (see the tests for how it is stored)."""

    store_id: uuid.UUID
    sale_id: str
    total_minor: int
    currency: str
    sold_at: datetime


@dataclass
class Scenario:
    backend: Backend
    start: date
    end: date
    currency: str
    orders: list[dict[str, Any]] = field(default_factory=list)  # Shopify/Woo shaped
    sales: list[SaleSpec] = field(default_factory=list)  # Tillbridge
    store_id: uuid.UUID | None = None
    events: list[GA4Event] = field(default_factory=list)
    backend_amounts: dict[str, int] = field(default_factory=dict)  # id -> minor units
    missing_ids: list[str] = field(default_factory=list)
    mismatches: dict[str, tuple[int, int]] = field(default_factory=dict)  # id -> (backend, ga4)

    @property
    def backend_total_minor(self) -> int:
        return sum(self.backend_amounts.values())

    @property
    def ga4_total_minor(self) -> int:
        return sum(_minor(e.revenue) for e in self.events)


def _minor(text: str) -> int:
    return int(Decimal(text).scaleb(2))


def _text(minor: int) -> str:
    return str(Decimal(minor).scaleb(-2))


def build_scenario(backend: Backend, *, orders: int = 1050, days: int = 30, missing: int = 7,
                   mismatched: int = 3, end: date | None = None, currency: str = "RON",
                   seed: int = 42, store_id: uuid.UUID | None = None) -> Scenario:
    """Orders created in ``[end - days + 1, end]`` (UTC days) and GA4's partial view of them."""
    last = end or datetime.now(UTC).date()
    first = last - timedelta(days=days - 1)
    until = datetime.combine(last + timedelta(days=1), time.min, UTC)
    sc = Scenario(backend=backend, start=first, end=last, currency=currency)
    rows: list[tuple[str, int, datetime]] = []
    if backend == "shopify":
        sc.orders = shopify_orders(orders, days=days, end=until, currency=currency, seed=seed)
        rows = [(str(o["id"]), _minor(o["total_price"]), datetime.fromisoformat(o["created_at"]))
                for o in sc.orders]
    elif backend == "woocommerce":
        sc.orders = woo_orders(orders, days=days, end=until, currency=currency, seed=seed)
        rows = [(str(o["id"]), _minor(o["total"]),
                 datetime.fromisoformat(o["date_created_gmt"]).replace(tzinfo=UTC))
                for o in sc.orders]
    else:
        rng = random.Random(seed)
        sc.store_id = store_id or uuid.UUID(int=rng.getrandbits(128), version=4)
        span = days * 86_400
        start_at = until - timedelta(seconds=span)
        for i in range(orders):
            sold = start_at + timedelta(seconds=(i * span) // orders + rng.randrange(0, 60))
            sale = SaleSpec(store_id=sc.store_id, sale_id=f"S1-T1-{1 + i // 200}-{i + 1}",
                            total_minor=rng.randint(500, 250_000), currency=currency,
                            sold_at=sold)
            sc.sales.append(sale)
            rows.append((sale.sale_id, sale.total_minor, sold))
    rng = random.Random(seed + 1)
    picked = rng.sample(range(len(rows)), missing + mismatched)
    lost = {rows[i][0] for i in picked[:missing]}
    changed = {rows[i][0] for i in picked[missing:]}
    for order_id, minor, created in rows:
        sc.backend_amounts[order_id] = minor
        if order_id in lost:
            sc.missing_ids.append(order_id)
            continue
        recorded = minor
        if order_id in changed:
            recorded = minor + rng.choice([-1, 1]) * rng.randint(1, 499)
            recorded = recorded if recorded > 0 else minor + 1
            sc.mismatches[order_id] = (minor, recorded)
        sc.events.append(GA4Event(transaction_id=order_id, revenue=_text(recorded),
                                  day=created.astimezone(UTC).date()))
    return sc
