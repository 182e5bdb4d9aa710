"""APScheduler (3.x) in the cloud process: one trigger per active schedule, reloaded from DB.

Seed 002's flow: ``load_schedules()`` every few minutes creates/updates one APScheduler job per
active schedule; a trigger fire only enqueues a job (see :mod:`cloud.jobs.schedule_store`), so two
cloud processes with the scheduler enabled enqueue each fire once. Each reload also catches up
a fire missed within ``grace`` (e.g. the process was restarting at 03:00).

Built-in recurring jobs (:mod:`cloud.jobs.builtin_jobs`, e.g. stock reservation expiry) get one
interval trigger each; a fire enqueues the task for every tenant with work, idempotently per
interval slot.
"""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta
from typing import Any

import structlog
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from cloud.jobs import schedule_store as sched
from cloud.jobs.builtin_jobs import (
    RecurringFire,
    RecurringRegistry,
    default_recurring,
    fire_recurring,
)
from cloud.jobs.fire_times import InvalidRecurrence, Recurrence, next_fire_after
from cloud.jobs.handlers import load_handlers
from cloud.models.schedules import Schedule
from shared.clock import Clock, SystemClock

__all__ = ["RecurrenceTrigger", "ScheduleRunner", "start_scheduler"]

log = structlog.get_logger(__name__)
_RELOAD_JOB = "tillbridge:reload-schedules"
_RECURRING_JOB = "tillbridge:recurring:"


class RecurrenceTrigger(BaseTrigger):
    """An APScheduler trigger whose fire times come from :func:`next_fire_after`."""

    def __init__(self, recurrence: Recurrence) -> None:
        self.recurrence = recurrence

    def get_next_fire_time(self, previous_fire_time: datetime | None,
                           now: datetime) -> datetime | None:
        if previous_fire_time is not None:
            return next_fire_after(self.recurrence, previous_fire_time)
        return next_fire_after(self.recurrence, now - timedelta(microseconds=1))

    def __str__(self) -> str:
        r = self.recurrence
        return f"recurrence[{r.frequency} {r.time_of_day} {r.timezone} wd={r.weekday}]"


def _fingerprint(row: Schedule) -> tuple[Any, ...]:
    return (row.frequency, row.time_of_day, row.timezone, row.weekday)


