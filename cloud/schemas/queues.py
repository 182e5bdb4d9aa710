"""The operator's queue and dead-letter bodies (seed 000 "Cozi / DLQ")."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from cloud.jobs.states import JobState
from cloud.schemas.common import ApiModel, RequestModel

__all__ = [
    "CleanRequest",
    "CleanResult",
    "DeadLetter",
    "JobOut",
    "PauseResult",
    "QueueCounts",
    "QueueList",
    "QueueOut",
    "ReplayRequest",
    "ReplayResult",
]


class QueueCounts(ApiModel):
    waiting: int = 0
    active: int = 0
    delayed: int = 0
    completed: int = 0
    failed: int = 0
    dead: int = 0


class DeadLetter(ApiModel):
    name: str
    count: int


class QueueOut(ApiModel):
    name: str
    paused: bool
    paused_at: datetime | None = None
    counts: QueueCounts
    dlq: DeadLetter


class QueueList(ApiModel):
    queues: list[QueueOut]


class JobOut(ApiModel):
    id: uuid.UUID
    queue: str
    task: str
    state: JobState
    attempts: int
    max_retries: int
    priority: int
    run_at: datetime
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    last_error: str | None = None
    worker_id: str | None = None
    payload: dict[str, Any]
    result: Any | None = None


class PauseResult(ApiModel):
    queue: str
    paused: bool
    changed: bool = Field(description="false when the queue already was in that state")


class CleanRequest(RequestModel):
    states: list[Literal["failed", "dead", "completed"]] = Field(
        default_factory=lambda: ["failed"], min_length=1, max_length=3,
        description="final states to remove (default: failed only; `dead` empties the DLQ)")
    older_than_seconds: int | None = Field(default=None, ge=1, le=10 * 365 * 86_400)


class CleanResult(ApiModel):
    queue: str
    removed: int


class ReplayRequest(RequestModel):
    job_ids: list[uuid.UUID] | None = Field(default=None, min_length=1, max_length=1000)
    limit: int = Field(default=100, ge=1, le=1000)


class ReplayResult(ApiModel):
    queue: str
    replayed: int
    job_ids: list[uuid.UUID]
