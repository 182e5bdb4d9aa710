"""Tenant isolation in the session: queries filtered, inserts stamped, crossings refused."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from cloud import tenancy
from cloud.db import make_engine, session_factory
from cloud.models.base import Base
from cloud.models.identity import ApiKey, AuthSession, User
from cloud.models.tenancy import Tenant
from cloud.tenancy import TenancyError

TABLES = [Tenant.__table__, User.__table__, ApiKey.__table__, AuthSession.__table__]


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    Base.metadata.create_all(engine, tables=TABLES)  # type: ignore[arg-type]
    try:
        yield session_factory(engine)
    finally:
        engine.dispose()


def _seed(sessions: sessionmaker[Session]) -> tuple[uuid.UUID, uuid.UUID]:
    ids = []
    with sessions() as s:
        for name in ("a", "b"):
            t = Tenant(name=name, slug=f"{name}-{uuid.uuid4().hex[:6]}", settings={})
            s.add(t)
            s.flush()
            for role in ("admin", "viewer"):
                s.add(User(tenant_id=t.id, email=f"{role}@{t.slug}.example.com", role=role))
            ids.append(t.id)
        s.commit()
    return ids[0], ids[1]


def test_a_scoped_session_sees_only_its_tenant(sessions: sessionmaker[Session]) -> None:
    a, b = _seed(sessions)
    with tenancy.tenant_session(sessions, a) as s:
        users = s.scalars(select(User)).all()
        assert {u.tenant_id for u in users} == {a} and len(users) == 2
        assert s.scalar(select(func.count()).select_from(User)) == 2
        assert [t.id for t in s.scalars(select(Tenant))] == [a]
        with tenancy.unscoped(s):
            b_user = s.scalars(select(User).where(User.tenant_id == b)).first()
        assert b_user is not None
        s.expunge(b_user)  # not through the identity map: a fresh load must be filtered
        assert s.get(User, b_user.id) is None
        assert s.get(Tenant, b) is None
        other = aliased(User)
        joined = s.execute(select(User.email, other.email).join(
            other, other.role != User.role)).all()
        assert joined and all(e1.endswith(e2.split("@")[1]) for e1, e2 in joined)


def test_bulk_update_and_delete_are_filtered(sessions: sessionmaker[Session]) -> None:
    a, b = _seed(sessions)
    with tenancy.tenant_session(sessions, a) as s:
        s.execute(update(User).values(role="cashier"))
        s.execute(delete(User).where(User.role == "cashier", User.email.like("viewer@%")))
        s.commit()
    with tenancy.tenant_session(sessions, b) as s:
        assert sorted(u.role for u in s.scalars(select(User))) == ["admin", "viewer"]
    with tenancy.tenant_session(sessions, a) as s:
        assert [u.role for u in s.scalars(select(User))] == ["cashier"]


def test_inserts_are_stamped_and_crossings_refused(sessions: sessionmaker[Session]) -> None:
    a, b = _seed(sessions)
    with tenancy.tenant_session(sessions, a) as s:
        user = User(email="new@example.com", role="viewer")
        s.add(user)
        s.flush()
        assert user.tenant_id == a
        s.add(User(tenant_id=b, email="intruder@example.com", role="admin"))
        with pytest.raises(TenancyError):
            s.flush()
        s.rollback()
        mine = s.scalars(select(User)).first()
        assert mine is not None
        mine.tenant_id = b
        with pytest.raises(TenancyError):
            s.flush()
        s.rollback()
        with pytest.raises(TenancyError):
            tenancy.scope(s, b)


def test_strict_sessions_refuse_unscoped_queries(sessions: sessionmaker[Session]) -> None:
    _seed(sessions)
    with sessions() as s:
        s.info["tenancy_strict"] = True
        with pytest.raises(TenancyError):
            s.scalars(select(User)).all()
        with pytest.raises(TenancyError):
            s.scalars(select(Tenant)).all()
        with tenancy.unscoped(s):
            assert len(s.scalars(select(User)).all()) == 4
        s.add(User(email="orphan@example.com", role="viewer"))
        with pytest.raises(TenancyError):
            s.flush()
