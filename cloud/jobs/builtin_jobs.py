"""Built-in recurring jobs: upkeep the platform runs on a fixed interval for each tenant.

Schedule rows (:mod:`cloud.jobs.schedule_store`) are what users set, one per entity. A built-in is
declared in code by the module that owns its task (e.g. ``cloud.services.stock.jobs``, which
releases expired stock reservations) and fired by the cloud process's scheduler
(:class:`cloud.jobs.schedule_runner.ScheduleRunner`). A fire enqueues the task for each tenant that
has work now (the entry's ``tenants`` query), so an idle tenant costs no job row, and it stays
an enqueue only:

* idempotent per (task, tenant, interval slot): any number of cloud processes firing the same
  slot make one job;
* at most one pending job per (task, tenant): a stopped or paused worker never lets them pile
  up.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from cloud.jobs import repository as repo
from cloud.jobs.errors import InvalidJob

__all__ = ["Recurring", "RecurringFire", "RecurringRegistry", "TenantsWithWork",
           "default_recurring", "fire_recurring"]

TenantsWithWork = Callable[[Session, datetime], Sequence[uuid.UUID]]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Recurring:
    """Enqueue ``task`` every ``every`` for each tenant ``tenants(session, now)`` returns."""

    task: str
    every: timedelta
    tenants: TenantsWithWork
    queue: str = "default"
    max_retries: int = 3

    def __post_init__(self) -> None:
        if self.every < timedelta(seconds=1):
            raise InvalidJob("a recurring job runs at most once a second", field="every")

    def slot(self, now: datetime) -> datetime:
        """The start of the interval ``now`` falls in (intervals are aligned on the epoch)."""
        return now - (now - _EPOCH) % self.every

    def idempotency_key(self, slot: datetime) -> str:
        return f"recurring:{self.task}:{slot.astimezone(UTC).isoformat()}"

    def queueing_lock(self, tenant_id: uuid.UUID) -> str:
        return f"recurring:{self.task}:{tenant_id}"


@dataclass(frozen=True)
class RecurringFire:
    """One tenant's job for one slot, and whether this fire made it."""

    task: str
    tenant_id: uuid.UUID
    slot: datetime
    job_id: uuid.UUID
    created: bool


class RecurringRegistry:
    """The built-ins by task name; modules add theirs when imported (``default_recurring``)."""

    def __init__(self) -> None:
        self._entries: dict[str, Recurring] = {}

    def add(self, entry: Recurring) -> Recurring:
        self._entries[entry.task] = entry
        return entry

    def __iter__(self) -> Iterator[Recurring]:
        return iter(sorted(self._entries.values(), key=lambda e: e.task))

    def __len__(self) -> int:
        return len(self._entries)


default_recurring = RecurringRegistry()


def fire_recurring(session: Session, entries: Iterator[Recurring] | Sequence[Recurring], *,
                   now: datetime) -> list[RecurringFire]:
    """Enqueue each entry's task for every tenant with work at ``now``."""
    out = []
    for entry in entries:
        slot = entry.slot(now)
        for tenant_id in entry.tenants(session, now):
            made = repo.enqueue(session, tenant_id=tenant_id, task=entry.task, now=now,
                                queue=entry.queue, payload={"slot": slot.isoformat()},
                                max_retries=entry.max_retries,
                                idempotency_key=entry.idempotency_key(slot),
                                queueing_lock=entry.queueing_lock(tenant_id))
            out.append(RecurringFire(entry.task, tenant_id, slot, made.job_id, made.created))
    return out
