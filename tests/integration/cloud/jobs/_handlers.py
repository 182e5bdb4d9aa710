"""Handlers the worker processes of these tests load with ``--import <this file>``.

Each run is written to ``test_job_runs`` (made by the test, with no unique constraint, so a
double run shows up as a second row).
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import text

from cloud.jobs.registry import JobContext, default_registry


def _note(ctx: JobContext, kind: str) -> None:
    with ctx.sessions.begin() as s:
        s.execute(text("INSERT INTO test_job_runs (job_id, worker, attempt, kind) "
                       "VALUES (:j, :w, :a, :k)"),
                  {"j": str(ctx.job_id), "w": ctx.worker_id, "a": ctx.attempt, "k": kind})


@default_registry.task("test.record")
def record(ctx: JobContext, payload: dict[str, Any]) -> int:
    _note(ctx, "record")
    return int(payload.get("n", 0))


@default_registry.task("test.hang_first_attempt")
def hang_first_attempt(ctx: JobContext, payload: dict[str, Any]) -> str:
    """The first attempt never finishes (its worker gets SIGKILLed); the retry does."""
    _note(ctx, "hang")
    if ctx.attempt == 1:
        while True:
            time.sleep(1)
    return "finished"
