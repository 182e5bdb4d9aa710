"""Tenants with real users and API keys, settings for a test cloud, and an API client that logs
in as those users: what the platform, catalog and sync suites seed their cloud worlds with."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from cloud import audit, tenancy
from cloud.config import Settings
from cloud.services.identity import api_keys, tenants, users
from shared.clock import ManualClock

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
PASSWORD = "correct horse battery"


def make_settings(db_url: str, **overrides: Any) -> Settings:
    base: dict[str, Any] = {
        "database_url": db_url, "jwt_secret": secrets.token_urlsafe(40),
        "encryption_key": Fernet.generate_key().decode(),
        # The suite logs in often from one "IP"; the login limit has its own test.
        "rate_limit_overrides": {"auth-login": "1000/minute", "auth-token": "1000/minute",
                                 "v1-read": "1000/minute", "v1-write": "1000/minute",
                                 "v1-delete": "1000/minute"},
        "rate_limit_key_prefix": f"tbtest-{uuid.uuid4().hex[:8]}",
        "scheduler_enabled": False,
    }
    base.update(overrides)
    return Settings(**base)


@dataclass
class Person:
    id: uuid.UUID
    email: str
    role: str
    password: str = PASSWORD


@dataclass
class TenantData:
    id: uuid.UUID
    slug: str
    admin: Person
    viewer: Person
    key_id: uuid.UUID
    key: str  # an API key with products:read only
    extra: dict[str, Any] = field(default_factory=dict)


def seed_tenant(sessions: sessionmaker[Session], name: str, now: datetime) -> TenantData:
    with sessions() as session:
        audit.set_context(session, audit.AuditContext(actor_type="system", actor_email="test"))
        tenant = tenants.create_tenant(session=session, name=name)
        tenancy.scope(session, tenant.id)
        people = {}
        for role in ("admin", "viewer"):
            email = f"{role}@{tenant.slug}.example.com"
            user, _ = users.create_user(
                session=session, tenant=tenant, now=now, invite_ttl_s=3600,
                data=users.NewUser(email=email, first_name=role.title(), last_name=name,
                                   role=role, temp_password=PASSWORD))
            people[role] = Person(user.id, email, role)
        key_row, key = api_keys.create_api_key(
            session=session, principal=None, name="reader", scopes=["products:read"],
            expires_at=None, rate_limit=None, mode="live", now=now)
        session.commit()
        return TenantData(tenant.id, tenant.slug, people["admin"], people["viewer"],
                          key_row.id, key)


class Api:
    """A TestClient that logs in and remembers tokens per e-mail."""

    def __init__(self, client: TestClient, clock: ManualClock) -> None:
        self.client = client
        self.clock = clock
        self.tokens: dict[str, dict[str, Any]] = {}

    def login(self, person: Person, **extra: Any) -> dict[str, Any]:
        resp = self.client.post("/api/v1/auth/login",
                                json={"email": person.email, "password": person.password,
                                      **extra})
        assert resp.status_code == 200, resp.text
        data: dict[str, Any] = resp.json()["data"]
        self.tokens[person.email] = data
        return data

    def headers(self, person: Person) -> dict[str, str]:
        data = self.tokens.get(person.email) or self.login(person)
        return {"Authorization": f"Bearer {data['accessToken']}"}

    def as_(self, person: Person, method: str, path: str, **kw: Any) -> Any:
        headers = {**self.headers(person), **kw.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kw)


def error_code(resp: Any) -> str:
    body = resp.json()
    if "success" in body:
        return str(body["error"]["code"])
    return str(body["code"])
