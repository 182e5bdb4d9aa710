"""Operator view of the job queues (seed 000 "Cozi / DLQ"), scoped to the caller's tenant.

A tenant sees and acts on its own jobs only; a pause made here stops that tenant's jobs on the
queue (a platform-wide pause is a pause row for ``SYSTEM_TENANT``, see
:func:`cloud.jobs.repository.pause`). Every change is audited.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from cloud import audit
from cloud.jobs import repository as repo
from cloud.jobs.registry import default_registry
from cloud.jobs.states import JobState
from cloud.models.jobs import Job
from cloud.tenancy import current_tenant

__all__ = ["DLQ_SUFFIX", "QueueInfo", "clean_failed", "health_probe", "list_jobs", "overview",
           "pause", "replay_dlq", "resume", "split_dlq"]

DLQ_SUFFIX = "-dlq"


@dataclass(frozen=True)
class QueueInfo:
    name: str
    paused: bool
    paused_at: datetime | None
    counts: dict[str, int]


def split_dlq(name: str) -> tuple[str, bool]:
    """``imports-dlq`` names the dead-letter view of ``imports`` (BullMQ naming, seed 000)."""
    if name.endswith(DLQ_SUFFIX) and len(name) > len(DLQ_SUFFIX):
        return name[: -len(DLQ_SUFFIX)], True
    return name, False


def overview(session: Session, *, tenant_id: uuid.UUID, now: datetime) -> list[QueueInfo]:
    """Every queue the tenant has jobs in, is paused on, or that a handler serves."""
    counts = repo.queue_counts(session, tenant_id=tenant_id, now=now)
    paused = repo.paused_queues(session, tenant_id=tenant_id)
    names = sorted(set(counts) | set(paused) | set(default_registry.queues()))
    zero = {s.value: 0 for s in JobState}
    return [QueueInfo(name=n, paused=n in paused, paused_at=paused.get(n),
                      counts=counts.get(n, dict(zero))) for n in names]


def list_jobs(session: Session, *, tenant_id: uuid.UUID, queue: str, now: datetime,
              state: JobState | None, page: int, limit: int) -> tuple[list[Job], int]:
    queue, dlq = split_dlq(queue)
    if dlq:
        state = JobState.DEAD
    return repo.list_jobs(session, tenant_id=tenant_id, queue=queue, now=now, state=state,
                          limit=limit, offset=(page - 1) * limit)


def pause(session: Session, *, tenant_id: uuid.UUID, queue: str, now: datetime,
          by: str | None) -> bool:
    changed = repo.pause(session, tenant_id=tenant_id, queue=queue, now=now, by=by)
    if changed:
        audit.record(session, action="queue.pause", entity_type="queue", entity_id=queue,
                     description=f"Paused queue {queue}", tenant_id=tenant_id)
    return changed


def resume(session: Session, *, tenant_id: uuid.UUID, queue: str) -> bool:
    changed = repo.resume(session, tenant_id=tenant_id, queue=queue)
    if changed:
        audit.record(session, action="queue.resume", entity_type="queue", entity_id=queue,
                     description=f"Resumed queue {queue}", tenant_id=tenant_id)
    return changed


def clean_failed(session: Session, *, tenant_id: uuid.UUID, queue: str, now: datetime,
                 states: Sequence[JobState], older_than_s: int | None) -> int:
    queue, _ = split_dlq(queue)
    before = now - timedelta(seconds=older_than_s) if older_than_s else None
    removed = repo.clean(session, tenant_id=tenant_id, queue=queue, states=states,
                         finished_before=before)
    audit.record(session, action="queue.clean", entity_type="queue", entity_id=queue,
                 description=f"Removed {removed} {'/'.join(s.value for s in states)} jobs",
                 tenant_id=tenant_id)
    return removed


def replay_dlq(session: Session, *, tenant_id: uuid.UUID, queue: str, now: datetime,
               job_ids: Sequence[uuid.UUID] | None, limit: int) -> list[uuid.UUID]:
    queue, _ = split_dlq(queue)
    replayed = repo.replay_dead(session, tenant_id=tenant_id, queue=queue, now=now,
                                job_ids=job_ids, limit=limit)
    if replayed:
        audit.record(session, action="queue.dlq_replay", entity_type="queue", entity_id=queue,
                     description=f"Replayed {len(replayed)} dead-lettered jobs",
                     tenant_id=tenant_id)
    return replayed


def health_probe(session: Session) -> list[dict[str, int | str]]:
    """Per-queue counts for ``/api/v1/admin/health`` (seed 001 §13: failed includes dead)."""
    counts = repo.queue_counts(session, tenant_id=current_tenant(session), now=datetime.now(UTC))
    return [{"name": name, "waiting": c["waiting"], "active": c["active"],
             "completed": c["completed"], "failed": c["failed"] + c["dead"],
             "delayed": c["delayed"]} for name, c in sorted(counts.items())]
