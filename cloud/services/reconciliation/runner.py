"""The queue handler that runs one reconciliation attempt.

The worker (cloud/jobs) claims the queue job and calls :func:`handle` with the attempt number;
this module keeps the seed's job row in step: RUNNING while fetching, COMPLETED with the
result, RETRYING when the worker will try again (``attempt <= max_retries``), FAILED when it
will not. Errors that retrying cannot fix (credentials refused, undecryptable config, missing
connectors) are raised as ``PermanentJobError`` so the job fails at once, with the reason.

A scheduled fire arrives without a job row (the schedule only enqueues); the first attempt
creates it, keyed by the queue job's id so later attempts find the same row.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from cloud.config import get_settings
from cloud.crypto import CryptoError, box_from_settings
from cloud.errors import CloudError
from cloud.integrations.configs import ConnectorConfig, GA4Config
from cloud.integrations.orders import (
    OrderRecord,
    PermanentIntegrationError,
)
from cloud.integrations.outbound import OutboundPolicy
from cloud.jobs.errors import PermanentJobError
from cloud.jobs.registry import JobContext, TaskRegistry, default_registry
from cloud.models.reconciliation import ReconClient, ReconJob, ReconStatus
from cloud.schemas.reconciliation import JobParams
from cloud.services.reconciliation.connectors import decrypt_config
from cloud.services.reconciliation.engine import reconcile
from cloud.services.reconciliation.jobs import (
    QUEUE,
    TASK,
    active_connectors,
    check_runnable,
    history_entry,
)
from cloud.services.reconciliation.params import resolve_range
from cloud.services.reconciliation.sources import build_source
from cloud.services.reconciliation.tillbridge_sales import reader_for

__all__ = ["handle", "register"]

log = structlog.get_logger(__name__)


def _scheduled_job(session: Session, ctx: JobContext, payload: dict[str, Any]) -> ReconJob:
    """The row of a schedule fire: found by queue job id, or created on the first attempt."""
    existing = session.scalar(select(ReconJob).where(ReconJob.queue_job_id == ctx.job_id,
                                                     ReconJob.tenant_id == ctx.tenant_id))
    if existing is not None:
        return existing
    try:
        params = JobParams.model_validate(payload.get("config") or {})
        client_id = uuid.UUID(str(payload.get("client_id") or payload.get("entity_id")))
    except ValueError as exc:
        raise PermanentJobError(f"schedule payload is invalid: {exc}") from exc
    fire = payload.get("fire_time")
    zone = ZoneInfo(str(payload.get("timezone") or "UTC"))
    when = datetime.fromisoformat(fire) if fire else ctx.clock.now()
    today = when.astimezone(zone).date()
    client = session.scalar(select(ReconClient).where(ReconClient.id == client_id,
                                                      ReconClient.tenant_id == ctx.tenant_id))
    if client is None:
        raise PermanentJobError("the scheduled client no longer exists")
    try:
        rng = resolve_range(params, today)
    except ValueError as exc:
        raise PermanentJobError(f"schedule date range is invalid: {exc}") from exc
    now = ctx.clock.now()
    schedule_id = payload.get("schedule_id")
    job = ReconJob(tenant_id=ctx.tenant_id, client_id=client.id, trigger="schedule",
                   status=ReconStatus.PENDING.value, days=rng.days, start_date=rng.start,
                   end_date=rng.end, max_retries=ctx.max_retries, retry_count=0,
                   manual_retries=0, queue_job_id=ctx.job_id,
                   schedule_id=uuid.UUID(schedule_id) if schedule_id else None,
                   created_at=now, updated_at=now,
                   history=[history_entry(ReconStatus.PENDING, now, note="scheduled fire")])
    session.add(job)
    session.flush()
    return job


def _load(session: Session, ctx: JobContext, payload: dict[str, Any]) -> ReconJob | None:
    raw = payload.get("recon_job_id")
    if raw is None:
        return _scheduled_job(session, ctx, payload)
    return session.scalar(select(ReconJob).where(ReconJob.id == uuid.UUID(str(raw)),
                                                 ReconJob.tenant_id == ctx.tenant_id))


def _mark(session: Session, job: ReconJob, status: ReconStatus, now: datetime, *,
          attempt: int, note: str | None = None) -> None:
    job.status = status.value
    job.updated_at = now
    job.history = [*(job.history or []), history_entry(status, now, attempt=attempt, note=note)]


def _start(ctx: JobContext, payload: dict[str, Any]) -> tuple[
        uuid.UUID, date, date, list[ConnectorConfig], GA4Config] | None:
    """Mark RUNNING and read what the attempt needs (configs decrypted in memory only)."""
    settings = ctx.settings or get_settings()
    problem: str | None = None
    with ctx.sessions.begin() as session:
        job = _load(session, ctx, payload)
        if job is None:  # deleted with its client while queued: nothing left to do
            return None
        now = ctx.clock.now()
        job.retry_count = ctx.attempt - 1
        job.started_at = job.started_at or now
        job.error_message = None
        _mark(session, job, ReconStatus.RUNNING, now, attempt=ctx.attempt)
        job_id, start, end = job.id, job.start_date, job.end_date
        try:
            client = session.get(ReconClient, job.client_id)
            if client is None:
                raise PermanentJobError("the client no longer exists")
            check_runnable(session, tenant_id=ctx.tenant_id, client=client)
            backends, analytics = active_connectors(session, tenant_id=ctx.tenant_id,
                                                    client_id=client.id)
            box = box_from_settings(settings)
            backend_cfgs = [decrypt_config(c, box) for c in backends]
            ga4 = decrypt_config(analytics[0], box)
            if not isinstance(ga4, GA4Config):
                raise PermanentJobError("the analytics connector is not GA4")
        except (CloudError, CryptoError, PermanentJobError) as exc:
            problem = getattr(exc, "message", None) or str(exc)
            job.error_message = problem
            job.finished_at = now
            _mark(session, job, ReconStatus.FAILED, now, attempt=ctx.attempt, note=problem)
    if problem is not None:
        log.warning("recon.cannot_run", job_id=str(job_id), reason=problem)
        raise PermanentJobError(f"cannot run: {problem}")
    return job_id, start, end, backend_cfgs, ga4


def _fetch(ctx: JobContext, configs: list[ConnectorConfig], start: date,
           end: date) -> list[OrderRecord]:
    reader = reader_for(ctx.sessions)
    policy = OutboundPolicy.from_settings(ctx.settings or get_settings())
    records: list[OrderRecord] = []
    for config in configs:
        source = build_source(config, tenant_id=ctx.tenant_id, sales_reader=reader,
                              policy=policy)
        try:
            records.extend(source.fetch(start, end))
        finally:
            source.close()
    return records


def handle(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """One attempt: fetch both sides, compare, store the result (or the failure)."""
    started = _start(ctx, payload)
    if started is None:
        return {"skipped": "job no longer exists"}
    job_id, start, end, backend_cfgs, ga4 = started
    try:
        backend = _fetch(ctx, backend_cfgs, start, end)
        analytics = _fetch(ctx, [ga4], start, end)
        outcome = reconcile(backend, analytics, start_date=start, end_date=end)
        result = outcome.as_result(retry_attempt=ctx.attempt - 1)
    except Exception as exc:
        _failed(ctx, job_id, exc)
        if isinstance(exc, PermanentIntegrationError):
            raise PermanentJobError(exc.message) from exc
        raise
    with ctx.sessions.begin() as session:
        job = session.get(ReconJob, job_id)
        if job is None:
            return {"skipped": "job deleted while running"}
        now = ctx.clock.now()
        job.result = result
        job.retry_count = ctx.attempt - 1
        job.finished_at = now
        _mark(session, job, ReconStatus.COMPLETED, now, attempt=ctx.attempt,
              note=f"match_rate {result['match_rate']}%, missing {result['missing_count']}")
    log.info("recon.completed", job_id=str(job_id), attempt=ctx.attempt,
             missing=result["missing_count"], mismatches=result["mismatch_count"])
    return {"recon_job_id": str(job_id), "match_rate": result["match_rate"],
            "missing_count": result["missing_count"]}


def _failed(ctx: JobContext, job_id: uuid.UUID, exc: Exception) -> None:
    """RETRYING when the worker will run another attempt, FAILED when it will not."""
    message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
    permanent = isinstance(exc, PermanentIntegrationError | PermanentJobError)
    again = not permanent and ctx.attempt <= ctx.max_retries
    with ctx.sessions.begin() as session:
        job = session.get(ReconJob, job_id)
        if job is None:
            return
        now = ctx.clock.now()
        job.error_message = str(message)[:4000]
        if again:
            job.retry_count = ctx.attempt
            _mark(session, job, ReconStatus.RETRYING, now, attempt=ctx.attempt,
                  note=str(message))
        else:
            job.finished_at = now
            _mark(session, job, ReconStatus.FAILED, now, attempt=ctx.attempt, note=str(message))
    log.warning("recon.attempt_failed", job_id=str(job_id), attempt=ctx.attempt,
                retry=again, error=type(exc).__name__)


def register(registry: TaskRegistry | None = None) -> None:
    """Register :func:`handle` under :data:`TASK` (idempotent)."""
    target = registry if registry is not None else default_registry
    if TASK not in target:
        target.add(TASK, handle, queue=QUEUE, max_retries=3)


register()
