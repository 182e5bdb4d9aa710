"""The change feed: same-transaction appends, tombstones, gap-free per-tenant ``seq`` handed out
in commit order, so a cursor never skips a row that commits late."""

from __future__ import annotations

import threading
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
    try:
        with sessions.begin() as s:
            for i in range(5):
                _append(s, a, f"a{i}")
            _append(s, b, "b0")
        with sessions() as s:
            _append(s, a, "rolled back")
            s.rollback()
        with sessions.begin() as s:
            _append(s, a, "a5")
        with sessions() as s:
            first = feed.read(s, tenant_id=a, after=feed.Cursor(), limit=3)
            assert names(first) == ["a0", "a1", "a2"] and first.has_more
            rest = feed.read(s, tenant_id=a, after=feed.Cursor.decode(first.cursor.encode()),
                             limit=3)
            assert names(rest) == ["a3", "a4", "a5"] and not rest.has_more
            # Gap-free: the rolled-back writer gave its number back.
            assert [e.cursor.seq for e in first.entries + rest.entries] == [1, 2, 3, 4, 5, 6]
            empty = feed.read(s, tenant_id=a, after=rest.cursor, limit=3)
            assert empty.entries == [] and empty.cursor == rest.cursor
            assert feed.head(s, tenant_id=a) == rest.cursor == feed.Cursor(6)
            only_b = feed.read(s, tenant_id=b, after=feed.Cursor())
            assert names(only_b) == ["b0"] and only_b.entries[0].cursor.seq == 1
        with pytest.raises(feed.InvalidCursor):
            feed.Cursor.decode("1.2")
    finally:
        engine.dispose()


def _wait_for_lock_waiter(sessions) -> None:  # type: ignore[no-untyped-def]
    """Until a backend of this database waits on a lock (bounded; a condition, not a timing)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with sessions() as s:
            waiting = s.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'")).scalar_one()
        if waiting:
            return
        time.sleep(0.02)
    raise AssertionError("the second writer never waited for the head row")


@pytest.mark.pg
def test_a_late_commit_under_a_lower_seq_is_never_skipped(pg_url: str) -> None:
    upgrade(pg_url)
    engine = make_engine(pg_url)
    sessions = session_factory(engine)
    tenant, other = uuid.uuid4(), uuid.uuid4()
    outcome: list[str] = []
    try:
        slow = sessions()
        _append(slow, tenant, "slow")  # takes seq 1 and holds the tenant's head row

        def fast() -> None:
            with sessions.begin() as s:
                _append(s, tenant, "fast")
            outcome.append("fast committed")

        writer = threading.Thread(target=fast)
        writer.start()
        _wait_for_lock_waiter(sessions)
        # Another tenant is not held up by this tenant's open writer.
        with sessions.begin() as s:
            s.execute(text("SET LOCAL lock_timeout = '5s'"))
            _append(s, other, "elsewhere")
        with sessions() as reader:
            page = feed.read(reader, tenant_id=tenant, after=feed.Cursor())
            assert names(page) == [] and outcome == []
        slow.commit()
        slow.close()
        writer.join(30)
        assert outcome == ["fast committed"]
        with sessions() as reader:
            page = feed.read(reader, tenant_id=tenant, after=feed.Cursor())
            assert names(page) == ["slow", "fast"]
            assert [e.cursor.seq for e in page.entries] == [1, 2]
            assert names(feed.read(reader, tenant_id=other, after=feed.Cursor())) == [
                "elsewhere"]
    finally:
        engine.dispose()
