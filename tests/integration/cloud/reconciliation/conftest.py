"""A migrated database (SQLite and PostgreSQL), a manual clock, a worker that runs the
reconciliation handler, and fake order sources on 127.0.0.1."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from _recon_api_env import API_NOW, ApiWorld, api_settings, make_worker, seed_shop
from _recon_env import NOW, Env
from fastapi.testclient import TestClient

from cloud.app import create_app
from cloud.config import Settings
from cloud.crypto import SecretBox, generate_key
from cloud.db import make_engine, session_factory
from cloud.jobs.registry import TaskRegistry
from cloud.jobs.retry import RetryStrategy
from cloud.jobs.worker import Worker
from cloud.services.reconciliation import runner
from shared.clock import ManualClock
from tests.support.db import MigratedDatabases


@pytest.fixture
def env(recon_api_db: str) -> Iterator[Env]:
    """Services on a database migrated once per backend; each test is its own tenant."""
    db_url = recon_api_db
    engine = make_engine(db_url)
    sessions = session_factory(engine)
    clock = ManualClock(NOW)
    key = generate_key()
    settings = Settings(database_url=db_url, encryption_key=key,
                        outbound_allowed_targets="127.0.0.1/32")
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


# -- the API over a database migrated once per backend -------------------------------------

@pytest.fixture(scope="session")
def recon_api_db(migrated_dbs: MigratedDatabases) -> str:
    """This suite's database, migrated once per backend and run."""
    return migrated_dbs.url("reconciliation")


@pytest.fixture
def world(recon_api_db: str) -> Iterator[ApiWorld]:
    clock = ManualClock(API_NOW)
    settings = api_settings(recon_api_db)
    app = create_app(settings, clock=clock)
    sessions = app.state.runtime.sessions
    a = seed_shop(sessions, f"Shop A {uuid.uuid4().hex[:6]}", API_NOW)
    b = seed_shop(sessions, f"Shop B {uuid.uuid4().hex[:6]}", API_NOW)
    with TestClient(app) as client:
        yield ApiWorld(app, client, clock, settings, sessions,
                       make_worker(sessions, clock, settings), a, b, {})
