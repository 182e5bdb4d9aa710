"""Every SQL statement of the queue, in one place (procrastinate's ``manager`` + ``sql`` role).

All functions take the caller's :class:`Session` and never commit, so an enqueue can share the
transaction of the business change that caused it. ``now`` always comes from the caller's clock.

Claiming on PostgreSQL is ``UPDATE jobs ... FROM (SELECT ... FOR UPDATE SKIP LOCKED LIMIT n)``:
concurrent workers skip each other's rows instead of waiting on them. SQLite ignores the lock
clause; there the database's single writer serialises claims (one worker process).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from cloud.db import insert_on_conflict
from cloud.jobs.errors import InvalidJob, JobNotFound
from cloud.jobs.states import SYSTEM_TENANT, JobState
from cloud.models.jobs import PENDING_STATES, Job, QueuePause
from shared.ids import uuid7

__all__ = [
    "ClaimedJob",
    "Enqueued",
    "claim",
    "clean",
    "complete",
    "enqueue",
    "extend_lease",
    "fail",
    "get_job",
    "list_jobs",
    "pause",
    "paused_queues",
    "queue_counts",
    "reap_expired",
    "release",
    "replay_dead",
    "resume",
    "retry_later",
]

_JOBS = Job.__table__
_PAUSES = QueuePause.__table__
_ERROR_MAX = 4000
LOST_LEASE = "worker lost: lease expired (visibility timeout)"


@dataclass(frozen=True)
class Enqueued:
    """Result of :func:`enqueue`: the job's id and whether this call created it."""

    job_id: uuid.UUID
    created: bool


