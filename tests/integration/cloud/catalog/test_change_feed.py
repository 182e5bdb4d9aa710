"""The change feed: same-transaction appends, tombstones, and a cursor that never skips a row
committing late under a lower id (PostgreSQL) or out of order (SQLite's single writer)."""

from __future__ import annotations

import time
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
    assert len(_read_when_visible(sessions, a, feed.Cursor(), 5).entries) == 5
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


def _read_when_visible(sessions, tenant: uuid.UUID, after: feed.Cursor,  # type: ignore[no-untyped-def]
                      want: int) -> feed.FeedPage:
    """Read until ``want`` entries are visible: other transactions anywhere on the server hold
    the horizon back until they finish (bounded wait for that condition, not a timing test)."""
    deadline = time.monotonic() + 60
    while True:
        with sessions() as reader:
            page = feed.read(reader, tenant_id=tenant, after=after)
        if len(page.entries) >= want or time.monotonic() > deadline:
            return page
        time.sleep(0.05)


@pytest.mark.pg
def test_a_late_commit_under_a_lower_id_is_not_skipped(pg_url: str) -> None:
    upgrade(pg_url)
    engine = make_engine(pg_url)
    sessions = session_factory(engine)
    tenant = uuid.uuid4()
    try:
        slow = sessions()
        _append(slow, tenant, "slow")  # takes the lower id and xid, commits last
        slow.flush()
        with sessions.begin() as fast:
            _append(fast, tenant, "fast")
        with sessions() as reader:
            page = feed.read(reader, tenant_id=tenant, after=feed.Cursor())
            # "fast" is committed but sits behind a running transaction: held back, not
            # handed out ahead of "slow" (which would then be skipped by the cursor).
            assert names(page) == []
            cursor = page.cursor
        slow.commit()
        slow.close()
        page = _read_when_visible(sessions, tenant, cursor, 2)
        assert names(page) == ["slow", "fast"]  # commit-safe order: (txid, id)
        with sessions() as reader:
            ids = reader.execute(text("SELECT id FROM change_feed ORDER BY id")).scalars().all()
            assert len(ids) == 2
    finally:
        engine.dispose()
