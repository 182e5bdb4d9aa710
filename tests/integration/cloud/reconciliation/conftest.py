"""A migrated database (SQLite and PostgreSQL), a manual clock, a worker that runs the
reconciliation handler, and fake order sources on 127.0.0.1."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from _recon_env import NOW, Env

from cloud.config import Settings
from cloud.db import make_engine, session_factory
from cloud.jobs.registry import TaskRegistry
from cloud.jobs.retry import RetryStrategy
from cloud.jobs.states import ManualClock
from cloud.jobs.worker import Worker
from cloud.migrate import upgrade
from cloud.services.crypto import SecretBox, generate_key
from cloud.services.reconciliation import runner


@pytest.fixture
def env(db_url: str) -> Iterator[Env]:
    upgrade(db_url)
    engine = make_engine(db_url)
    sessions = session_factory(engine)
    clock = ManualClock(NOW)
    key = generate_key()
    settings = Settings(database_url=db_url, encryption_key=key)
    registry = TaskRegistry()
    runner.register(registry)
    # Backoff 1 s * 2^attempt (the seed's 2, 4, 8 s) without jitter, on the manual clock.
    worker = Worker(sessions, registry, clock=clock, settings=settings,
                    retry=RetryStrategy(base=1.0, factor=2.0, jitter=0.0))
    try:
        yield Env(url=db_url, sessions=sessions, clock=clock, key=key, box=SecretBox([key]),
                  settings=settings, worker=worker, tenant=uuid.uuid4())
    finally:
        engine.dispose()