@dataclass(frozen=True)
class ClaimedJob:
    """A job a worker now holds under ``lease`` until it completes, fails or the lease ends."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    queue: str
    task: str
    payload: dict[str, Any]
    attempts: int
    max_retries: int
    retry_delay: float | None
    backoff_factor: float | None
    lease: str


def enqueue(
    session: Session,
    *,
    tenant_id: uuid.UUID,
    task: str,
    now: datetime,
    payload: dict[str, Any] | None = None,
    queue: str = "default",
    run_at: datetime | None = None,
    max_retries: int = 3,
    priority: int = 0,
    idempotency_key: str | None = None,
    queueing_lock: str | None = None,
    retry_delay: float | None = None,
    backoff_factor: float | None = None,
) -> Enqueued:
    """Add a job; with a key or lock already taken, return the existing job instead."""
    if not 0 <= max_retries <= 5:
        raise InvalidJob("max_retries must be between 0 and 5", field="max_retries")
    if not queue or len(queue) > 100 or not task or len(task) > 200:
        raise InvalidJob("queue is 1-100 and task 1-200 characters")
    when = run_at or now
    job_id = uuid7()
    values = {
        "id": job_id, "tenant_id": tenant_id, "queue": queue, "task": task,
        "payload": payload or {}, "priority": priority, "attempts": 0,
        "max_retries": max_retries, "retry_delay": retry_delay, "backoff_factor": backoff_factor,
        "state": (JobState.DELAYED if when > now else JobState.WAITING).value, "run_at": when,
        "idempotency_key": idempotency_key, "queueing_lock": queueing_lock,
        "created_at": now, "updated_at": now,
    }
    stmt = insert_on_conflict(session, _JOBS, values).returning(_JOBS.c.id)
    if session.execute(stmt).scalar_one_or_none() is not None:
        return Enqueued(job_id, True)
    existing = _find_duplicate(session, tenant_id, queue, idempotency_key, queueing_lock)
    if existing is None:  # the conflicting row vanished between insert and select: try again
        return enqueue(session, tenant_id=tenant_id, task=task, now=now, payload=payload,
                       queue=queue, run_at=run_at, max_retries=max_retries, priority=priority,
                       idempotency_key=idempotency_key, queueing_lock=queueing_lock,
                       retry_delay=retry_delay, backoff_factor=backoff_factor)
    return Enqueued(existing, False)


def _find_duplicate(session: Session, tenant_id: uuid.UUID, queue: str, key: str | None,
                    lock: str | None) -> uuid.UUID | None:
    if key is not None:
        found = session.execute(select(_JOBS.c.id).where(
            _JOBS.c.tenant_id == tenant_id, _JOBS.c.queue == queue,
            _JOBS.c.idempotency_key == key)).scalar_one_or_none()
        if found is not None:
            return found
    if lock is not None:
        return session.execute(select(_JOBS.c.id).where(
            _JOBS.c.queueing_lock == lock,
            _JOBS.c.state.in_(PENDING_STATES))).scalar_one_or_none()
    return None


def _not_paused(jobs: Any) -> ColumnElement[bool]:
    return ~exists().where(
        _PAUSES.c.queue == jobs.c.queue,
        or_(_PAUSES.c.tenant_id == jobs.c.tenant_id, _PAUSES.c.tenant_id == SYSTEM_TENANT),
    )


def claim(session: Session, *, worker_id: str, now: datetime, visibility_timeout: float,
          limit: int = 1, queues: Sequence[str] | None = None) -> list[ClaimedJob]:
    """Take up to ``limit`` due jobs of unpaused queues, best priority first."""
    cand = _JOBS.alias("cand")
    conditions: list[ColumnElement[bool]] = [
        cand.c.state.in_(PENDING_STATES), cand.c.run_at <= now, _not_paused(cand)]
    if queues:
        conditions.append(cand.c.queue.in_(list(queues)))
    picked = (
        select(cand.c.id).where(*conditions)
        .order_by(cand.c.priority.desc(), cand.c.run_at, cand.c.id)
        .limit(limit).with_for_update(skip_locked=True).subquery("picked")
    )
    lease = str(uuid7())
    stmt = (
        update(_JOBS).where(_JOBS.c.id == picked.c.id)
        .values(state=JobState.ACTIVE.value, attempts=_JOBS.c.attempts + 1, lease=lease,
                worker_id=worker_id[:200], queueing_lock=None, started_at=now, updated_at=now,
                locked_until=now + timedelta(seconds=visibility_timeout))
        .returning(_JOBS.c.id, _JOBS.c.tenant_id, _JOBS.c.queue, _JOBS.c.task, _JOBS.c.payload,
                   _JOBS.c.attempts, _JOBS.c.max_retries, _JOBS.c.retry_delay,
                   _JOBS.c.backoff_factor, _JOBS.c.priority, _JOBS.c.run_at)
    )
    rows = sorted(session.execute(stmt).all(), key=lambda r: (-r.priority, r.run_at, r.id))
    return [ClaimedJob(id=r.id, tenant_id=r.tenant_id, queue=r.queue, task=r.task,
                       payload=r.payload or {}, attempts=r.attempts, max_retries=r.max_retries,
                       retry_delay=r.retry_delay, backoff_factor=r.backoff_factor, lease=lease)
            for r in rows]


def _held(job_id: uuid.UUID, lease: str) -> ColumnElement[bool]:
    return and_(_JOBS.c.id == job_id, _JOBS.c.lease == lease,
                _JOBS.c.state == JobState.ACTIVE.value)


def complete(session: Session, *, job_id: uuid.UUID, lease: str, now: datetime,
             result: Any = None) -> bool:
    """Mark done; ``False`` when the lease was lost (another worker has the job now)."""
    res = session.execute(update(_JOBS).where(_held(job_id, lease)).values(
        state=JobState.COMPLETED.value, result=result, finished_at=now, updated_at=now,
        lease=None, locked_until=None))
    return bool(res.rowcount)


def retry_later(session: Session, *, job_id: uuid.UUID, lease: str, now: datetime,
                run_at: datetime, error: str) -> bool:
    """Back to pending until ``run_at`` after a failed attempt."""
    res = session.execute(update(_JOBS).where(_held(job_id, lease)).values(
        state=(JobState.DELAYED if run_at > now else JobState.WAITING).value, run_at=run_at,
        last_error=error[:_ERROR_MAX], updated_at=now, lease=None, locked_until=None))
    return bool(res.rowcount)


def fail(session: Session, *, job_id: uuid.UUID, lease: str, now: datetime, error: str,
         state: JobState = JobState.DEAD) -> bool:
    """Final failure: ``dead`` (retries exhausted, replayable) or ``failed`` (permanent)."""
    if state not in (JobState.DEAD, JobState.FAILED):
        raise ValueError("fail() ends a job as dead or failed")
    res = session.execute(update(_JOBS).where(_held(job_id, lease)).values(
        state=state.value, last_error=error[:_ERROR_MAX], finished_at=now, updated_at=now,
        lease=None, locked_until=None))
    return bool(res.rowcount)


def release(session: Session, *, job_id: uuid.UUID, lease: str, now: datetime) -> bool:
    """Hand back a claimed job that was not started (worker stopping); the claim is undone."""
    res = session.execute(update(_JOBS).where(_held(job_id, lease)).values(
        state=JobState.WAITING.value, attempts=_JOBS.c.attempts - 1, updated_at=now,
        lease=None, worker_id=None, locked_until=None))
    return bool(res.rowcount)


def extend_lease(session: Session, *, leases: Iterable[str], until: datetime) -> int:
    """Heartbeat: keep the jobs held under ``leases`` invisible to other workers."""
    held = list(leases)
    if not held:
        return 0
    res = session.execute(update(_JOBS).where(
        _JOBS.c.lease.in_(held), _JOBS.c.state == JobState.ACTIVE.value,
    ).values(locked_until=until))
    return int(res.rowcount)


def reap_expired(session: Session, *, now: datetime) -> tuple[int, int]:
    """Jobs whose worker died: back to waiting, or dead when out of attempts.

    Returns ``(requeued, dead)``. Safe to run from every worker at once: the row lock makes
    each job change state once.
    """
    expired = and_(_JOBS.c.state == JobState.ACTIVE.value, _JOBS.c.locked_until < now)
    dead = session.execute(update(_JOBS).where(
        expired, _JOBS.c.attempts > _JOBS.c.max_retries,
    ).values(state=JobState.DEAD.value, last_error=LOST_LEASE, finished_at=now,
             updated_at=now, lease=None, locked_until=None)).rowcount
    requeued = session.execute(update(_JOBS).where(expired).values(
        state=JobState.WAITING.value, run_at=now, last_error=LOST_LEASE, updated_at=now,
        lease=None, worker_id=None, locked_until=None)).rowcount
    return int(requeued), int(dead)


# ---- operator side -------------------------------------------------------------------------

def _scope(tenant_id: uuid.UUID | None) -> list[ColumnElement[bool]]:
    return [] if tenant_id is None else [_JOBS.c.tenant_id == tenant_id]


def _visible_state(now: datetime) -> Any:
    """The state an operator sees: a pending job is ``delayed`` only while ``run_at`` is ahead."""
    pending = _JOBS.c.state.in_(PENDING_STATES)
    return case(
        (and_(pending, _JOBS.c.run_at > now), JobState.DELAYED.value),
        (pending, JobState.WAITING.value),
        else_=_JOBS.c.state,
    )


def queue_counts(session: Session, *, tenant_id: uuid.UUID | None,
                 now: datetime) -> dict[str, dict[str, int]]:
    """``{queue: {state: count}}`` with every state present (zeros included)."""
    shown = _visible_state(now).label("shown")
    rows = session.execute(
        select(_JOBS.c.queue, shown, func.count()).where(*_scope(tenant_id))
        .group_by(_JOBS.c.queue, shown)).all()
    out: dict[str, dict[str, int]] = {}
    for queue, state, count in rows:
        out.setdefault(queue, {s.value: 0 for s in JobState})[state] = int(count)
    return out


def list_jobs(session: Session, *, tenant_id: uuid.UUID | None, queue: str, now: datetime,
              state: JobState | None = None, limit: int = 50,
              offset: int = 0) -> tuple[list[Job], int]:
    """One page of a queue's jobs (newest first) and the total matching."""
    conditions = [*_scope(tenant_id), _JOBS.c.queue == queue]
    if state is not None:
        conditions.append(_visible_state(now) == state.value)
    total = session.execute(select(func.count()).select_from(_JOBS).where(*conditions)).scalar()
    rows = session.execute(select(Job).where(*conditions)
                           .order_by(Job.created_at.desc(), Job.id.desc())
                           .limit(limit).offset(offset)).scalars().all()
    return list(rows), int(total or 0)


