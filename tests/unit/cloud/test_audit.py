"""The audit trail: entity changes recorded in the same flush, secrets redacted."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cloud import audit, tenancy
from cloud.db import make_engine, session_factory
from cloud.models.audit import AuditLog
from cloud.models.base import Base
from cloud.models.identity import AuthSession, User
from cloud.models.tenancy import Tenant

TABLES = [Tenant.__table__, User.__table__, AuthSession.__table__, AuditLog.__table__]
ACTOR = audit.AuditContext(actor_type="user", actor_id=uuid.uuid4(), actor_email="boss@x.io",
                           ip="203.0.113.9", request_id="req_1")


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    Base.metadata.create_all(engine, tables=TABLES)  # type: ignore[arg-type]
    try:
        yield session_factory(engine)
    finally:
        engine.dispose()


def _entries(s: Session) -> list[AuditLog]:
    return list(s.scalars(select(AuditLog).order_by(AuditLog.id)))


def test_create_update_delete_are_recorded(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        audit.set_context(s, ACTOR)
        tenant = Tenant(name="T", slug=f"t-{uuid.uuid4().hex[:6]}",
                        settings={"regional": {"timezone": "Europe/Kyiv"}})
        s.add(tenant)
        s.flush()
        tenancy.scope(s, tenant.id)
        user = User(email="u@example.com", role="viewer", password_hash="$argon2id$secret")
        s.add(user)
        s.commit()
        user.role = "admin"
        user.failed_logins = 3  # a quiet column: not audited
        tenant.settings = {"regional": {"timezone": "Europe/Bucharest"}}
        s.commit()
        audit.label(s, user, "user.erased", "gone", with_changes=False)
        s.delete(user)
        s.commit()
        rows = _entries(s)
    actions = [r.action for r in rows]
    assert actions[:2] == ["tenant.created", "user.created"] and actions[-1] == "user.erased"
    assert sorted(actions[2:4]) == ["tenant.updated", "user.updated"]
    by_action = {r.action: r for r in rows}
    created = {c["field"]: c["newValue"] for c in by_action["user.created"].changes or []}
    assert created["password_hash"] == "[redacted]" and created["email"] == "u@example.com"
    assert "$argon2id$secret" not in repr([r.changes for r in rows])
    assert by_action["user.updated"].changes == [
        {"field": "role", "oldValue": "viewer", "newValue": "admin"}]
    assert by_action["tenant.updated"].changes == [
        {"field": "settings.regional.timezone", "oldValue": "Europe/Kyiv",
         "newValue": "Europe/Bucharest"}]
    assert by_action["user.erased"].changes is None
    first = by_action["user.created"]
    assert (first.actor_email, first.ip_address, first.request_id) == ("boss@x.io",
                                                                       "203.0.113.9", "req_1")
    assert {r.tenant_id for r in rows} == {by_action["tenant.created"].tenant_id}


def test_no_context_no_audit(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        tenant = Tenant(name="T", slug=f"t-{uuid.uuid4().hex[:6]}", settings={})
        s.add(tenant)
        s.commit()
        assert _entries(s) == []
