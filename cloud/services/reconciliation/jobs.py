"""Reconciliation jobs: create and enqueue, list, show, retry by hand.

A job row (``recon_jobs``) is what the API shows; the work itself is a queue job (task
:data:`TASK` on queue :data:`QUEUE`) written in the same transaction, so a job is never
recorded without being queued or queued without being recorded. The queue's worker runs
:mod:`cloud.services.reconciliation.runner` and retries with ``base * 2^attempt`` backoff.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cloud.errors import Conflict, InvalidInput, NotFound
from cloud.integrations.configs import CONFIG_MODELS, ConnectorRole, ConnectorType
from cloud.jobs import repository as queue
from cloud.models.jobs import Job as QueueJob
from cloud.models.reconciliation import Connector, ReconClient, ReconJob, ReconStatus
from cloud.schemas.reconciliation import JobOut, JobParams
from cloud.services.reconciliation.clients import get_client
from cloud.services.reconciliation.params import resolve_range

__all__ = [
    "QUEUE",
    "TASK",
    "admin_stats",
    "create_job",
    "get_job",
    "history_entry",
    "job_out",
    "list_jobs",
    "retry_job",
]

TASK = "reconciliation.run"
QUEUE = "reconciliation"


class ReconJobNotFound(NotFound):
    """Job not found."""


def history_entry(status: ReconStatus | str, at: datetime, *, attempt: int | None = None,
                  note: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"status": str(status), "at": at.isoformat()}
    if attempt is not None:
        entry["attempt"] = attempt
    if note:
        entry["note"] = note[:500]
    return entry


def active_connectors(session: Session, *, tenant_id: uuid.UUID,
                      client_id: uuid.UUID) -> tuple[list[Connector], list[Connector]]:
    """(backends, analytics) among the client's active connectors."""
    rows = session.scalars(select(Connector).where(
        Connector.tenant_id == tenant_id, Connector.client_id == client_id,
        Connector.is_active.is_(True)).order_by(Connector.created_at, Connector.id)).all()
    backends, analytics = [], []
    for c in rows:
        role = CONFIG_MODELS[ConnectorType(c.connector_type)].role
        (analytics if role is ConnectorRole.ANALYTICS else backends).append(c)
    return backends, analytics


def check_runnable(session: Session, *, tenant_id: uuid.UUID, client: ReconClient) -> None:
    """A run needs an active client, one active GA4 connector and at least one backend."""
    if not client.is_active:
        raise Conflict("client is inactive; activate it before running jobs")
    backends, analytics = active_connectors(session, tenant_id=tenant_id, client_id=client.id)
    if not analytics:
        raise Conflict("client has no active GA4 (analytics) connector")
    if len(analytics) > 1:
        raise Conflict("client has more than one active GA4 connector; deactivate all but one")
    if not backends:
        raise Conflict("client has no active backend connector (Shopify, WooCommerce or "
                       "Tillbridge sales)")


def _enqueue(session: Session, job: ReconJob, *, now: datetime,
             retry_delay: float | None) -> None:
    made = queue.enqueue(session, tenant_id=job.tenant_id, task=TASK, queue=QUEUE, now=now,
                         payload={"recon_job_id": str(job.id), "client_id": str(job.client_id)},
                         max_retries=job.max_retries, retry_delay=retry_delay)
    job.queue_job_id = made.job_id


def create_job(session: Session, *, tenant_id: uuid.UUID, client_id: uuid.UUID,
               params: JobParams, now: datetime, today: date, trigger: str = "manual",
               created_by: uuid.UUID | None = None, schedule_id: uuid.UUID | None = None,
               retry_delay: float | None = None) -> ReconJob:
    """Record a PENDING job and queue it (one transaction: the caller commits)."""
    client = get_client(session, tenant_id=tenant_id, client_id=client_id)
    try:
        rng = resolve_range(params, today)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="start_date") from None
    check_runnable(session, tenant_id=tenant_id, client=client)
    job = ReconJob(tenant_id=tenant_id, client_id=client.id, status=ReconStatus.PENDING.value,
                   trigger=trigger, days=rng.days, start_date=rng.start, end_date=rng.end,
                   max_retries=params.max_retries, retry_count=0, manual_retries=0,
                   created_by=created_by, schedule_id=schedule_id, created_at=now,
                   updated_at=now, history=[history_entry(ReconStatus.PENDING, now,
                                                          note=f"queued ({trigger})")])
    session.add(job)
    session.flush()
    _enqueue(session, job, now=now, retry_delay=retry_delay)
    session.flush()
    return job


