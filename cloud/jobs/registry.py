"""Handlers by task name, and the context a handler runs with.

Registration is explicit: a module calls ``registry.task("name")`` on its functions, and the
worker imports the modules it was told about (``tillbridge-cloud worker --import ...``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from cloud.jobs.errors import InvalidJob, UnknownTask
from cloud.jobs.retry import RetryStrategy
from shared.clock import Clock

__all__ = ["Handler", "JobContext", "Task", "TaskRegistry", "default_registry"]


@dataclass(frozen=True)
class JobContext:
    """What a handler knows about the run: which job, which attempt, and how to reach the DB."""

    job_id: uuid.UUID
    tenant_id: uuid.UUID
    queue: str
    task: str
    attempt: int
    max_retries: int
    sessions: sessionmaker[Session]
    clock: Clock
    worker_id: str
    settings: Any = None


Handler = Callable[[JobContext, dict[str, Any]], Any]


@dataclass(frozen=True)
class Task:
    """A registered handler with its defaults."""

    name: str
    fn: Handler
    queue: str = "default"
    max_retries: int = 3
    retry: RetryStrategy | None = None


class TaskRegistry:
    """Maps task names to handlers; one per process is usual (``default_registry``)."""

    def __init__(self) -> None:
        self._tasks: dict[str, Task] = {}

    def add(self, name: str, fn: Handler, *, queue: str = "default", max_retries: int = 3,
            retry: RetryStrategy | None = None) -> Task:
        if not name or len(name) > 200:
            raise InvalidJob("task names are 1-200 characters")
        if not 0 <= max_retries <= 5:
            raise InvalidJob("max_retries must be between 0 and 5")
        task = Task(name=name, fn=fn, queue=queue, max_retries=max_retries, retry=retry)
        self._tasks[name] = task
        return task

    def task(self, name: str, *, queue: str = "default", max_retries: int = 3,
             retry: RetryStrategy | None = None) -> Callable[[Handler], Handler]:
        """Decorator form of :meth:`add`."""

        def wrap(fn: Handler) -> Handler:
            self.add(name, fn, queue=queue, max_retries=max_retries, retry=retry)
            return fn

        return wrap

    def get(self, name: str) -> Task:
        try:
            return self._tasks[name]
        except KeyError:
            raise UnknownTask(f"no handler registered for task {name!r}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._tasks

    def names(self) -> list[str]:
        return sorted(self._tasks)

    def queues(self) -> list[str]:
        return sorted({t.queue for t in self._tasks.values()})


default_registry = TaskRegistry()
