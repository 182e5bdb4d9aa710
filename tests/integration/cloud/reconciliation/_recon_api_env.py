"""The cloud app with two tenants (an admin and a viewer each), a worker and a manual clock."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from cloud import audit, tenancy
from cloud.config import Settings
from cloud.crypto import generate_key
from cloud.jobs.registry import TaskRegistry
from cloud.jobs.retry import RetryStrategy
from cloud.jobs.worker import Worker
from cloud.services.identity import tenants, users
from cloud.services.reconciliation import runner
from shared.clock import ManualClock

API_NOW = datetime(2026, 3, 31, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"


def api_settings(url: str, key: str | None = None, **extra: Any) -> Settings:
    many = "100000/minute"
    extra.setdefault("scheduler_enabled", False)
    extra.setdefault("outbound_allowed_targets", "127.0.0.1/32")  # the fakes
    return Settings(database_url=url, jwt_secret=secrets.token_urlsafe(40),
                    encryption_key=key or generate_key(),
                    rate_limit_overrides={"auth-login": many, "v1-read": many,
                                          "v1-write": many, "v1-delete": many},
                    rate_limit_key_prefix=f"tbrecon-{uuid.uuid4().hex[:8]}", **extra)


@dataclass
class Shop:
    id: uuid.UUID
    admin: str  # e-mails
    viewer: str


def seed_shop(sessions: sessionmaker[Session], name: str, now: datetime) -> Shop:
    with sessions() as session:
        audit.set_context(session, audit.AuditContext(actor_type="system", actor_email="test"))
        tenant = tenants.create_tenant(session=session, name=name)
        tenancy.scope(session, tenant.id)
        emails = {}
        for role in ("admin", "viewer"):
            email = f"{role}-{uuid.uuid4().hex[:6]}@{tenant.slug}.example.com"
            users.create_user(session=session, tenant=tenant, now=now, invite_ttl_s=3600,
                              data=users.NewUser(email=email, first_name=role, last_name=name,
                                                 role=role, temp_password=PASSWORD))
            emails[role] = email
        session.commit()
        return Shop(tenant.id, emails["admin"], emails["viewer"])


@dataclass
class ApiWorld:
    app: FastAPI
    client: TestClient
    clock: ManualClock
    settings: Settings
    sessions: sessionmaker[Session]
    worker: Worker
    a: Shop
    b: Shop
    tokens: dict[str, tuple[str, datetime]]

    def h(self, email: str) -> dict[str, str]:
        """A bearer header; logs in again when the manual clock made the token old."""
        token, issued = self.tokens.get(email, ("", datetime.min.replace(tzinfo=UTC)))
        if self.clock.now() - issued > timedelta(minutes=10):
            resp = self.client.post("/api/v1/auth/login",
                                    json={"email": email, "password": PASSWORD})
            assert resp.status_code == 200, resp.text
            token = resp.json()["data"]["accessToken"]
            self.tokens[email] = (token, self.clock.now())
        return {"Authorization": f"Bearer {token}"}

    def call(self, email: str, method: str, path: str, **kw: Any) -> Any:
        return self.client.request(method, path, headers=self.h(email), **kw)


def make_worker(sessions: sessionmaker[Session], clock: Any, settings: Settings) -> Worker:
    registry = TaskRegistry()
    runner.register(registry)
    return Worker(sessions, registry, clock=clock, settings=settings,
                  retry=RetryStrategy(base=1.0, factor=2.0, jitter=0.0))
