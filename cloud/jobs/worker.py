"""The worker: claim due jobs, run their handlers, record the outcome.

Delivery is at least once. A worker holds its jobs under a lease that a heartbeat thread
renews; when a worker dies the lease runs out (the visibility timeout) and any worker's reaper
puts the job back. Finishing a job checks the lease, so a worker that lost its lease can never
mark a job another worker is running, and a completed job is never claimed again.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from cloud.jobs import repository as repo
from cloud.jobs.errors import PermanentJobError, UnknownTask
from cloud.jobs.registry import JobContext, Task, TaskRegistry, default_registry
from cloud.jobs.retry import RetryStrategy
from cloud.jobs.states import JobState
from shared.clock import Clock, SystemClock

__all__ = ["Worker", "WorkerConfig"]

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class WorkerConfig:
    """How a worker polls. ``queues=None`` takes every queue."""

    queues: tuple[str, ...] | None = None
    batch_size: int = 10
    poll_interval: float = 1.0
    visibility_timeout: float = 60.0
    concurrency: int = 1

    def __post_init__(self) -> None:
        if self.batch_size < 1 or self.concurrency < 1:
            raise ValueError("batch_size and concurrency must be at least 1")
        if self.visibility_timeout <= 0 or self.poll_interval < 0:
            raise ValueError("visibility_timeout must be positive, poll_interval >= 0")


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)
    return value


class Worker:
    """Runs jobs from the database until stopped; ``run_once`` is one poll (tests use it)."""

    def __init__(self, sessions: sessionmaker[Session], registry: TaskRegistry | None = None,
                 *, config: WorkerConfig | None = None, clock: Clock | None = None,
                 retry: RetryStrategy | None = None, worker_id: str | None = None,
                 settings: Any = None) -> None:
        self.sessions = sessions
        self.registry = registry if registry is not None else default_registry
        self.config = config or WorkerConfig()
        self.clock = clock or SystemClock()
        self.retry = retry or RetryStrategy()
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}"
        self.settings = settings
        self._leases: dict[str, int] = {}
        self._leases_lock = threading.Lock()
        self._stop = threading.Event()
        self._local = threading.local()

    # ---- one poll ------------------------------------------------------------------------

    def run_once(self) -> int:
        """Reap expired leases, claim a batch and run it; returns how many jobs ran."""
        engine = self.sessions.kw.get("bind")
        if not isinstance(engine, Engine):
            return self._poll()
        with engine.connect() as conn:
            self._local.conn = conn
            try:
                return self._poll()
            finally:
                self._local.conn = None

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        """One queue transaction, on the connection this thread keeps for the whole batch
        (no pool checkout, ping and reset per job)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            with self.sessions.begin() as session:
                yield session
            return
        with self.sessions(bind=conn) as session, session.begin():
            yield session

    def _poll(self) -> int:
        with self._tx() as session:
            requeued, dead = repo.reap_expired(session, now=self.clock.now())
        if requeued or dead:
            log.warning("jobs.reaped", requeued=requeued, dead=dead, worker=self.worker_id)
        with self._tx() as session:
            jobs = repo.claim(session, worker_id=self.worker_id, now=self.clock.now(),
                              visibility_timeout=self.config.visibility_timeout,
                              limit=self.config.batch_size, queues=self.config.queues)
        if not jobs:
            return 0
        self._hold(jobs[0].lease, len(jobs))
        ran = 0
        try:
            for job in jobs:
                if self._stop.is_set():
                    with self._tx() as session:
                        repo.release(session, job_id=job.id, lease=job.lease,
                                     now=self.clock.now())
                    continue
                self._execute(job)
                ran += 1
        finally:
            self._drop(jobs[0].lease)
        return ran

    def _execute(self, job: repo.ClaimedJob) -> None:
        try:
            task = self.registry.get(job.task)
        except UnknownTask as exc:
            self._finish_failed(job, exc, JobState.FAILED)
            return
        ctx = JobContext(job_id=job.id, tenant_id=job.tenant_id, queue=job.queue,
                         task=job.task, attempt=job.attempts, max_retries=job.max_retries,
                         sessions=self.sessions, clock=self.clock, worker_id=self.worker_id,
                         settings=self.settings)
        try:
            result = task.fn(ctx, job.payload)
        except Exception as exc:  # a handler's failure is data for the retry decision
            self._on_error(job, task, exc)
            return
        with self._tx() as session:
            done = repo.complete(session, job_id=job.id, lease=job.lease, now=self.clock.now(),
                                 result=_jsonable(result))
        if not done:
            log.warning("jobs.lease_lost", job_id=str(job.id), task=job.task)

    def _on_error(self, job: repo.ClaimedJob, task: Task, exc: Exception) -> None:
        strategy = (task.retry or self.retry).with_overrides(base=job.retry_delay,
                                                               factor=job.backoff_factor)
        now = self.clock.now()
        decision = strategy.decide(attempt=job.attempts, max_retries=job.max_retries,
                                   error=exc, now=now)
        log.info("jobs.attempt_failed", job_id=str(job.id), task=job.task,
                 attempt=job.attempts, error=type(exc).__name__, retry=decision is not None)
        if decision is not None:
            with self._tx() as session:
                repo.retry_later(session, job_id=job.id, lease=job.lease, now=now,
                                 run_at=decision.run_at, error=_error_text(exc))
            return
        permanent = isinstance(exc, PermanentJobError) or not isinstance(
            exc, strategy.retry_exceptions)
        self._finish_failed(job, exc, JobState.FAILED if permanent else JobState.DEAD)

    def _finish_failed(self, job: repo.ClaimedJob, exc: BaseException, state: JobState) -> None:
        with self._tx() as session:
            repo.fail(session, job_id=job.id, lease=job.lease, now=self.clock.now(),
                      error=_error_text(exc), state=state)
        log.warning("jobs.finished_failed", job_id=str(job.id), task=job.task, state=state.value)

    # ---- leases and heartbeat --------------------------------------------------------------

    def _hold(self, lease: str, count: int) -> None:
        with self._leases_lock:
            self._leases[lease] = count

    def _drop(self, lease: str) -> None:
        with self._leases_lock:
            self._leases.pop(lease, None)

    def heartbeat(self) -> int:
        """Renew the leases of every job this worker holds; returns rows renewed."""
        with self._leases_lock:
            leases = list(self._leases)
        if not leases:
            return 0
        until = self.clock.now() + timedelta(seconds=self.config.visibility_timeout)
        with self.sessions.begin() as session:
            return repo.extend_lease(session, leases=leases, until=until)

    def _heartbeat_loop(self) -> None:
        period = max(self.config.visibility_timeout / 3, 0.05)
        while not self._stop.wait(period):
            try:
                self.heartbeat()
            except SQLAlchemyError as exc:
                log.warning("jobs.heartbeat_failed", error=type(exc).__name__)

    # ---- the loop -------------------------------------------------------------------------

    def stop(self) -> None:
        """Ask every loop to finish the job in hand and return."""
        self._stop.set()

    def _loop(self, burst: bool) -> None:
        while not self._stop.is_set():
            try:
                ran = self.run_once()
            except SQLAlchemyError as exc:
                log.error("jobs.poll_failed", error=type(exc).__name__, worker=self.worker_id)
                self._stop.wait(max(self.config.poll_interval, 1.0))
                continue
            if ran == 0:
                if burst:
                    return
                self._stop.wait(self.config.poll_interval)

    def run(self, *, burst: bool = False) -> None:
        """Poll until :meth:`stop` (or, with ``burst``, until no job is due)."""
        self._stop.clear()
        beat = threading.Thread(target=self._heartbeat_loop, name="jobs-heartbeat", daemon=True)
        beat.start()
        log.info("jobs.worker_started", worker=self.worker_id, queues=self.config.queues,
                 concurrency=self.config.concurrency)
        try:
            if self.config.concurrency == 1:
                self._loop(burst)
            else:
                threads = [threading.Thread(target=self._loop, args=(burst,),
                                            name=f"jobs-worker-{i}")
                           for i in range(self.config.concurrency)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
        finally:
            self._stop.set()
            beat.join()
            log.info("jobs.worker_stopped", worker=self.worker_id)
