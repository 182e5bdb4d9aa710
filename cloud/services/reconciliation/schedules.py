"""Per-client schedules, stored as jobs-package schedules (``entity_type = 'recon_client'``).

The Cloud jobs scheduler (APScheduler, one trigger per schedule, reloaded from the database)
fires them; a fire only enqueues :data:`~cloud.services.reconciliation.jobs.TASK` with the
schedule's run config, idempotently per fire instant. ``next_run`` is computed on read from the
recurrence in the client's IANA zone, so it is right across DST even if no scheduler ran.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from cloud.errors import NotFound
from cloud.jobs import schedule_store as jobs_schedules
from cloud.jobs.fire_times import next_fire_after
from cloud.models.schedules import Schedule
from cloud.schemas.reconciliation import (
    JobParams,
    ScheduleIn,
    ScheduleOut,
    SchedulePatch,
    wall_time,
)
from cloud.services.reconciliation.clients import SCHEDULE_ENTITY, get_client
from cloud.services.reconciliation.jobs import QUEUE, TASK

__all__ = [
    "ENTITY",
    "delete_schedule",
    "get_schedule",
    "save_schedule",
    "schedule_out",
    "update_schedule",
]

ENTITY = SCHEDULE_ENTITY


class ScheduleNotFound(NotFound):
    """This client has no schedule."""


def _row(session: Session, tenant_id: uuid.UUID, client_id: uuid.UUID) -> Schedule | None:
    return session.scalar(select(Schedule).where(
        Schedule.tenant_id == tenant_id, Schedule.task == TASK,
        Schedule.entity_type == ENTITY, Schedule.entity_id == str(client_id)))


def get_schedule(session: Session, *, tenant_id: uuid.UUID, client_id: uuid.UUID) -> Schedule:
    get_client(session, tenant_id=tenant_id, client_id=client_id)
    row = _row(session, tenant_id, client_id)
    if row is None:
        raise ScheduleNotFound("This client has no schedule", field="client_id")
    return row


def save_schedule(session: Session, *, tenant_id: uuid.UUID, client_id: uuid.UUID,
                  data: ScheduleIn, now: datetime) -> Schedule:
    """Create or replace the client's schedule."""
    client = get_client(session, tenant_id=tenant_id, client_id=client_id)
    weekday = data.weekday if data.frequency == "weekly" else None
    if data.frequency == "weekly" and weekday is None:
        weekday = 0  # Monday, when a weekly schedule does not say
    config = data.config.model_dump(mode="json")
    spec = jobs_schedules.ScheduleSpec(
        name=f"reconciliation: {client.name}"[:200], task=TASK, queue=QUEUE,
        frequency=data.frequency, time_of_day=wall_time(data.time_of_day),
        timezone=data.timezone, weekday=weekday, entity_type=ENTITY,
        entity_id=str(client.id), is_active=data.is_active,
        max_retries=data.config.max_retries,
        payload={"client_id": str(client.id), "config": config, "timezone": data.timezone})
    return jobs_schedules.save_schedule(session, tenant_id=tenant_id, spec=spec, now=now)


def update_schedule(session: Session, *, tenant_id: uuid.UUID, client_id: uuid.UUID,
                    data: SchedulePatch, now: datetime) -> Schedule:
    """Change only the fields sent; the client must already have a schedule."""
    row = get_schedule(session, tenant_id=tenant_id, client_id=client_id)
    current = ScheduleIn(frequency=row.frequency,  # type: ignore[arg-type]
                         time_of_day=row.time_of_day.strftime("%H:%M:%S"),
                         weekday=row.weekday, timezone=row.timezone, is_active=row.is_active,
                         config=JobParams.model_validate((row.payload or {}).get("config", {})))
    changes = data.model_dump(exclude_unset=True)
    if "config" in changes and data.config is not None:
        changes["config"] = data.config
    merged = current.model_copy(update={k: v for k, v in changes.items() if v is not None})
    if merged.frequency != "weekly":
        merged = merged.model_copy(update={"weekday": None})
    return save_schedule(session, tenant_id=tenant_id, client_id=client_id, data=merged, now=now)


def delete_schedule(session: Session, *, tenant_id: uuid.UUID, client_id: uuid.UUID) -> None:
    row = get_schedule(session, tenant_id=tenant_id, client_id=client_id)
    session.delete(row)
    session.flush()


def schedule_out(row: Schedule, *, now: datetime) -> ScheduleOut:
    """The stored schedule with ``next_run`` computed now (UTC and local)."""
    next_run = None
    if row.is_active:
        next_run = next_fire_after(jobs_schedules.recurrence_of(row), now.astimezone(UTC))
    zone = ZoneInfo(row.timezone)
    return ScheduleOut(
        id=row.id, client_id=uuid.UUID(row.entity_id), frequency=row.frequency,
        time_of_day=row.time_of_day.strftime("%H:%M:%S"), weekday=row.weekday,
        timezone=row.timezone,
        is_active=row.is_active,
        config=JobParams.model_validate((row.payload or {}).get("config", {})),
        next_run=next_run, next_run_local=next_run.astimezone(zone) if next_run else None,
        last_run=row.last_fire_at)