def get_job(session: Session, *, job_id: uuid.UUID, tenant_id: uuid.UUID | None) -> Job:
    job = session.execute(select(Job).where(Job.id == job_id, *_scope(tenant_id))
                          ).scalar_one_or_none()
    if job is None:
        raise JobNotFound()
    return job


def clean(session: Session, *, tenant_id: uuid.UUID | None, queue: str,
          states: Sequence[JobState], finished_before: datetime | None = None) -> int:
    """Delete final jobs (failed, dead or completed) of a queue; returns how many."""
    allowed = {JobState.FAILED, JobState.DEAD, JobState.COMPLETED}
    if not states or not set(states) <= allowed:
        raise InvalidJob("only failed, dead or completed jobs can be cleaned", field="states")
    conditions = [*_scope(tenant_id), _JOBS.c.queue == queue,
                  _JOBS.c.state.in_([s.value for s in states])]
    if finished_before is not None:
        conditions.append(_JOBS.c.finished_at < finished_before)
    return int(session.execute(delete(_JOBS).where(*conditions)).rowcount)


def replay_dead(session: Session, *, tenant_id: uuid.UUID | None, queue: str, now: datetime,
                job_ids: Sequence[uuid.UUID] | None = None, limit: int = 100) -> list[uuid.UUID]:
    """Put dead-lettered jobs back in their queue with a fresh set of attempts."""
    conditions = [*_scope(tenant_id), _JOBS.c.queue == queue,
                  _JOBS.c.state == JobState.DEAD.value]
    if job_ids is not None:
        conditions.append(_JOBS.c.id.in_(list(job_ids)))
    picked = session.execute(select(_JOBS.c.id).where(*conditions)
                             .order_by(_JOBS.c.finished_at, _JOBS.c.id).limit(limit)
                             .with_for_update(skip_locked=True)).scalars().all()
    if not picked:
        return []
    session.execute(update(_JOBS).where(_JOBS.c.id.in_(picked)).values(
        state=JobState.WAITING.value, attempts=0, run_at=now, finished_at=None,
        updated_at=now, lease=None, worker_id=None, locked_until=None))
    return list(picked)


