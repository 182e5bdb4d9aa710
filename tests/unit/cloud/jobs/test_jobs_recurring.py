"""Built-in recurring jobs: one job per (task, tenant, interval slot), whichever process fires,
at most one pending per (task, tenant), fired by the scheduler on start and on its interval."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cloud.jobs import repository as repo
from cloud.jobs.builtin_jobs import Recurring, RecurringRegistry
from cloud.jobs.registry import TaskRegistry
from cloud.jobs.schedule_runner import ScheduleRunner
from cloud.jobs.worker import Worker, WorkerConfig
from cloud.models.jobs import Job
from shared.clock import ManualClock

A, B = uuid.UUID(int=0xA), uuid.UUID(int=0xB)
TASK = "test.sweep"


def _world(with_work: set[uuid.UUID]) -> tuple[RecurringRegistry, list[datetime]]:
    """A registry whose one entry reports ``with_work`` and records when it was asked."""
    asked: list[datetime] = []

    def tenants(_session: Session, now: datetime) -> list[uuid.UUID]:
        asked.append(now)
        return sorted(with_work)

    registry = RecurringRegistry()
    registry.add(Recurring(TASK, timedelta(minutes=5), tenants, queue="upkeep"))
    return registry, asked


def _jobs(sessions: sessionmaker[Session]) -> list[Job]:
    with sessions() as s:
        return list(s.scalars(select(Job).order_by(Job.tenant_id, Job.created_at)))


def test_slots_are_aligned_on_the_epoch() -> None:
    entry = Recurring(TASK, timedelta(minutes=5), lambda _s, _n: [])
    at = datetime(2026, 3, 1, 12, 7, 31, tzinfo=UTC)
    assert entry.slot(at) == datetime(2026, 3, 1, 12, 5, tzinfo=UTC)
    assert entry.slot(entry.slot(at)) == entry.slot(at)


def test_one_job_per_tenant_and_slot_whichever_process_fires(
        sessions: sessionmaker[Session], clock: ManualClock) -> None:
    """GIVEN two cloud processes' schedulers and tenants A and B with work
    WHEN both fire the same slot, then a later slot while A's job still waits
    THEN each tenant has one job; the later slot adds none until that job has run."""
    with_work = {A, B}
    registry, asked = _world(with_work)
    one = ScheduleRunner(sessions, clock=clock, recurring=registry, name="one")
    two = ScheduleRunner(sessions, clock=clock, recurring=registry, name="two")
    first = one.fire_recurring()
    assert [(f.tenant_id, f.created) for f in first] == [(A, True), (B, True)]
    assert [(f.tenant_id, f.created) for f in two.fire_recurring()] == [(A, False), (B, False)]
    assert asked == [clock.now(), clock.now()]
    jobs = _jobs(sessions)
    assert [(j.tenant_id, j.task, j.queue) for j in jobs] == [(A, TASK, "upkeep"),
                                                             (B, TASK, "upkeep")]
    assert jobs[0].payload == {"slot": "2026-03-01T12:00:00+00:00"}

    ran: list[uuid.UUID] = []
    tasks = TaskRegistry()
    tasks.add(TASK, lambda ctx, _p: ran.append(ctx.tenant_id), queue="upkeep")
    worker = Worker(sessions, tasks, config=WorkerConfig(poll_interval=0), clock=clock)
    with sessions.begin() as s:  # B's job runs; A's queue is paused, so A's job waits
        repo.pause(s, tenant_id=A, queue="upkeep", now=clock.now())
    assert worker.run_once() == 1 and ran == [B]

    clock.advance(5 * 60)
    with_work.discard(B)
    later = one.fire_recurring()
    assert [(f.tenant_id, f.created, f.job_id) for f in later] == [(A, False, first[0].job_id)]
    with sessions.begin() as s:
        repo.resume(s, tenant_id=A, queue="upkeep")
    assert worker.run_once() == 1 and ran == [B, A]
    clock.advance(5 * 60)
    assert [f.created for f in one.fire_recurring()] == [True]
    assert len(_jobs(sessions)) == 3


def test_no_job_for_a_tenant_without_work(sessions: sessionmaker[Session],
                                          clock: ManualClock) -> None:
    registry, _ = _world(set())
    assert ScheduleRunner(sessions, clock=clock, recurring=registry).fire_recurring() == []
    assert _jobs(sessions) == []


def test_scheduler_fires_on_start_and_keeps_an_interval_trigger(
        sessions: sessionmaker[Session], clock: ManualClock) -> None:
    registry, asked = _world({A})
    runner = ScheduleRunner(sessions, clock=clock, recurring=registry)
    runner.start()
    try:
        assert asked == [clock.now()] and len(_jobs(sessions)) == 1
        nxt = runner.next_recurring_time(TASK)
        assert nxt is not None and timedelta(0) < nxt - datetime.now(UTC) <= timedelta(
            minutes=5)
        assert runner.next_recurring_time("no.such.task") is None
    finally:
        runner.shutdown()
