"""``tillbridge-cloud worker``: run a worker until SIGTERM/Ctrl-C (or, with burst, until idle)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Sequence
from typing import Any

import structlog
from sqlalchemy import Engine

from cloud.config import Settings, get_settings
from cloud.db import make_engine, session_factory
from cloud.jobs.handlers import load_handlers
from cloud.jobs.registry import default_registry
from cloud.jobs.retry import RetryStrategy
from cloud.jobs.worker import Worker, WorkerConfig
from cloud.migrate import upgrade
from cloud.process import tune_gc

__all__ = ["run_worker"]

log = structlog.get_logger(__name__)


def build_worker(settings: Settings, *, queues: Sequence[str] | None = None,
                 concurrency: int = 1, batch_size: int = 10, poll_interval: float = 1.0,
                 visibility_timeout: float | None = None,
                 worker_id: str | None = None) -> tuple[Worker, Engine]:
    engine = make_engine(settings.resolved_database_url,
                         **({} if settings.embedded else {"pool_size": concurrency + 2}))
    config = WorkerConfig(
        queues=tuple(queues) if queues else None, batch_size=batch_size,
        poll_interval=poll_interval, concurrency=concurrency,
        visibility_timeout=visibility_timeout or settings.jobs_visibility_timeout_s)
    retry = RetryStrategy(base=settings.jobs_backoff_base_s, jitter=settings.jobs_backoff_jitter)
    worker = Worker(session_factory(engine), default_registry, config=config, retry=retry,
                    worker_id=worker_id, settings=settings)
    return worker, engine


def run_worker(*, queues: Sequence[str] | None = None, concurrency: int = 1,
               batch_size: int = 10, poll_interval: float = 1.0,
               visibility_timeout: float | None = None, burst: bool = False,
               imports: Sequence[str] = (), migrate: bool | None = None,
               worker_id: str | None = None, echo: Any = None, tune: bool = False) -> int:
    """Load handlers, then poll; returns the process exit code (``tune``: this process is the
    worker's own, see :func:`cloud.process.tune_gc`)."""
    echo = echo or (lambda text: print(text, flush=True))
    settings = get_settings()
    if migrate if migrate is not None else settings.embedded:
        upgrade(settings.resolved_database_url)
    loaded = load_handlers(imports)
    worker, engine = build_worker(settings, queues=queues, concurrency=concurrency,
                                  batch_size=batch_size, poll_interval=poll_interval,
                                  visibility_timeout=visibility_timeout,
                                  worker_id=worker_id)
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: worker.stop())
    echo(f"worker {worker.worker_id} ready: tasks={','.join(worker.registry.names())} "
         f"queues={','.join(queues) if queues else '*'} handlers={len(loaded)}")
    if tune:
        tune_gc()
    try:
        worker.run(burst=burst)
    finally:
        engine.dispose()
    echo(f"worker {worker.worker_id} stopped")
    return 0
