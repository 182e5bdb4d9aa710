"""Stock upkeep on the durable job queue: releasing reservations past their expiry.

Registers, when imported (``cloud.jobs.handlers`` lists this module for workers and the
scheduler):

* the task ``stock.expire_reservations`` — one tenant's :func:`expire_due`;
* a built-in recurring job that enqueues it every minute for each tenant with a reservation
  past its expiry (:mod:`cloud.jobs.builtin_jobs`), so expired holds release their stock even when
  nothing reads that tenant's stock.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from cloud.jobs.builtin_jobs import Recurring, default_recurring
from cloud.jobs.registry import JobContext, default_registry
from cloud.services.stock.reservations import expire_due, tenants_with_due

__all__ = ["EXPIRE_EVERY", "EXPIRE_TASK", "QUEUE"]

EXPIRE_TASK = "stock.expire_reservations"
EXPIRE_EVERY = timedelta(minutes=1)
QUEUE = "catalog"  # stock work shares the catalog queue (``worker -q catalog`` runs it)


@default_registry.task(EXPIRE_TASK, queue=QUEUE, max_retries=3)
def _expire(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    with ctx.sessions.begin() as session:
        n = expire_due(session, tenant_id=ctx.tenant_id, now=ctx.clock.now())
    return {"expired": n}


default_recurring.add(Recurring(EXPIRE_TASK, EXPIRE_EVERY, tenants_with_due, queue=QUEUE,
                                max_retries=3))
