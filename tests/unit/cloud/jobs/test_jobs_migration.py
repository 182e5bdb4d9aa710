"""The Alembic revision builds exactly the jobs/schedules/webhooks tables the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cloud.db import make_engine
from cloud.migrate import upgrade
from cloud.models import Base

OURS = {"jobs", "job_queue_pauses", "job_schedules", "webhook_subscriptions",
        "webhook_deliveries", "webhook_event_retries"}


def _table_of(diff: object) -> str | None:
    item = diff[0] if isinstance(diff, list) else diff
    for part in item[1:] if isinstance(item, tuple) else ():
        name = getattr(part, "name", None)
        table = getattr(part, "table", None)
        if table is not None:
            return str(table.name)
        if isinstance(part, str) and part in OURS:
            return part
        if name in OURS:
            return str(name)
    return None


def test_migration_matches_models(db_url: str) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = [d for d in compare_metadata(ctx, Base.metadata) if _table_of(d) in OURS]
            tables = set(engine.dialect.get_table_names(conn))
    finally:
        engine.dispose()
    assert OURS <= tables
    assert diffs == []
