"""The cloud app over a database migrated once per backend, two shops with API keys each.

Each test seeds its own shops, so tests sharing the database stay apart the same way tenants
do in production.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.fernet import Fernet
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from cloud import tenancy
from cloud.app import create_app
from cloud.config import Settings
from cloud.jobs.registry import default_registry
from cloud.jobs.retry import RetryStrategy
from cloud.jobs.worker import Worker, WorkerConfig
from cloud.services.identity import api_keys, tenants
from cloud.services.webhooks.receiver import WebhookReceiver
from shared.clock import ManualClock
from tests.support.db import MigratedDatabases

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
OPERATOR_SCOPES = ["queues:read", "queues:write", "webhooks:read", "webhooks:write",
                   "webhooks:delete"]


@dataclass
class Shop:
    id: uuid.UUID
    key: str  # every queue and webhook scope
    reader: str  # queues:read and webhooks:read only
    outsider: str  # products:read only

    def h(self, which: str = "key") -> dict[str, str]:
        return {"X-API-Key": getattr(self, which)}


@dataclass
class World:
    app: FastAPI
    client: TestClient
    clock: ManualClock
    sessions: sessionmaker[Session]
    settings: Settings
    a: Shop
    b: Shop

    def worker(self, queue: str | None = None) -> Worker:
        return Worker(self.sessions, default_registry, clock=self.clock, settings=self.settings,
                      retry=RetryStrategy(jitter=0), worker_id="test-worker",
                      config=WorkerConfig(queues=(queue,) if queue else None))


@pytest.fixture(scope="session")
def jobs_api_db(migrated_dbs: MigratedDatabases) -> str:
    """This suite's database, migrated once per backend and run."""
    return migrated_dbs.url("jobs")


def api_settings(url: str, **overrides: Any) -> Settings:
    many = "100000/minute"
    base: dict[str, Any] = {
        "database_url": url, "jwt_secret": secrets.token_urlsafe(40),
        "encryption_key": Fernet.generate_key().decode(),
        "outbound_allowed_targets": "127.0.0.1/32", "webhook_timeout_s": 5,
        "rate_limit_overrides": {"pim": many, "v1-read": many, "v1-write": many,
                                 "v1-delete": many, "public": many},
        "rate_limit_key_prefix": f"tbjobs-{uuid.uuid4().hex[:8]}",
        "scheduler_enabled": False,
    }
    base.update(overrides)
    return Settings(**base)


def seed_shop(sessions: sessionmaker[Session], name: str) -> Shop:
    with sessions() as session:
        tenant = tenants.create_tenant(session=session, name=name)
        tenancy.scope(session, tenant.id)
        keys = {}
        for label, scopes in (("key", OPERATOR_SCOPES),
                              ("reader", ["queues:read", "webhooks:read"]),
                              ("outsider", ["products:read"])):
            _row, keys[label] = api_keys.create_api_key(
                session=session, principal=None, name=label, scopes=scopes, expires_at=None,
                rate_limit=None, mode="test", now=NOW)
        session.commit()
        return Shop(tenant.id, keys["key"], keys["reader"], keys["outsider"])


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
def world(jobs_api_db: str, clock: ManualClock) -> Iterator[World]:
    settings = api_settings(jobs_api_db)
    app = create_app(settings, clock=clock)
    sessions = app.state.runtime.sessions
    a = seed_shop(sessions, f"Shop A {uuid.uuid4().hex[:6]}")
    b = seed_shop(sessions, f"Shop B {uuid.uuid4().hex[:6]}")
    with TestClient(app) as client:
        yield World(app, client, clock, sessions, settings, a, b)


@pytest.fixture
def receiver(clock: ManualClock) -> Iterator[WebhookReceiver]:
    with WebhookReceiver(now=lambda: clock.now().timestamp()) as r:
        yield r
