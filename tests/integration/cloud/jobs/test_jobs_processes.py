"""Worker processes against a real database: share the work, survive SIGKILL."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from cloud.db import make_engine, session_factory
from cloud.jobs import repository as repo
from cloud.migrate import upgrade
from shared.clock import SystemClock

HANDLERS = Path(__file__).with_name("_handlers.py")
ROOT = Path(__file__).resolve().parents[4]
TENANT = uuid.UUID("01890000-0000-7000-8000-00000000beef")
RUNS_DDL = ("CREATE TABLE test_job_runs (job_id VARCHAR(36) NOT NULL, worker VARCHAR(200), "
            "attempt INTEGER NOT NULL, kind VARCHAR(20) NOT NULL)")


class WorkerProc:
    """``tillbridge-cloud worker`` in a child process, its output read by a thread."""

    def __init__(self, db_url: str, home: Path, name: str, *args: str) -> None:
        env = {**os.environ, "DATABASE_URL": db_url, "TILLBRIDGE_HOME": str(home),
               "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "cloud.cli", "worker", "--import", str(HANDLERS),
             "--worker-id", name, "--poll-interval", "0.05", *args],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self._pump_thread = threading.Thread(target=self._pump, daemon=True)
        self._pump_thread.start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            self.lines.put(line)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if " ready: " in self.lines.get(timeout=0.5):
                    return
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
        raise AssertionError("worker did not start:\n" + "".join(self.output))

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
            raise
        finally:
            self._pump_thread.join(10)
            if self.proc.stdout is not None:
                self.proc.stdout.close()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    upgrade(db_url)
    eng = make_engine(db_url)
    with eng.begin() as conn:
        conn.execute(text(RUNS_DDL))
    yield eng
    eng.dispose()


def _scalar(engine: Engine, sql: str, **params: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar() or 0)


def _wait_for(cond: Callable[[], bool], timeout: float, what: str,
              procs: list[WorkerProc]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.1)
    logs = "\n".join("".join(p.output[-20:]) for p in procs)
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


def _enqueue(engine: Engine, task: str, count: int, **kw: object) -> list[uuid.UUID]:
    clock = SystemClock()
    with session_factory(engine).begin() as s:
        return [repo.enqueue(s, tenant_id=TENANT, task=task, now=clock.now(),
                             payload={"n": i}, **kw).job_id  # type: ignore[arg-type]
                for i in range(count)]


@pytest.mark.slow
def test_worker_processes_drain_every_job_exactly_once(db_url: str, engine: Engine,
                                                       tmp_path: Path) -> None:
    """GIVEN two worker processes on PostgreSQL (one on SQLite) WHEN jobs arrive
    THEN every job runs exactly once, and on PostgreSQL both processes share the work."""
    pg = engine.dialect.name == "postgresql"
    total = 2000 if pg else 400
    names = ["w-a", "w-b"] if pg else ["w-solo"]
    procs = [WorkerProc(db_url, tmp_path, n, "--batch-size", "20") for n in names]
    try:
        for p in procs:
            p.wait_ready()
        _enqueue(engine, "test.record", total)
        _wait_for(lambda: _scalar(engine, "SELECT count(*) FROM jobs WHERE state = 'completed'")
                  == total, 240, "all jobs completed", procs)
    finally:
        codes = [p.stop() for p in procs]
    assert codes == [0] * len(procs)
    assert _scalar(engine, "SELECT count(*) FROM test_job_runs") == total
    assert _scalar(engine, "SELECT count(DISTINCT job_id) FROM test_job_runs") == total
    assert _scalar(engine, "SELECT count(*) FROM jobs WHERE attempts <> 1") == 0
    per_worker = _scalar(engine, "SELECT count(DISTINCT worker) FROM test_job_runs")
    assert per_worker == len(names)


def test_sigkilled_worker_job_reruns_after_visibility_timeout(db_url: str, engine: Engine,
                                                              tmp_path: Path) -> None:
    """GIVEN a worker that completed some jobs and is mid-job WHEN it is SIGKILLed
    THEN another worker re-runs that job once its lease expires, and only that job."""
    quick = _enqueue(engine, "test.record", 5, priority=10)
    (hang,) = _enqueue(engine, "test.hang_first_attempt", 1, max_retries=2)
    a = WorkerProc(db_url, tmp_path, "victim", "--batch-size", "1", "--visibility-timeout", "2")
    procs = [a]
    try:
        a.wait_ready()
        _wait_for(lambda: _scalar(engine, "SELECT count(*) FROM test_job_runs "
                                  "WHERE kind = 'hang'") == 1, 60, "the hanging job", procs)
        assert _scalar(engine, "SELECT count(*) FROM jobs WHERE state = 'completed'") == 5
        assert a.stop(signal.SIGKILL) == -signal.SIGKILL
        assert _scalar(engine, "SELECT count(*) FROM jobs WHERE state = 'active'") == 1
        b = WorkerProc(db_url, tmp_path, "rescuer", "--batch-size", "1",
                       "--visibility-timeout", "2")
        procs.append(b)
        b.wait_ready()
        _wait_for(lambda: _scalar(engine, "SELECT count(*) FROM jobs WHERE state = 'completed'")
                  == 6, 60, "the hanging job to be re-run", procs)
        assert b.stop() == 0
    finally:
        for p in procs:
            p.stop(signal.SIGKILL)
    with engine.connect() as conn:
        runs = conn.execute(text("SELECT job_id, worker, attempt FROM test_job_runs "
                                 "WHERE kind = 'hang' ORDER BY attempt")).all()
        assert [(r.worker, r.attempt) for r in runs] == [("victim", 1), ("rescuer", 2)]
        assert all(r.job_id == str(hang) for r in runs)
        row = conn.execute(text("SELECT state, attempts, result, last_error FROM jobs "
                                "WHERE id = :id"), {"id": hang if engine.dialect.name ==
                                                    "postgresql" else hang.hex}).one()
    assert (row.state, row.attempts) == ("completed", 2)
    assert "lease expired" in row.last_error
    for job_id in quick:  # completed jobs never run again
        assert _scalar(engine, "SELECT count(*) FROM test_job_runs WHERE job_id = :j",
                       j=str(job_id)) == 1