def pause(session: Session, *, tenant_id: uuid.UUID, queue: str, now: datetime,
          by: str | None = None) -> bool:
    """Pause ``queue`` for ``tenant_id`` (``SYSTEM_TENANT``: for all); ``False`` if it was."""
    stmt = insert_on_conflict(session, _PAUSES, {
        "id": uuid7(), "tenant_id": tenant_id, "queue": queue, "paused_at": now,
        "paused_by": by}).returning(_PAUSES.c.id)
    return session.execute(stmt).scalar_one_or_none() is not None


def resume(session: Session, *, tenant_id: uuid.UUID, queue: str) -> bool:
    """Lift a pause; ``False`` when the queue was not paused for that tenant."""
    res = session.execute(delete(_PAUSES).where(_PAUSES.c.tenant_id == tenant_id,
                                                _PAUSES.c.queue == queue))
    return bool(res.rowcount)


def paused_queues(session: Session, *, tenant_id: uuid.UUID | None) -> dict[str, datetime]:
    """Queues paused for this tenant or for everyone, with when."""
    stmt = select(_PAUSES.c.queue, _PAUSES.c.paused_at)
    if tenant_id is not None:
        stmt = stmt.where(_PAUSES.c.tenant_id.in_([tenant_id, SYSTEM_TENANT]))
    return {q: at for q, at in session.execute(stmt).all()}
