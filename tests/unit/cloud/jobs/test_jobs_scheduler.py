"""Schedules enqueue at the right UTC instants, once, however many schedulers run."""

from __future__ import annotations

import threading
import time as _time
import uuid
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cloud.jobs import schedule_store as sched
from cloud.jobs.fire_times import InvalidRecurrence, Recurrence, next_fire_after
from cloud.jobs.schedule_runner import ScheduleRunner
from cloud.models.jobs import Job
from shared.clock import ManualClock, SystemClock

TENANT = uuid.UUID("01890000-0000-7000-8000-0000000000aa")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _daily_0300(sessions: sessionmaker[Session], now: datetime) -> uuid.UUID:
    spec = sched.ScheduleSpec(name="nightly reconciliation", task="recon.run",
                              frequency="daily", time_of_day=time(3, 0),
                              timezone="Europe/Bucharest", entity_type="client",
                              entity_id="c-1", payload={"days": 30})
    with sessions.begin() as s:
        return sched.save_schedule(s, tenant_id=TENANT, spec=spec, now=now).id


def _jobs(sessions: sessionmaker[Session]) -> list[Job]:
    with sessions() as s:
        return list(s.execute(select(Job).order_by(Job.run_at)).scalars())


def test_daily_0300_bucharest_enqueues_at_the_right_instants_across_dst(
        sessions: sessionmaker[Session]) -> None:
    clock = ManualClock(utc(2026, 3, 27, 12))
    sid = _daily_0300(sessions, clock.now())
    runner = ScheduleRunner(sessions, clock=clock)
    seen: list[tuple[datetime, datetime]] = []  # (fire instant, clock when enqueued)
    while clock.now() < utc(2026, 3, 31, 12):
        clock.advance(minutes=15)
        for f in runner.fire_now():
            assert f.created
            seen.append((f.fire_time, clock.now()))
    assert [fire for fire, _ in seen] == [
        utc(2026, 3, 28, 1),  # 03:00 EET
        utc(2026, 3, 29, 1),  # the night of the change: 03:00 is skipped, so 04:00 EEST
        utc(2026, 3, 30, 0),  # 03:00 EEST
        utc(2026, 3, 31, 0),
    ]
    assert all(timedelta(0) <= at - fire < timedelta(minutes=15) for fire, at in seen)
    jobs = _jobs(sessions)
    assert len(jobs) == 4
    assert {j.payload["schedule_id"] for j in jobs} == {str(sid)}
    assert jobs[0].payload["days"] == 30 and jobs[0].payload["entity_id"] == "c-1"
    assert jobs[0].task == "recon.run" and jobs[0].tenant_id == TENANT
    with sessions() as s:
        row = sched.get_schedule(s, tenant_id=TENANT, schedule_id=sid)
        assert row.last_fire_at == utc(2026, 3, 31, 0)
        assert row.next_run_at == utc(2026, 4, 1, 0)


def test_autumn_change_fires_once(sessions: sessionmaker[Session]) -> None:
    clock = ManualClock(utc(2026, 10, 23, 12))
    _daily_0300(sessions, clock.now())
    runner = ScheduleRunner(sessions, clock=clock)
    fires = []
    while clock.now() < utc(2026, 10, 26, 12):
        clock.advance(minutes=20)
        fires += [f.fire_time for f in runner.fire_now()]
    assert fires == [utc(2026, 10, 24, 0), utc(2026, 10, 25, 0), utc(2026, 10, 26, 1)]


