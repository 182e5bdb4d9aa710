"""``/api/queues``: the operator's queue and dead-letter API (seed 000 "Cozi / DLQ")."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request

from cloud.api.deps import ClockDep, SessionDep, require_scopes
from cloud.api.responses import PageDep, error_responses, ok, paginated
from cloud.auth.principal import Principal
from cloud.jobs.states import JobState
from cloud.models.jobs import PENDING_STATES, Job
from cloud.schemas.common import Envelope, OffsetPagination, Paginated
from cloud.schemas.queues import (
    CleanRequest,
    CleanResult,
    DeadLetter,
    JobOut,
    PauseResult,
    QueueCounts,
    QueueList,
    QueueOut,
    ReplayRequest,
    ReplayResult,
)
from cloud.services import queues
from shared.errors import Family

router = APIRouter(prefix="/api/queues", tags=["queues"],
                   responses=error_responses(Family.PIM, statuses=(400, 401, 403, 404, 413,
                                                                   422, 429, 500)))

QueueReader = Annotated[Principal, require_scopes("queues:read")]
QueueOperator = Annotated[Principal, require_scopes("queues:write")]
QueueName = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.:-]{1,100}$",
                                description="queue name; `<name>-dlq` is its dead-letter view")]


def _shown(job: Job, now: datetime) -> JobState:
    if job.state in PENDING_STATES:
        return JobState.DELAYED if job.run_at > now else JobState.WAITING
    return JobState(job.state)


@router.get("", response_model=Envelope[QueueList])
def list_queues(request: Request, session: SessionDep, clock: ClockDep,
                principal: QueueReader) -> Any:
    """Queues with job counts per state and their dead-letter queue (`<name>-dlq`)."""
    items = queues.overview(session, tenant_id=principal.tenant_id, now=clock.now())
    return ok(request, QueueList(queues=[
        QueueOut(name=q.name, paused=q.paused, paused_at=q.paused_at,
                 counts=QueueCounts(**q.counts),
                 dlq=DeadLetter(name=q.name + queues.DLQ_SUFFIX, count=q.counts.get("dead", 0)))
        for q in items]))


@router.get("/{name}/jobs", response_model=Paginated[JobOut])
def list_jobs(name: QueueName, request: Request, session: SessionDep, clock: ClockDep,
              principal: QueueReader, page: PageDep,
              state: Annotated[JobState | None, Query(description="filter by state")] = None,
              ) -> Any:
    """One page of a queue's jobs, newest first."""
    now = clock.now()
    rows, total = queues.list_jobs(session, tenant_id=principal.tenant_id, queue=name, now=now,
                                   state=state, page=page.page, limit=page.limit)
    pages = math.ceil(total / page.limit) if total else 0
    items = [JobOut.model_validate(job).model_copy(update={"state": _shown(job, now)})
             for job in rows]
    return paginated(request, items, OffsetPagination(
        page=page.page, limit=page.limit, total=total, total_pages=pages,
        has_next=page.page < pages, has_previous=page.page > 1))


@router.post("/{name}/pause", response_model=Envelope[PauseResult])
def pause_queue(name: QueueName, request: Request, session: SessionDep, clock: ClockDep,
                principal: QueueOperator) -> Any:
    """Stop workers taking this tenant's jobs from the queue; new jobs are still accepted."""
    changed = queues.pause(session, tenant_id=principal.tenant_id,
                           queue=queues.split_dlq(name)[0], now=clock.now(),
                           by=f"{principal.kind}:{principal.id}")
    return ok(request, PauseResult(queue=name, paused=True, changed=changed))


@router.post("/{name}/resume", response_model=Envelope[PauseResult])
def resume_queue(name: QueueName, request: Request, session: SessionDep,
                 principal: QueueOperator) -> Any:
    """Let workers take this tenant's jobs from the queue again."""
    changed = queues.resume(session, tenant_id=principal.tenant_id,
                            queue=queues.split_dlq(name)[0])
    return ok(request, PauseResult(queue=name, paused=False, changed=changed))


@router.post("/{name}/clean-failed", response_model=Envelope[CleanResult])
def clean_failed(name: QueueName, request: Request, session: SessionDep, clock: ClockDep,
                 principal: QueueOperator,
                 body: Annotated[CleanRequest | None, Body()] = None) -> Any:
    """Delete failed jobs (optionally also dead or completed ones) in bulk."""
    body = body or CleanRequest()
    removed = queues.clean_failed(session, tenant_id=principal.tenant_id, queue=name,
                                  now=clock.now(),
                                  states=[JobState(s) for s in dict.fromkeys(body.states)],
                                  older_than_s=body.older_than_seconds)
    return ok(request, CleanResult(queue=name, removed=removed))


@router.post("/{name}/dlq/replay", response_model=Envelope[ReplayResult])
def replay_dlq(name: QueueName, request: Request, session: SessionDep, clock: ClockDep,
               principal: QueueOperator,
               body: Annotated[ReplayRequest | None, Body()] = None) -> Any:
    """Move dead-lettered jobs (`jobIds`, or the oldest `limit`) back into the queue."""
    body = body or ReplayRequest()
    ids = queues.replay_dlq(session, tenant_id=principal.tenant_id, queue=name,
                            now=clock.now(), job_ids=body.job_ids, limit=body.limit)
    return ok(request, ReplayResult(queue=queues.split_dlq(name)[0], replayed=len(ids),
                                    job_ids=ids))
