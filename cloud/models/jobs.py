"""Background jobs as rows, and per-tenant queue pauses.

Laid out after procrastinate's ``procrastinate_jobs``: the claim query only ever looks at
``waiting``/``delayed`` rows through a partial index, an idempotency key is unique for good (a
schedule fire or an import file is enqueued once), and a queueing lock is unique only while a job
is pending (at most one pending "reindex tenant X"). Only :mod:`cloud.jobs.repository` writes
these tables.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from cloud.models.base import Base, IdMixin, TenantMixin, TimestampMixin, UTCDateTime

__all__ = ["PENDING_STATES", "Job", "QueuePause"]

# States a worker may still pick up (the partial indexes below are written over these).
PENDING_STATES = ("waiting", "delayed")
_PENDING_SQL = "state IN ('waiting', 'delayed')"


class Job(IdMixin, TenantMixin, TimestampMixin, Base):
    """One unit of background work: a task name, its JSON payload and where it stands."""

    __tablename__ = "jobs"
    __audit__ = False  # high volume; operator actions on jobs are audited by the API layer

    queue: Mapped[str] = mapped_column(String(100))
    task: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default="waiting")
    priority: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_retries: Mapped[int] = mapped_column(Integer, default=3)
    # Per-job backoff overrides (seconds and multiplier); NULL means the worker's strategy.
    retry_delay: Mapped[float | None] = mapped_column(Float)
    backoff_factor: Mapped[float | None] = mapped_column(Float)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease: Mapped[str | None] = mapped_column(String(36))
    worker_id: Mapped[str | None] = mapped_column(String(200))
    idempotency_key: Mapped[str | None] = mapped_column(String(300))
    queueing_lock: Mapped[str | None] = mapped_column(String(300))
    last_error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[Any | None] = mapped_column(JSON)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint(
            "state IN ('waiting', 'active', 'delayed', 'completed', 'failed', 'dead')",
            name="state",
        ),
        CheckConstraint("max_retries BETWEEN 0 AND 5", name="max_retries"),
        CheckConstraint("attempts >= 0", name="attempts"),
        # What a worker scans: due pending jobs, best first.
        Index("ix_jobs_claim", "queue", "priority", "run_at",
              postgresql_where=text(_PENDING_SQL), sqlite_where=text(_PENDING_SQL)),
        # What the reaper scans: active jobs whose worker stopped renewing the lease.
        Index("ix_jobs_lease", "locked_until",
              postgresql_where=text("state = 'active'"), sqlite_where=text("state = 'active'")),
        Index("ix_jobs_tenant_queue_state", "tenant_id", "queue", "state"),
        Index("uq_jobs_idempotency", "tenant_id", "queue", "idempotency_key", unique=True,
              postgresql_where=text("idempotency_key IS NOT NULL"),
              sqlite_where=text("idempotency_key IS NOT NULL")),
        Index("uq_jobs_queueing_lock", "queueing_lock", unique=True,
              postgresql_where=text(f"queueing_lock IS NOT NULL AND {_PENDING_SQL}"),
              sqlite_where=text(f"queueing_lock IS NOT NULL AND {_PENDING_SQL}")),
    )


class QueuePause(IdMixin, TenantMixin, Base):
    """A paused queue for one tenant (the system tenant's row pauses it for everyone)."""

    __tablename__ = "job_queue_pauses"

    queue: Mapped[str] = mapped_column(String(100))
    paused_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paused_by: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (UniqueConstraint("tenant_id", "queue"),)
