"""A migrated database per test (SQLite and PostgreSQL), a manual clock, a webhook receiver."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from cloud.db import make_engine, session_factory
from cloud.models import Base
from cloud.services.webhooks.receiver import WebhookReceiver
from shared.clock import ManualClock

# The tables these tests touch. Creating just them from the models is several times faster than
# running every head's migrations per test; test_jobs_migration checks the migration builds the
# same tables.
JOB_TABLES = ("jobs", "job_queue_pauses", "job_schedules", "webhook_subscriptions",
              "webhook_deliveries", "webhook_event_retries", "tenants")


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    Base.metadata.create_all(engine, tables=[Base.metadata.tables[t] for t in JOB_TABLES])
    try:
        yield session_factory(engine)
    finally:
        engine.dispose()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))


@pytest.fixture
def receiver(clock: ManualClock) -> Iterator[WebhookReceiver]:
    """A subscriber on 127.0.0.1 that checks signatures against the test's clock."""
    with WebhookReceiver(now=lambda: clock.now().timestamp()) as r:
        yield r
