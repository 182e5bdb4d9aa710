"""Expired stock reservations come back on a schedule, with no read touching the stock.

GIVEN a tenant with a product of 5 units, 3 held until 10:10 and 1 held until 12:00, and
another tenant with nothing due
WHEN the scheduler fires its built-in recurring jobs and a worker runs what they enqueued
THEN at 10:05 nothing is enqueued; at 10:11 one job for that tenant only, which releases the
3 expired units (a ``release`` movement) and leaves the hold that is not yet due.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from cloud.db import make_engine, session_factory
from cloud.jobs.schedule_runner import ScheduleRunner
from cloud.jobs.worker import Worker, WorkerConfig
from cloud.migrate import upgrade
from cloud.models.jobs import Job
from cloud.models.stock import StockLevel, StockMovement, StockReservation
from cloud.services.catalog import products
from cloud.services.catalog.settings import save_policy
from cloud.services.stock.jobs import EXPIRE_TASK
from cloud.services.stock.levels import Actor
from cloud.services.stock.reservations import ReserveItem, reserve
from shared.clock import ManualClock

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_scheduled_job_releases_expired_reservations(db_url: str) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    sessions = session_factory(engine)
    shop, idle = uuid.uuid4(), uuid.uuid4()
    try:
        with sessions.begin() as s:
            for tenant in (shop, idle):
                save_policy(s, tenant, country="RO", currency="RON")
                product = products.create_product(
                    s, tenant_id=tenant, data={"sku": "HELD", "name": "Held", "category": "c",
                                               "price": "1", "vatRate": 21, "unit": "buc",
                                               "stock": "5"}, actor=Actor(), now=NOW).product
                if tenant == idle:
                    continue
                pid = product.id
                reserve(s, tenant_id=shop, negotiation_id="N-SOON",
                        items=[ReserveItem(product, Decimal(3))],
                        expires_in=timedelta(minutes=10), now=NOW, actor=Actor())
                reserve(s, tenant_id=shop, negotiation_id="N-LATER",
                        items=[ReserveItem(product, Decimal(1))],
                        expires_in=timedelta(hours=2), now=NOW, actor=Actor())
        clock = ManualClock(NOW + timedelta(minutes=5))
        scheduler = ScheduleRunner(sessions, clock=clock)  # not started: fired by hand
        worker = Worker(sessions, config=WorkerConfig(poll_interval=0), clock=clock)

        assert scheduler.fire_recurring(EXPIRE_TASK) == []
        assert worker.run_once() == 0

        clock.set(NOW + timedelta(minutes=11))
        fired = scheduler.fire_recurring(EXPIRE_TASK)
        assert [(f.task, f.tenant_id, f.created) for f in fired] == [(EXPIRE_TASK, shop, True)]
        assert worker.run_once() == 1

        with sessions() as s:
            job = s.scalars(select(Job).where(Job.task == EXPIRE_TASK)).one()
            assert (job.tenant_id, job.state, job.result) == (shop, "completed", {"expired": 1})
            states = dict(s.execute(select(StockReservation.negotiation_id,
                                           StockReservation.status)
                                    .where(StockReservation.tenant_id == shop)).all())
            assert states == {"N-SOON": "expired", "N-LATER": "active"}
            level = s.scalars(select(StockLevel).where(StockLevel.product_id == pid)).one()
            assert (level.on_hand, level.reserved) == (5, 1)
            released = s.scalars(select(StockMovement).where(
                StockMovement.product_id == pid, StockMovement.type == "release")).all()
            assert [(m.quantity, m.reference_id) for m in released] == [(3, "N-SOON")]

        clock.advance(60)  # the next minute: nothing is due any more
        assert scheduler.fire_recurring(EXPIRE_TASK) == []
    finally:
        engine.dispose()
