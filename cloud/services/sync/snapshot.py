"""The bootstrap snapshot: every product and till user a new till needs, as a gzip NDJSON stream.

Lines, in order: a :class:`~sync.protocol.SnapshotHeader` (with the feed cursor to follow
afterwards and the expected counts, for a progress bar), the till users, the products, and a
:class:`~sync.protocol.SnapshotEnd` with the number of change lines. A till that does not see
the end line knows the stream was cut and keeps nothing from it.

Consistency: on PostgreSQL the whole snapshot is read in one ``REPEATABLE READ`` transaction and
the feed head is taken first, inside it. Every feed entry at or below the head is reflected in
the snapshot; entries above it may be too, and are applied again harmlessly (current-state
upserts and tombstones). On SQLite a read transaction is a snapshot already.
"""

from __future__ import annotations

import json
import uuid
import zlib
from collections.abc import Iterator
from datetime import datetime

import structlog
from sqlalchemy.orm import Session, sessionmaker

from cloud import tenancy
from cloud.services.sync.catalog import StoreView, count_products, stream_products, users_for
from cloud.services.sync.pull import head
from sync.protocol import PROTOCOL_VERSION

__all__ = ["MEDIA_TYPE", "snapshot_stream"]

log = structlog.get_logger(__name__)

MEDIA_TYPE = "application/x-ndjson"
_LINES_PER_CHUNK = 2000
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _lines(session: Session, *, tenant_id: uuid.UUID, store_id: uuid.UUID, country: str,
           now: datetime) -> Iterator[str]:
    cursor = head(session, tenant_id)
    users = users_for(session, tenant_id=tenant_id, store_id=store_id)
    view = StoreView.load(session, tenant_id=tenant_id, store_id=store_id, country=country,
                          now=now)
    expected = count_products(session, tenant_id)
    yield _dumps({"version": PROTOCOL_VERSION, "kind": "header", "cursor": cursor,
                  "generated_at": now.isoformat(),
                  "counts": {"products": expected, "till_users": len(users)}})
    n = 0
    for u in users:
        n += 1
        yield _dumps(u.model_dump())
    for data in stream_products(session, view):
        n += 1
        yield _dumps({"kind": "product", "op": "upsert", "key": data["sku"], "data": data})
    yield _dumps({"version": PROTOCOL_VERSION, "kind": "end", "count": n})
    log.info("sync_snapshot", tenant=str(tenant_id), store=str(store_id), changes=n,
             cursor=cursor)


def snapshot_stream(sessions: sessionmaker[Session], *, tenant_id: uuid.UUID,
                    store_id: uuid.UUID, country: str, now: datetime,
                    level: int = 1) -> Iterator[bytes]:
    """gzip bytes of the snapshot, produced while the client reads them."""
    with sessions() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        tenancy.scope(session, tenant_id)
        comp = zlib.compressobj(level, zlib.DEFLATED, 31)
        buf: list[str] = []
        for line in _lines(session, tenant_id=tenant_id, store_id=store_id, country=country,
                           now=now):
            buf.append(line)
            if len(buf) >= _LINES_PER_CHUNK:
                out = comp.compress(("\n".join(buf) + "\n").encode())
                buf.clear()
                if out:
                    yield out
        tail = comp.compress(("\n".join(buf) + "\n").encode()) if buf else b""
        yield tail + comp.flush()
        session.rollback()
