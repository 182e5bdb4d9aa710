"""Catalog background work on the durable job queue (``cloud.jobs``).

Tasks (registered on :data:`cloud.jobs.registry.default_registry` when this module is
imported; a worker must import it, e.g. ``--import cloud.services.catalog.jobs``):

* ``catalog.import``  — run an import task (:mod:`.importer`), then queue embeddings.
* ``catalog.export``  — write an export file (:mod:`.exporter`).
* ``catalog.embed``   — compute product embeddings (given ids, or every stale one).

Enqueue functions share the caller's transaction, so a job exists iff the change that asked
for it committed.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from cloud.jobs import repository as repo
from cloud.jobs.registry import JobContext, default_registry
from cloud.services.catalog.exporter import run_export
from cloud.services.catalog.importer import run_import
from cloud.services.search.vectors import embed_products

__all__ = ["EMBED_QUEUE", "QUEUE", "enqueue_embed", "enqueue_export", "enqueue_import"]

QUEUE = "catalog"
EMBED_QUEUE = "embeddings"  # CPU-heavy; its own queue so it can be paused or scaled apart
_EMBED_CHUNK = 500


def enqueue_import(session: Session, *, tenant_id: uuid.UUID, task_id: uuid.UUID,
                   now: datetime) -> uuid.UUID:
    return repo.enqueue(session, tenant_id=tenant_id, task="catalog.import", now=now,
                        queue=QUEUE, payload={"taskId": str(task_id)},
                        idempotency_key=f"import:{task_id}", max_retries=2).job_id


def enqueue_export(session: Session, *, tenant_id: uuid.UUID, task_id: uuid.UUID,
                   now: datetime) -> uuid.UUID:
    return repo.enqueue(session, tenant_id=tenant_id, task="catalog.export", now=now,
                        queue=QUEUE, payload={"taskId": str(task_id)},
                        idempotency_key=f"export:{task_id}", max_retries=2).job_id


def enqueue_embed(session: Session, *, tenant_id: uuid.UUID,
                  product_ids: list[uuid.UUID] | None, now: datetime) -> uuid.UUID:
    """Queue embeddings for some products, or (``None``) every product whose text changed.

    The tenant-wide job holds a queueing lock, so at most one is pending at a time.
    """
    if product_ids is None:
        return repo.enqueue(session, tenant_id=tenant_id, task="catalog.embed", now=now,
                            queue=EMBED_QUEUE, payload={"all": True},
                            queueing_lock=f"catalog.embed:{tenant_id}").job_id
    return repo.enqueue(session, tenant_id=tenant_id, task="catalog.embed", now=now,
                        queue=EMBED_QUEUE,
                        payload={"productIds": [str(i) for i in product_ids]}).job_id


@default_registry.task("catalog.import", queue=QUEUE, max_retries=2)
def _import(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    stats = run_import(ctx.sessions, tenant_id=ctx.tenant_id,
                       task_id=uuid.UUID(payload["taskId"]), clock=ctx.clock.now)
    if stats.changed_ids:
        with ctx.sessions.begin() as session:
            enqueue_embed(session, tenant_id=ctx.tenant_id, product_ids=None,
                          now=ctx.clock.now())
    return {"created": stats.created, "updated": stats.updated, "skipped": stats.skipped}


@default_registry.task("catalog.export", queue=QUEUE, max_retries=2)
def _export(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    file_id = run_export(ctx.sessions, tenant_id=ctx.tenant_id,
                         task_id=uuid.UUID(payload["taskId"]), clock=ctx.clock.now)
    return {"fileId": str(file_id)}


@default_registry.task("catalog.embed", queue=EMBED_QUEUE, max_retries=3)
def _embed(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    ids = None if payload.get("all") else [uuid.UUID(i) for i in payload.get("productIds", [])]
    written = 0
    chunks = [None] if ids is None else [ids[i:i + _EMBED_CHUNK]
                                         for i in range(0, len(ids), _EMBED_CHUNK)]
    for chunk in chunks:
        with ctx.sessions.begin() as session:
            written += embed_products(session, tenant_id=ctx.tenant_id, product_ids=chunk,
                                      now=ctx.clock.now())
    return {"embedded": written}
