"""50 parallel reservations of the last 10 units on PostgreSQL: exactly 10 succeed."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from cloud.db import make_engine, session_factory
from cloud.migrate import upgrade
from cloud.models.stock import StockLevel, StockReservation
from cloud.services.catalog import products
from cloud.services.catalog.settings import save_policy
from cloud.services.stock.errors import StockInsufficient
from cloud.services.stock.levels import Actor
from cloud.services.stock.reservations import ReserveItem, reserve

pytestmark = pytest.mark.pg


def test_fifty_concurrent_reservations_of_ten_units(pg_url: str) -> None:
    upgrade(pg_url)
    engine = make_engine(pg_url, pool_size=25, max_overflow=30)
    sessions = session_factory(engine)
    tenant, now = uuid.uuid4(), datetime(2026, 3, 2, 9, tzinfo=UTC)
    with sessions.begin() as s:
        save_policy(s, tenant, country="RO", currency="RON")
        pid = products.create_product(
            s, tenant_id=tenant, data={"sku": "LAST", "name": "Last units", "category": "c",
                                       "price": "1", "vatRate": 21, "unit": "buc",
                                       "stock": "10"}, actor=Actor(), now=now).product.id
    start = threading.Barrier(50)
    outcomes: list[str] = []
    lock = threading.Lock()

    def one(n: int) -> None:
        start.wait()
        try:
            with sessions.begin() as s:
                product = products.get_product(s, tenant_id=tenant, product_id=pid)
                reserve(s, tenant_id=tenant, negotiation_id=f"N{n}",
                        items=[ReserveItem(product, Decimal(1))],
                        expires_in=timedelta(hours=1), now=now, actor=Actor())
            result = "ok"
        except StockInsufficient:
            result = "refused"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes).count("ok") == 10 and outcomes.count("refused") == 40
    with sessions() as s:
        level = s.scalar(select(StockLevel).where(StockLevel.product_id == pid))
        assert level is not None and (level.on_hand, level.reserved) == (10, 10)
        held = s.scalars(select(StockReservation).where(StockReservation.tenant_id == tenant))
        assert len(list(held)) == 10
    engine.dispose()
