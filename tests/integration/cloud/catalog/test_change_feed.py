"""The change feed: same-transaction appends, tombstones, and a cursor that never skips a row
committing late under a lower id (PostgreSQL) or out of order (SQLite's single writer)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from cloud.db import make_engine, session_factory
from cloud.migrate import upgrade
from cloud.services import feed

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _append(session, tenant: uuid.UUID, name: str) -> None:  # type: ignore[no-untyped-def]
    feed.append(session, tenant_id=tenant, entity_type="product", entity_id=uuid.uuid4(),
                op="upsert", payload={"name": name}, at=NOW)


def names(page: feed.FeedPage) -> list[str]:
    return [e.payload["name"] for e in page.entries]


def test_pages_rollback_and_tenants(db_url: str) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    sessions = session_factory(engine)
    a, b = uuid.uuid4(), uuid.uuid4()
    with sessions.begin() as s:
        for i in range(5):
            _append(s, a, f"a{i}")
        _append(s, b, "b0")
    with sessions() as s:
        _append(s, a, "rolled back")
        s.rollback()
    with sessions() as s:
        first = feed.read(s, tenant_id=a, after=feed.Cursor(), limit=3)
        assert names(first) == ["a0", "a1", "a2"] and first.has_more
        rest = feed.read(s, tenant_id=a, after=feed.Cursor.decode(first.cursor.encode()),
                         limit=3)
        assert names(rest) == ["a3", "a4"] and not rest.has_more
        empty = feed.read(s, tenant_id=a, after=rest.cursor, limit=3)
        assert empty.entries == [] and empty.cursor == rest.cursor
        assert feed.head(s, tenant_id=a) == rest.cursor
        assert names(feed.read(s, tenant_id=b, after=feed.Cursor())) == ["b0"]
    with pytest.raises(feed.InvalidCursor):
        feed.Cursor.decode("x.y")
    engine.dispose()


@pytest.mark.pg
def test_a_late_commit_under_a_lower_id_is_not_skipped(pg_url: str) -> None:
    upgrade(pg_url)
    engine = make_engine(pg_url)
    sessions = session_factory(engine)
    tenant = uuid.uuid4()
    slow = sessions()
    _append(slow, tenant, "slow")  # takes the lower id and xid, commits last
    slow.flush()
    with sessions.begin() as fast:
        _append(fast, tenant, "fast")
    with sessions() as reader:
        page = feed.read(reader, tenant_id=tenant, after=feed.Cursor())
        # "fast" is committed but sits behind a running transaction: held back, not skipped.
        assert names(page) == []
        cursor = page.cursor
    slow.commit()
    slow.close()
    with sessions() as reader:
        page = feed.read(reader, tenant_id=tenant, after=cursor)
        assert sorted(names(page)) == ["fast", "slow"]
        ids = reader.execute(text("SELECT id FROM change_feed ORDER BY id")).scalars().all()
        assert len(ids) == 2
    engine.dispose()