def get_job(session: Session, *, tenant_id: uuid.UUID, job_id: uuid.UUID) -> ReconJob:
    job = session.scalar(select(ReconJob).where(ReconJob.id == job_id,
                                                ReconJob.tenant_id == tenant_id))
    if job is None:
        raise ReconJobNotFound("Job not found", field="job_id")
    return job


def list_jobs(session: Session, *, tenant_id: uuid.UUID, client_id: uuid.UUID | None = None,
              status: ReconStatus | None = None, trigger: str | None = None,
              created_from: datetime | None = None, created_to: datetime | None = None,
              skip: int = 0, limit: int = 100) -> tuple[list[ReconJob], int]:
    """Newest first, filtered; returns one page and the total."""
    conditions: list[Any] = [ReconJob.tenant_id == tenant_id]
    if client_id is not None:
        get_client(session, tenant_id=tenant_id, client_id=client_id)
        conditions.append(ReconJob.client_id == client_id)
    if status is not None:
        conditions.append(ReconJob.status == status.value)
    if trigger:
        conditions.append(ReconJob.trigger == trigger)
    if created_from is not None:
        conditions.append(ReconJob.created_at >= created_from)
    if created_to is not None:
        conditions.append(ReconJob.created_at < created_to)
    total = session.scalar(select(func.count()).select_from(ReconJob).where(*conditions)) or 0
    rows = session.scalars(select(ReconJob).where(*conditions)
                           .order_by(ReconJob.created_at.desc(), ReconJob.id.desc())
                           .offset(skip).limit(limit)).all()
    return list(rows), int(total)


def retry_job(session: Session, *, tenant_id: uuid.UUID, job_id: uuid.UUID, now: datetime,
              retry_delay: float | None = None) -> ReconJob:
    """Run a FAILED job again from its first attempt (its automatic retries start over)."""
    job = get_job(session, tenant_id=tenant_id, job_id=job_id)
    if job.status != ReconStatus.FAILED.value:
        raise Conflict(f"only FAILED jobs can be retried (this one is {job.status})")
    job.status = ReconStatus.PENDING.value
    job.retry_count = 0
    job.manual_retries += 1
    job.error_message = None
    job.finished_at = None
    job.history = [*job.history, history_entry(ReconStatus.PENDING, now,
                                               note="manual retry")]
    job.updated_at = now
    _enqueue(session, job, now=now, retry_delay=retry_delay)
    session.flush()
    return job


def job_out(session: Session, job: ReconJob) -> JobOut:
    next_retry = None
    if job.status == ReconStatus.RETRYING.value and job.queue_job_id is not None:
        next_retry = session.scalar(select(QueueJob.run_at).where(
            QueueJob.id == job.queue_job_id, QueueJob.tenant_id == job.tenant_id))
    return JobOut(
        id=job.id, client_id=job.client_id, status=ReconStatus(job.status), trigger=job.trigger,
        days=job.days, start_date=job.start_date, end_date=job.end_date,
        max_retries=job.max_retries, retry_count=job.retry_count,
        can_retry=job.status == ReconStatus.FAILED.value, manual_retries=job.manual_retries,
        next_retry_at=next_retry, error_message=job.error_message, result=job.result,
        history=list(job.history or []), schedule_id=job.schedule_id,
        created_at=job.created_at, started_at=job.started_at, finished_at=job.finished_at)


def admin_stats(session: Session, *, tenant_id: uuid.UUID) -> dict[str, Any]:
    """Client counts, job counts by status (every status listed) and the 10 newest jobs."""
    clients = session.scalar(select(func.count()).select_from(ReconClient).where(
        ReconClient.tenant_id == tenant_id)) or 0
    active = session.scalar(select(func.count()).select_from(ReconClient).where(
        ReconClient.tenant_id == tenant_id, ReconClient.is_active.is_(True))) or 0
    by_status = {s.value: 0 for s in ReconStatus}
    for status, count in session.execute(
            select(ReconJob.status, func.count()).where(ReconJob.tenant_id == tenant_id)
            .group_by(ReconJob.status)).all():
        by_status[status] = int(count)
    recent, total = list_jobs(session, tenant_id=tenant_id, limit=10)
    return {"client_count": int(clients), "active_clients": int(active), "job_count": total,
            "jobs_by_status": by_status, "recent_jobs": [job_out(session, j) for j in recent]}
