"""Job queue throughput on PostgreSQL: enqueue -> claim -> complete with 2 worker processes.

Baseline, same run, same table: a bare loop of one ``INSERT`` and one ``UPDATE ... SET
state='completed'`` per job on a single connection (autocommit), i.e. the cheapest way to write
the same two row versions, with none of the queue's guarantees (no claim, no lease, no lock
skipping, no second process). ``ratio_queue_vs_bare_loop`` > 1 means the queue with two workers
is faster than the bare loop; < 1 is its overhead.

PostgreSQL comes from ``TILLBRIDGE_BENCH_PG`` (default: the test server); each run uses a
fresh schema that is dropped afterwards.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, text, update

PG_URL = os.environ.get("TILLBRIDGE_BENCH_PG",
                        os.environ.get("TILLBRIDGE_TEST_PG",
                                       "postgresql://postgres@127.0.0.1:5432/test"))
TENANT = uuid.UUID("01890000-0000-7000-8000-0000000b3e4c")
TASK = "bench.noop"
QUEUE = "bench"
WORKERS = 2
ENQUEUE_CHUNK = 500


def _noop(ctx: Any, payload: dict[str, Any]) -> None:
    return None


def _schema_url(schema: str) -> str:
    base = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}?options=-csearch_path%3D{schema}"


def _worker_main(url: str, name: str, ready: Any, go: Any) -> None:
    from cloud.db import make_engine, session_factory
    from cloud.jobs.registry import TaskRegistry
    from cloud.jobs.worker import Worker, WorkerConfig

    registry = TaskRegistry()
    registry.add(TASK, _noop, queue=QUEUE)
    engine = make_engine(url)
    worker = Worker(session_factory(engine), registry, worker_id=name,
                    config=WorkerConfig(queues=(QUEUE,), batch_size=20, poll_interval=0.01))
    with engine.connect() as conn:  # warm the pool before the clock starts
        conn.execute(text("SELECT 1"))
    ready.set()
    go.wait()
    worker.run(burst=True)
    engine.dispose()


def _queue_run(url: str, size: int) -> tuple[float, float]:
    from cloud.db import make_engine, session_factory
    from cloud.jobs import repository as repo

    ctx = mp.get_context("spawn")
    ready = [ctx.Event() for _ in range(WORKERS)]
    go = ctx.Event()
    procs = [ctx.Process(target=_worker_main, args=(url, f"bench-{i}", ready[i], go))
             for i in range(WORKERS)]
    for p in procs:
        p.start()
    for r in ready:
        if not r.wait(120):
            raise RuntimeError("bench worker did not start")
    engine = make_engine(url)
    sessions = session_factory(engine)
    t0 = time.perf_counter()
    for start in range(0, size, ENQUEUE_CHUNK):
        with sessions.begin() as s:
            now = datetime.now(UTC)
            for i in range(start, min(size, start + ENQUEUE_CHUNK)):
                repo.enqueue(s, tenant_id=TENANT, task=TASK, queue=QUEUE, now=now,
                             payload={"n": i})
    t_enqueue = time.perf_counter() - t0
    go.set()
    for p in procs:
        p.join(600)
    t_total = time.perf_counter() - t0
    with engine.connect() as conn:
        done = conn.execute(text("SELECT count(*) FROM jobs WHERE state = 'completed'")).scalar()
    engine.dispose()
    if done != size:
        raise RuntimeError(f"only {done} of {size} jobs completed")
    return t_enqueue, t_total


def _bare_loop(url: str, size: int) -> float:
    from cloud.db import make_engine
    from cloud.models.jobs import Job
    from shared.ids import uuid7

    table = Job.__table__
    engine = make_engine(url)
    with engine.connect() as conn:
        conn.execute(text("DELETE FROM jobs"))
        conn.commit()
        auto = conn.execution_options(isolation_level="AUTOCOMMIT")
        t0 = time.perf_counter()
        for i in range(size):
            now = datetime.now(UTC)
            job_id = uuid7()
            auto.execute(insert(table).values(
                id=job_id, tenant_id=TENANT, queue=QUEUE, task=TASK, payload={"n": i},
                state="waiting", priority=0, attempts=0, max_retries=3, run_at=now,
                created_at=now, updated_at=now))
            auto.execute(update(table).where(table.c.id == job_id).values(
                state="completed", attempts=1, finished_at=now, updated_at=now))
        elapsed = time.perf_counter() - t0
    engine.dispose()
    return elapsed


def run(size: int) -> tuple[dict[str, object], dict[str, float]]:
    import psycopg

    from cloud.db import make_engine
    from cloud.models import Base

    plain = PG_URL.replace("postgresql+psycopg://", "postgresql://", 1)
    schema = f"bench_jobs_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = _schema_url(schema)
    try:
        engine = make_engine(url)
        Base.metadata.create_all(engine, tables=[Base.metadata.tables["jobs"],
                                                 Base.metadata.tables["job_queue_pauses"]])
        engine.dispose()
        t_enqueue, t_total = _queue_run(url, size)
        t_bare = _bare_loop(url, size)
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    queue_rate = size / t_total
    bare_rate = size / t_bare
    return (
        {"jobs": size, "workers": WORKERS, "backend": "postgresql", "batch_size": 20,
         "enqueue_chunk": ENQUEUE_CHUNK},
        {
            "jobs_per_s": queue_rate,
            "enqueue_per_s": size / t_enqueue,
            "drain_per_s": size / (t_total - t_enqueue),
            "baseline_insert_update_per_s": bare_rate,
            "ratio_queue_vs_bare_loop": queue_rate / bare_rate,
        },
    )
