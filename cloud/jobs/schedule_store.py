"""Schedule rows: create/update them, and turn a fire into exactly one job.

A fire's idempotency key is ``schedule:<id>:<fire instant>``; it is unique for good in the jobs
table, so any number of cloud processes may fire the same instant and only one job appears.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cloud.jobs import repository as repo
from cloud.jobs.errors import JobNotFound
from cloud.jobs.fire_times import (
    Frequency,
    InvalidRecurrence,
    Recurrence,
    last_fire_at_or_before,
    next_fire_after,
)
from cloud.models.schedules import Schedule

__all__ = ["Fired", "ScheduleSpec", "delete_schedule", "fire", "fire_key", "get_schedule",
           "recurrence_of", "run_due", "save_schedule"]


@dataclass(frozen=True)
class ScheduleSpec:
    """What a caller sets on a schedule (seed 002 §5 "Schedule Configuration")."""

    name: str
    task: str
    frequency: Frequency
    time_of_day: time
    timezone: str = "UTC"
    weekday: int | None = None
    queue: str = "default"
    payload: dict[str, Any] | None = None
    entity_type: str = ""
    entity_id: str = ""
    is_active: bool = True
    max_retries: int = 3


@dataclass(frozen=True)
class Fired:
    """One fire: the instant, the job it made, and whether this call made it."""

    schedule_id: uuid.UUID
    fire_time: datetime
    job_id: uuid.UUID
    created: bool


def recurrence_of(schedule: Schedule) -> Recurrence:
    return Recurrence(frequency=schedule.frequency,  # type: ignore[arg-type]
                      time_of_day=schedule.time_of_day, timezone=schedule.timezone,
                      weekday=schedule.weekday)


def fire_key(schedule_id: uuid.UUID, fire_time: datetime) -> str:
    return f"schedule:{schedule_id}:{fire_time.isoformat()}"


def save_schedule(session: Session, *, tenant_id: uuid.UUID, spec: ScheduleSpec,
                  now: datetime, schedule_id: uuid.UUID | None = None) -> Schedule:
    """Create, or update the one for (tenant, task, entity); computes ``next_run_at``."""
    rec = Recurrence(spec.frequency, spec.time_of_day, spec.timezone, spec.weekday)
    if not 0 <= spec.max_retries <= 5:
        raise InvalidRecurrence("max_retries must be between 0 and 5", field="max_retries")
    row = None
    if schedule_id is not None:
        row = get_schedule(session, tenant_id=tenant_id, schedule_id=schedule_id)
    else:
        row = session.execute(select(Schedule).where(
            Schedule.tenant_id == tenant_id, Schedule.task == spec.task,
            Schedule.entity_type == spec.entity_type, Schedule.entity_id == spec.entity_id,
        )).scalar_one_or_none()
    if row is None:
        row = Schedule(tenant_id=tenant_id, created_at=now)
        session.add(row)
    row.name, row.task, row.queue = spec.name, spec.task, spec.queue
    row.payload = dict(spec.payload or {})
    row.entity_type, row.entity_id = spec.entity_type, spec.entity_id
    row.frequency, row.time_of_day = spec.frequency, spec.time_of_day.replace(microsecond=0)
    row.timezone, row.weekday = spec.timezone, spec.weekday
    row.is_active, row.max_retries = spec.is_active, spec.max_retries
    row.next_run_at = next_fire_after(rec, now) if spec.is_active else None
    row.updated_at = now
    session.flush()
    return row


def get_schedule(session: Session, *, tenant_id: uuid.UUID | None,
                 schedule_id: uuid.UUID) -> Schedule:
    stmt = select(Schedule).where(Schedule.id == schedule_id)
    if tenant_id is not None:
        stmt = stmt.where(Schedule.tenant_id == tenant_id)
    row = session.execute(stmt).scalar_one_or_none()
    if row is None:
        raise JobNotFound("Schedule not found")
    return row


def delete_schedule(session: Session, *, tenant_id: uuid.UUID, schedule_id: uuid.UUID) -> None:
    session.delete(get_schedule(session, tenant_id=tenant_id, schedule_id=schedule_id))


def fire(session: Session, schedule: Schedule, fire_time: datetime, *, now: datetime) -> Fired:
    """Enqueue the schedule's job for ``fire_time`` (a no-op if that fire already has one)."""
    payload = {**(schedule.payload or {}), "schedule_id": str(schedule.id),
               "fire_time": fire_time.isoformat()}
    if schedule.entity_type:
        payload.setdefault("entity_type", schedule.entity_type)
        payload.setdefault("entity_id", schedule.entity_id)
    made = repo.enqueue(session, tenant_id=schedule.tenant_id, task=schedule.task, now=now,
                        payload=payload, queue=schedule.queue,
                        max_retries=schedule.max_retries,
                        idempotency_key=fire_key(schedule.id, fire_time))
    if schedule.last_fire_at is None or schedule.last_fire_at < fire_time:
        schedule.last_fire_at = fire_time
    schedule.next_run_at = next_fire_after(recurrence_of(schedule), max(now, fire_time))
    return Fired(schedule.id, fire_time, made.job_id, made.created)


def run_due(session: Session, *, now: datetime, grace: timedelta,
            schedule_ids: list[uuid.UUID] | None = None) -> list[Fired]:
    """Fire each active schedule's latest due instant, if within ``grace`` and not yet fired.

    This is what an APScheduler trigger calls at fire time, and what a reload uses to catch
    up a fire missed while no cloud process was running.
    """
    stmt = select(Schedule).where(Schedule.is_active.is_(True)).order_by(Schedule.id)
    if schedule_ids is not None:
        stmt = stmt.where(Schedule.id.in_(schedule_ids))
    out: list[Fired] = []
    for schedule in session.execute(stmt).scalars():
        try:
            rec = recurrence_of(schedule)
        except InvalidRecurrence:  # e.g. a zone removed from tzdata; the reload logs it
            continue
        due = last_fire_at_or_before(rec, now)
        if now - due > grace or due < schedule.created_at:
            continue
        if schedule.last_fire_at is not None and schedule.last_fire_at >= due:
            continue
        out.append(fire(session, schedule, due, now=now))
    return out
