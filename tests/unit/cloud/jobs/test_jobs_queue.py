"""The queue engine on SQLite and PostgreSQL, driven by a manual clock (no sleeps)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cloud.jobs import repository as repo
from cloud.jobs.errors import InvalidJob, PermanentJobError
from cloud.jobs.registry import JobContext, TaskRegistry
from cloud.jobs.retry import RetryStrategy
from cloud.jobs.states import SYSTEM_TENANT, JobState
from cloud.jobs.worker import Worker, WorkerConfig
from cloud.models.jobs import Job
from shared.clock import ManualClock

TENANT = uuid.UUID("01890000-0000-7000-8000-000000000001")
OTHER = uuid.UUID("01890000-0000-7000-8000-000000000002")


def _enqueue(sessions: sessionmaker[Session], clock: ManualClock, task: str = "record",
             **kw: Any) -> repo.Enqueued:
    kw.setdefault("tenant_id", TENANT)
    with sessions.begin() as s:
        return repo.enqueue(s, task=task, now=clock.now(), **kw)


def _job(sessions: sessionmaker[Session], job_id: uuid.UUID) -> Job:
    with sessions() as s:
        return s.execute(select(Job).where(Job.id == job_id)).scalar_one()


class Recorder:
    """Handlers that write down every run, and can be told to fail."""

    def __init__(self) -> None:
        self.runs: list[tuple[uuid.UUID, int]] = []
        self.failing = False
        self.registry = TaskRegistry()
        self.registry.add("record", self.record)
        self.registry.add("permanent", self.permanent)

    def record(self, ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        self.runs.append((ctx.job_id, ctx.attempt))
        if self.failing:
            raise ConnectionError("receiver down")
        return {"echo": payload.get("n")}

    def permanent(self, ctx: JobContext, payload: dict[str, Any]) -> None:
        self.runs.append((ctx.job_id, ctx.attempt))
        raise PermanentJobError("bad payload")


@pytest.fixture
def rec() -> Recorder:
    return Recorder()


def _worker(sessions: sessionmaker[Session], clock: ManualClock, rec: Recorder,
            name: str = "w1", **config: Any) -> Worker:
    config.setdefault("visibility_timeout", 30)
    return Worker(sessions, rec.registry, clock=clock, worker_id=name,
                  retry=RetryStrategy(base=1, jitter=0), config=WorkerConfig(**config))


def test_enqueue_claim_complete(sessions: sessionmaker[Session], clock: ManualClock,
                                rec: Recorder) -> None:
    job = _enqueue(sessions, clock, payload={"n": 7})
    assert job.created
    assert _worker(sessions, clock, rec).run_once() == 1
    row = _job(sessions, job.job_id)
    assert (row.state, row.attempts, row.result, row.lease) == ("completed", 1, {"echo": 7}, None)
    assert _worker(sessions, clock, rec).run_once() == 0
    assert rec.runs == [(job.job_id, 1)]


def test_idempotency_key_enqueues_once_even_after_completion(
        sessions: sessionmaker[Session], clock: ManualClock, rec: Recorder) -> None:
    first = _enqueue(sessions, clock, idempotency_key="import:file-1")
    again = _enqueue(sessions, clock, idempotency_key="import:file-1")
    assert first.created and not again.created and again.job_id == first.job_id
    _worker(sessions, clock, rec).run_once()
    third = _enqueue(sessions, clock, idempotency_key="import:file-1")
    assert third == repo.Enqueued(first.job_id, False)
    # The key is per tenant and queue.
    assert _enqueue(sessions, clock, idempotency_key="import:file-1", tenant_id=OTHER).created
    assert _enqueue(sessions, clock, idempotency_key="import:file-1", queue="other").created


def test_queueing_lock_holds_only_while_pending(sessions: sessionmaker[Session],
                                                clock: ManualClock, rec: Recorder) -> None:
    first = _enqueue(sessions, clock, queueing_lock="reindex:t1")
    dup = _enqueue(sessions, clock, queueing_lock="reindex:t1")
    assert dup == repo.Enqueued(first.job_id, False)
    _worker(sessions, clock, rec).run_once()
    assert _enqueue(sessions, clock, queueing_lock="reindex:t1").created


def test_priority_then_run_at_order(sessions: sessionmaker[Session], clock: ManualClock,
                                    rec: Recorder) -> None:
    low = _enqueue(sessions, clock, payload={"n": 1})
    clock.advance(1)
    high = _enqueue(sessions, clock, payload={"n": 2}, priority=5)
    _worker(sessions, clock, rec, batch_size=1).run_once()
    assert rec.runs[0][0] == high.job_id
    _worker(sessions, clock, rec, batch_size=1).run_once()
    assert rec.runs[1][0] == low.job_id


def test_delayed_job_waits_for_its_time(sessions: sessionmaker[Session], clock: ManualClock,
                                        rec: Recorder) -> None:
    from datetime import timedelta

    job = _enqueue(sessions, clock, run_at=clock.now() + timedelta(minutes=5))
    assert _job(sessions, job.job_id).state == "delayed"
    assert _worker(sessions, clock, rec).run_once() == 0
    clock.advance(minutes=5)
    assert _worker(sessions, clock, rec).run_once() == 1


def test_failing_handler_backs_off_then_dead_letters_then_replays(
        sessions: sessionmaker[Session], clock: ManualClock, rec: Recorder) -> None:
    job = _enqueue(sessions, clock, max_retries=2)
    worker = _worker(sessions, clock, rec)
    rec.failing = True
    start = clock.now()
    assert worker.run_once() == 1
    row = _job(sessions, job.job_id)
    assert row.state == "delayed" and row.attempts == 1
    assert row.run_at == start + _seconds(2)  # base 1 * 2^1
    assert "ConnectionError: receiver down" in (row.last_error or "")
    clock.advance(1.9)
    assert worker.run_once() == 0  # not due yet
    clock.advance(0.1)
    assert worker.run_once() == 1
    row = _job(sessions, job.job_id)
    assert row.state == "delayed" and row.run_at == clock.now() + _seconds(4)  # 1 * 2^2
    clock.advance(4)
    assert worker.run_once() == 1
    row = _job(sessions, job.job_id)
    assert (row.state, row.attempts) == ("dead", 3)
    clock.advance(3600)
    assert worker.run_once() == 0  # the dead-letter queue is not worked
    with sessions() as s:
        counts = repo.queue_counts(s, tenant_id=TENANT, now=clock.now())
    assert counts["default"]["dead"] == 1

    rec.failing = False
    with sessions.begin() as s:
        assert repo.replay_dead(s, tenant_id=TENANT, queue="default",
                                now=clock.now()) == [job.job_id]
    assert worker.run_once() == 1
    row = _job(sessions, job.job_id)
    assert (row.state, row.attempts) == ("completed", 1)
    assert [a for _, a in rec.runs] == [1, 2, 3, 1]


def _seconds(n: float) -> Any:
    from datetime import timedelta

    return timedelta(seconds=n)


def test_per_job_backoff_overrides(sessions: sessionmaker[Session], clock: ManualClock,
                                   rec: Recorder) -> None:
    job = _enqueue(sessions, clock, max_retries=1, retry_delay=0.25, backoff_factor=4)
    rec.failing = True
    _worker(sessions, clock, rec).run_once()
    assert _job(sessions, job.job_id).run_at == clock.now() + _seconds(1)  # 0.25 * 4^1


def test_permanent_error_and_unknown_task_fail_without_retry(
        sessions: sessionmaker[Session], clock: ManualClock, rec: Recorder) -> None:
    perm = _enqueue(sessions, clock, task="permanent", max_retries=5)
    unknown = _enqueue(sessions, clock, task="no.such.task", max_retries=5)
    _worker(sessions, clock, rec).run_once()
    assert _job(sessions, perm.job_id).state == "failed"
    assert _job(sessions, unknown.job_id).state == "failed"
    assert "no handler registered" in (_job(sessions, unknown.job_id).last_error or "")
    with sessions.begin() as s:  # failed jobs are not in the DLQ
        assert repo.replay_dead(s, tenant_id=TENANT, queue="default", now=clock.now()) == []
        assert repo.clean(s, tenant_id=TENANT, queue="default",
                          states=[JobState.FAILED]) == 2


def test_paused_queue_keeps_accepting_but_runs_nothing(
        sessions: sessionmaker[Session], clock: ManualClock, rec: Recorder) -> None:
    with sessions.begin() as s:
        assert repo.pause(s, tenant_id=TENANT, queue="default", now=clock.now())
        assert not repo.pause(s, tenant_id=TENANT, queue="default", now=clock.now())
    mine = _enqueue(sessions, clock)
    theirs = _enqueue(sessions, clock, tenant_id=OTHER)
    worker = _worker(sessions, clock, rec)
    assert worker.run_once() == 1  # only the other tenant's job
    assert rec.runs == [(theirs.job_id, 1)]
    assert _job(sessions, mine.job_id).state == "waiting"
    with sessions.begin() as s:
        assert repo.resume(s, tenant_id=TENANT, queue="default")
    assert worker.run_once() == 1
    assert _job(sessions, mine.job_id).state == "completed"


def test_system_pause_stops_every_tenant(sessions: sessionmaker[Session], clock: ManualClock,
                                         rec: Recorder) -> None:
    with sessions.begin() as s:
        repo.pause(s, tenant_id=SYSTEM_TENANT, queue="default", now=clock.now())
    _enqueue(sessions, clock)
    _enqueue(sessions, clock, tenant_id=OTHER)
    _enqueue(sessions, clock, queue="other")
    worker = _worker(sessions, clock, rec)
    assert worker.run_once() == 1  # the job on "other"
    with sessions() as s:
        assert set(repo.paused_queues(s, tenant_id=OTHER)) == {"default"}


def test_expired_lease_is_reaped_and_the_old_worker_cannot_finish(
        sessions: sessionmaker[Session], clock: ManualClock, rec: Recorder) -> None:
    job = _enqueue(sessions, clock)
    done = _enqueue(sessions, clock)
    w1 = _worker(sessions, clock, rec, "w1")
    # w1 completes one job, then claims the other and "dies" holding it.
    with sessions.begin() as s:
        first = repo.claim(s, worker_id="w1", now=clock.now(), visibility_timeout=30, limit=1)
    with sessions.begin() as s:
        assert repo.complete(s, job_id=first[0].id, lease=first[0].lease, now=clock.now())
    with sessions.begin() as s:
        held = repo.claim(s, worker_id="w1", now=clock.now(), visibility_timeout=30, limit=5)
    assert [h.id for h in held] == [done.job_id] or [h.id for h in held] == [job.job_id]
    lost = held[0]
    w2 = _worker(sessions, clock, rec, "w2")
    clock.advance(29)
    assert w2.run_once() == 0  # lease still valid
    clock.advance(2)
    assert w2.run_once() == 1  # reaped, then run by w2
    row = _job(sessions, lost.id)
    assert (row.state, row.attempts, row.worker_id) == ("completed", 2, "w2")
    with sessions.begin() as s:  # the dead worker's late completion is refused
        assert not repo.complete(s, job_id=lost.id, lease=lost.lease, now=clock.now())
    assert w1.run_once() == 0 and w2.run_once() == 0  # completed jobs never run again
    assert [r[0] for r in rec.runs] == [lost.id]


def test_heartbeat_keeps_a_long_job_invisible(sessions: sessionmaker[Session],
                                              clock: ManualClock, rec: Recorder) -> None:
    job = _enqueue(sessions, clock)
    w1 = _worker(sessions, clock, rec, "w1")
    with sessions.begin() as s:
        held = repo.claim(s, worker_id="w1", now=clock.now(), visibility_timeout=30)
    w1._hold(held[0].lease, 1)  # what run_once does while the handler runs
    clock.advance(25)
    assert w1.heartbeat() == 1
    clock.advance(25)
    assert _worker(sessions, clock, rec, "w2").run_once() == 0
    assert _job(sessions, job.job_id).state == "active"


def test_worker_death_out_of_attempts_goes_to_dead_letter(
        sessions: sessionmaker[Session], clock: ManualClock, rec: Recorder) -> None:
    job = _enqueue(sessions, clock, max_retries=0)
    with sessions.begin() as s:
        repo.claim(s, worker_id="w1", now=clock.now(), visibility_timeout=5)
    clock.advance(6)
    assert _worker(sessions, clock, rec, "w2").run_once() == 0
    row = _job(sessions, job.job_id)
    assert row.state == "dead" and row.last_error == repo.LOST_LEASE


def test_stopping_worker_hands_back_unstarted_jobs(sessions: sessionmaker[Session],
                                                   clock: ManualClock, rec: Recorder) -> None:
    a = _enqueue(sessions, clock)
    b = _enqueue(sessions, clock)
    worker = _worker(sessions, clock, rec, batch_size=2)

    def stop_after_first(ctx: JobContext, payload: dict[str, Any]) -> None:
        rec.runs.append((ctx.job_id, ctx.attempt))
        worker.stop()

    rec.registry.add("record", stop_after_first)
    assert worker.run_once() == 1
    states = {_job(sessions, a.job_id).state, _job(sessions, b.job_id).state}
    assert states == {"completed", "waiting"}
    waiting = a if _job(sessions, a.job_id).state == "waiting" else b
    assert _job(sessions, waiting.job_id).attempts == 0


def test_counts_listing_and_cleaning(sessions: sessionmaker[Session], clock: ManualClock,
                                     rec: Recorder) -> None:
    _enqueue(sessions, clock)
    _enqueue(sessions, clock, run_at=clock.now() + _seconds(60))
    _enqueue(sessions, clock, task="permanent")
    _enqueue(sessions, clock, tenant_id=OTHER)
    with sessions.begin() as s:
        held = repo.claim(s, worker_id="x", now=clock.now(), visibility_timeout=30, limit=1,
                          queues=["default"])
        repo.fail(s, job_id=held[0].id, lease=held[0].lease, now=clock.now(), error="boom",
                  state=JobState.FAILED)
    with sessions() as s:
        counts = repo.queue_counts(s, tenant_id=TENANT, now=clock.now())
        assert sum(counts["default"].values()) == 3
        assert counts["default"]["delayed"] == 1
        everyone = repo.queue_counts(s, tenant_id=None, now=clock.now())
        assert sum(everyone["default"].values()) == 4
        delayed, total = repo.list_jobs(s, tenant_id=TENANT, queue="default", now=clock.now(),
                                        state=JobState.DELAYED)
        assert total == 1 and delayed[0].state == "delayed"
    clock.advance(61)
    with sessions() as s:  # a delayed job whose time came shows as waiting
        counts = repo.queue_counts(s, tenant_id=TENANT, now=clock.now())
        assert counts["default"]["delayed"] == 0
    with sessions.begin() as s:
        assert repo.clean(s, tenant_id=OTHER, queue="default", states=[JobState.FAILED]) == 0
        assert repo.clean(s, tenant_id=TENANT, queue="default", states=[JobState.FAILED]) == 1
        with pytest.raises(InvalidJob):
            repo.clean(s, tenant_id=TENANT, queue="default", states=[JobState.WAITING])


def test_enqueue_validates(sessions: sessionmaker[Session], clock: ManualClock) -> None:
    with pytest.raises(InvalidJob):
        _enqueue(sessions, clock, max_retries=6)
    with pytest.raises(InvalidJob):
        _enqueue(sessions, clock, queue="")