class ScheduleRunner:
    """Owns a ``BackgroundScheduler``; :meth:`reload`, :meth:`fire_now` and
    :meth:`fire_recurring` work without it (tests drive them on a manual clock)."""

    def __init__(self, sessions: sessionmaker[Session], *, clock: Clock | None = None,
                 reload_seconds: float = 300.0, grace: timedelta = timedelta(hours=1),
                 name: str = "scheduler", recurring: RecurringRegistry | None = None) -> None:
        self.sessions = sessions
        self.clock = clock or SystemClock()
        self.reload_seconds = reload_seconds
        self.grace = grace
        self.name = name
        self.recurring = recurring if recurring is not None else default_recurring
        self.aps: BackgroundScheduler | None = None
        self._known: dict[str, tuple[Any, ...]] = {}
        self._lock = threading.Lock()
        self.fire_calls = 0  # how many trigger fires this runner handled (observability)

    # ---- firing ---------------------------------------------------------------------------

    def fire_now(self, schedule_id: uuid.UUID | None = None) -> list[sched.Fired]:
        """Enqueue whatever is due now (one schedule, or all); idempotent per fire instant."""
        now = self.clock.now()
        with self.sessions.begin() as session:
            fired = sched.run_due(session, now=now, grace=self.grace,
                                  schedule_ids=None if schedule_id is None else [schedule_id])
        for f in fired:
            log.info("schedule.fired", schedule_id=str(f.schedule_id),
                     fire_time=f.fire_time.isoformat(), job_id=str(f.job_id),
                     created=f.created, runner=self.name)
        return fired

    def _on_trigger(self, schedule_id: str) -> None:
        with self._lock:
            self.fire_calls += 1
        try:
            self.fire_now(uuid.UUID(schedule_id))
        except SQLAlchemyError as exc:  # the next reload catches the fire up
            log.error("schedule.fire_failed", schedule_id=schedule_id, error=type(exc).__name__)

    def fire_recurring(self, task: str | None = None) -> list[RecurringFire]:
        """Enqueue the built-in recurring jobs (one, or all) for every tenant with work now."""
        entries = [e for e in self.recurring if task is None or e.task == task]
        with self.sessions.begin() as session:
            fired = fire_recurring(session, entries, now=self.clock.now())
        made = [f for f in fired if f.created]
        if made:
            log.info("recurring.fired", tasks=sorted({f.task for f in made}), jobs=len(made),
                     runner=self.name)
        return fired

    def _on_recurring(self, task: str | None = None) -> None:
        try:
            self.fire_recurring(task)
        except SQLAlchemyError as exc:  # the next interval tries again
            log.error("recurring.fire_failed", task=task, error=type(exc).__name__)

    # ---- reload ---------------------------------------------------------------------------

    def reload(self) -> dict[str, int]:
        """Sync APScheduler jobs with the active schedules, then catch up missed fires."""
        with self.sessions() as session:
            rows = session.execute(select(Schedule).where(Schedule.is_active.is_(True))
                                   ).scalars().all()
        wanted = {str(r.id): r for r in rows}
        added = removed = 0
        with self._lock:
            for sid in list(self._known):
                if sid not in wanted:
                    self._known.pop(sid)
                    if self.aps is not None and self.aps.get_job(sid) is not None:
                        self.aps.remove_job(sid)
                    removed += 1
            for sid, row in wanted.items():
                fp = _fingerprint(row)
                if self._known.get(sid) == fp:
                    continue
                try:
                    trigger = RecurrenceTrigger(sched.recurrence_of(row))
                except InvalidRecurrence as exc:
                    log.error("schedule.invalid", schedule_id=sid, error=exc.message)
                    continue
                self._known[sid] = fp
                added += 1
                if self.aps is not None:
                    self.aps.add_job(self._on_trigger, trigger, args=[sid], id=sid,
                                     name=row.name, replace_existing=True,
                                     misfire_grace_time=int(self.grace.total_seconds()),
                                     coalesce=True, max_instances=1)
        try:
            caught_up = len([f for f in self.fire_now() if f.created])
        except SQLAlchemyError as exc:
            log.error("schedule.catch_up_failed", error=type(exc).__name__)
            caught_up = 0
        return {"schedules": len(wanted), "added": added, "removed": removed,
                "caught_up": caught_up}

    def _safe_reload(self) -> None:
        try:
            self.reload()
        except SQLAlchemyError as exc:
            log.error("schedule.reload_failed", error=type(exc).__name__)

    # ---- lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        """Start APScheduler in a background thread, load the schedules and fire the
        built-in recurring jobs once (then on their intervals)."""
        if self.aps is not None:
            return
        self.aps = BackgroundScheduler(timezone="UTC")
        self.aps.add_job(self._safe_reload, IntervalTrigger(seconds=self.reload_seconds),
                         id=_RELOAD_JOB, coalesce=True, max_instances=1)
        for entry in self.recurring:
            self.aps.add_job(self._on_recurring,
                             IntervalTrigger(seconds=entry.every.total_seconds()),
                             args=[entry.task], id=_RECURRING_JOB + entry.task,
                             name=entry.task, coalesce=True, max_instances=1)
        self.aps.start()
        self._safe_reload()
        self._on_recurring()
        log.info("schedule.started", runner=self.name, schedules=len(self._known))

    def shutdown(self) -> None:
        if self.aps is not None:
            self.aps.shutdown(wait=True)
            self.aps = None
        self._known.clear()

    def next_run_time(self, schedule_id: uuid.UUID) -> datetime | None:
        """When APScheduler will next fire this schedule (``None`` if not loaded)."""
        return self._next(str(schedule_id))

    def next_recurring_time(self, task: str) -> datetime | None:
        """When APScheduler will next fire this built-in recurring task (``None`` if none)."""
        return self._next(_RECURRING_JOB + task)

    def _next(self, job_id: str) -> datetime | None:
        if self.aps is None:
            return None
        job = self.aps.get_job(job_id)
        return None if job is None else job.next_run_time


def start_scheduler(runtime: Any) -> ScheduleRunner | None:
    """The cloud process's scheduler when ``SCHEDULER_ENABLED`` (``None`` otherwise).

    The built-in handler modules are imported first: they declare the recurring jobs."""
    settings = runtime.settings
    if not settings.scheduler_enabled:
        return None
    load_handlers()
    runner = ScheduleRunner(runtime.sessions, clock=runtime.clock,
                            reload_seconds=settings.scheduler_reload_s)
    runner.start()
    return runner