def test_two_schedulers_enqueue_each_fire_once(sessions: sessionmaker[Session]) -> None:
    clock = ManualClock(utc(2026, 3, 28, 0))
    _daily_0300(sessions, clock.now())
    a = ScheduleRunner(sessions, clock=clock, name="a")
    b = ScheduleRunner(sessions, clock=clock, name="b")
    clock.set(utc(2026, 3, 28, 1, 0, 1))
    results: list[list[sched.Fired]] = []
    barrier = threading.Barrier(2)

    def go(runner: ScheduleRunner) -> None:
        barrier.wait()
        results.append(runner.fire_now())

    threads = [threading.Thread(target=go, args=(r,)) for r in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    fired = [f for batch in results for f in batch]
    # Each made its call; the fire produced one job between them.
    assert len(_jobs(sessions)) == 1
    assert {f.job_id for f in fired} <= {_jobs(sessions)[0].id}
    assert sum(f.created for f in fired) == 1
    # And firing the same instant again later changes nothing.
    a.fire_now()
    b.fire_now()
    assert len(_jobs(sessions)) == 1


def test_missed_fire_is_caught_up_within_grace_only(sessions: sessionmaker[Session]) -> None:
    clock = ManualClock(utc(2026, 3, 27, 12))
    _daily_0300(sessions, clock.now())
    runner = ScheduleRunner(sessions, clock=clock, grace=timedelta(hours=1))
    clock.set(utc(2026, 3, 28, 1, 40))  # process was down at 01:00 UTC
    assert runner.reload()["caught_up"] == 1
    clock.set(utc(2026, 3, 29, 3))  # two hours late: skipped
    assert runner.reload()["caught_up"] == 0
    assert len(_jobs(sessions)) == 1


def test_save_schedule_validates_and_upserts(sessions: sessionmaker[Session]) -> None:
    now = utc(2026, 1, 5, 12)
    first = _daily_0300(sessions, now)
    assert _daily_0300(sessions, now) == first  # same (tenant, task, entity): updated
    bad = sched.ScheduleSpec(name="x", task="t", frequency="daily", time_of_day=time(3),
                             timezone="Nowhere/Land")
    with sessions.begin() as s, pytest.raises(InvalidRecurrence):
        sched.save_schedule(s, tenant_id=TENANT, spec=bad, now=now)


def test_apscheduler_loads_reloads_and_drops_schedules(sessions: sessionmaker[Session]) -> None:
    now = datetime.now(UTC)
    sid = _daily_0300(sessions, now)
    runner = ScheduleRunner(sessions, reload_seconds=3600)
    runner.start()
    try:
        expected = next_fire_after(Recurrence("daily", time(3), "Europe/Bucharest"), now)
        assert runner.next_run_time(sid) == expected
        with sessions.begin() as s:
            row = sched.get_schedule(s, tenant_id=TENANT, schedule_id=sid)
            row.time_of_day = time(5, 30)
        runner.reload()
        assert runner.next_run_time(sid) == next_fire_after(
            Recurrence("daily", time(5, 30), "Europe/Bucharest"), datetime.now(UTC))
        with sessions.begin() as s:
            sched.get_schedule(s, tenant_id=TENANT, schedule_id=sid).is_active = False
        assert runner.reload()["removed"] == 1
        assert runner.next_run_time(sid) is None
    finally:
        runner.shutdown()


def test_real_apscheduler_fire_from_two_processes_worth_of_schedulers(
        sessions: sessionmaker[Session]) -> None:
    """GIVEN two running schedulers WHEN an hourly schedule's instant passes THEN one job."""
    soon = (datetime.now(UTC) + timedelta(seconds=2)).replace(microsecond=0)
    spec = sched.ScheduleSpec(name="soon", task="t.soon", frequency="hourly",
                              time_of_day=time(0, soon.minute, soon.second))
    with sessions.begin() as s:
        sched.save_schedule(s, tenant_id=TENANT, spec=spec, now=SystemClock().now())
    runners = [ScheduleRunner(sessions, reload_seconds=3600, name=n) for n in ("a", "b")]
    for r in runners:
        r.start()
    try:
        deadline = _time.monotonic() + 30
        while any(r.fire_calls == 0 for r in runners) and _time.monotonic() < deadline:
            _time.sleep(0.05)
        assert all(r.fire_calls == 1 for r in runners)
    finally:
        for r in runners:
            r.shutdown()
    jobs = _jobs(sessions)
    assert len(jobs) == 1 and jobs[0].payload["fire_time"] == soon.isoformat()


def test_cloud_process_runs_the_scheduler_only_when_enabled(
        sessions: sessionmaker[Session], db_url: str) -> None:
    from cloud.config import Settings
    from cloud.jobs.schedule_runner import start_scheduler
    from cloud.runtime import Runtime

    sid = _daily_0300(sessions, datetime.now(UTC))
    off = Runtime(Settings(database_url=db_url, scheduler_enabled=False))
    assert start_scheduler(off) is None
    off.dispose()
    on = Runtime(Settings(database_url=db_url, scheduler_enabled=True, scheduler_reload_s=60))
    runner = start_scheduler(on)
    try:
        assert runner is not None and runner.reload_seconds == 60
        assert runner.next_run_time(sid) == next_fire_after(
            Recurrence("daily", time(3), "Europe/Bucharest"), datetime.now(UTC))
    finally:
        assert runner is not None
        runner.shutdown()
        on.dispose()


def test_scheduler_is_on_by_default_and_off_for_the_suite(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 002: ``SCHEDULER_ENABLED`` defaults to true; the suite's environment turns it off
    so in-process apps and child processes start no background scheduler."""
    from cloud.config import Settings

    assert Settings().scheduler_enabled is False  # tests/conftest.py
    monkeypatch.delenv("SCHEDULER_ENABLED")
    assert Settings().scheduler_enabled is True
    monkeypatch.setenv("SCHEDULER_ENABLED", "false")
    assert Settings().scheduler_enabled is False
