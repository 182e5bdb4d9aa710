"""The bootstrap snapshot: every product and till user a new till needs, as a gzip NDJSON stream.

Lines, in order: a :class:`~sync.protocol.SnapshotHeader` (the feed cursor to follow afterwards,
the expected counts for a progress bar, and ``product_fields``), the till users (one
:class:`~sync.protocol.Change` object per line), the products — each a JSON *array* in the
order of ``product_fields`` (a snapshot has ~100k of them; arrays are half the bytes and half
the parsing of objects) — and a :class:`~sync.protocol.SnapshotEnd` with the number of change
lines. A till that does not see the end line knows the stream was cut and keeps nothing.

Consistency: on PostgreSQL the whole snapshot is read in one ``REPEATABLE READ`` transaction and
the feed head is taken first, inside it; every feed entry at or below the head is reflected in
the snapshot, entries above it may be too and are applied again harmlessly (current-state
upserts and tombstones). On SQLite a read transaction is a snapshot already.

On PostgreSQL the product lines are built by the database (gross price from the net price, the
store's override and the VAT rate of the group; unit mapping; sorted barcodes, hash-joined)
and streamed from a server-side cursor, so the cloud process only compresses; elsewhere they are
built in Python from the same rules (:func:`cloud.services.sync.catalog.product_data`).
"""

from __future__ import annotations

import json
import uuid
import zlib
from collections.abc import Iterator
from datetime import datetime

import structlog
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from cloud import tenancy
from cloud.services.sync.catalog import (
    StoreView,
    count_products,
    stream_products,
    unit_map,
    users_for,
)
from cloud.services.sync.pull import head
from shared.tax import TaxError, table_for
from sync.protocol import PRODUCT_FIELDS, PROTOCOL_VERSION, product_row

__all__ = ["MEDIA_TYPE", "snapshot_stream"]

log = structlog.get_logger(__name__)

MEDIA_TYPE = "application/x-ndjson"
_LINES_PER_CHUNK = 2000
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

_PG_PRODUCTS = text(r"""
WITH rates AS (SELECT * FROM unnest(CAST(:groups AS text[]), CAST(:rates AS numeric[]))
               AS r(grp, rate)),
     units AS (SELECT * FROM unnest(CAST(:usrc AS text[]), CAST(:udst AS text[])) AS u(src, dst)),
     codes AS (SELECT product_id, json_agg(code ORDER BY code) AS codes
               FROM product_barcodes
               WHERE tenant_id = :tenant AND code ~ '^[0-9A-Za-z.\-]{1,64}$'
               GROUP BY product_id)
SELECT CAST(json_build_array(
    p.sku, left(p.name, 256),
    coalesce(sp.price, p.price) + CAST(round(coalesce(sp.price, p.price) * r.rate / 100)
                                       AS bigint),
    p.vat_group, coalesce(u.dst, 'pcs'), coalesce(c.codes, '[]'::json),
    p.excise, p.customs_code, coalesce(p.age_restriction, 0) > 0, p.status = 'active',
    p.category,
    CASE WHEN CAST(p.translations AS text) NOT IN ('{}', 'null') THEN
        (SELECT json_object_agg(t.key, t.value ->> 'name') FROM json_each(p.translations) t
         WHERE t.value ->> 'name' IS NOT NULL AND t.value ->> 'name' <> '') END
) AS text)
FROM products p
JOIN rates r ON r.grp = p.vat_group
LEFT JOIN units u ON u.src = lower(trim(p.unit))
LEFT JOIN codes c ON c.product_id = p.id
LEFT JOIN store_prices sp ON sp.store_id = :store AND sp.product_id = p.id
     AND (sp.starts_at IS NULL OR sp.starts_at <= :now)
     AND (sp.ends_at IS NULL OR :now < sp.ends_at)
WHERE p.tenant_id = :tenant AND p.deleted_at IS NULL AND p.sku ~ '^[\w.\-/]{1,64}$'
""")


def _pg_products(session: Session, view: StoreView) -> Iterator[str]:
    try:
        rates = table_for(view.country, view.now).rates
    except TaxError:
        return
    units = unit_map()
    # One pass over the tenant's products and barcodes, joined by hashing. Fresh tables have
    # no statistics, and the planner would then pick nested loops (quadratic over the
    # aggregated barcodes); JIT compiling a single pass costs more than it saves.
    session.execute(text("SET LOCAL jit = off"))
    session.execute(text("SET LOCAL enable_nestloop = off"))
    result = session.execute(_PG_PRODUCTS.execution_options(yield_per=5000), {
        "groups": list(rates), "rates": list(rates.values()), "usrc": list(units),
        "udst": list(units.values()), "store": view.store_id, "now": view.now,
        "tenant": view.tenant_id})
    for (line,) in result:
        yield line


def _py_products(session: Session, view: StoreView) -> Iterator[str]:
    for data in stream_products(session, view):
        yield _dumps(product_row(data))


def _lines(session: Session, *, tenant_id: uuid.UUID, store_id: uuid.UUID, country: str,
           now: datetime) -> Iterator[str]:
    cursor = head(session, tenant_id)
    users = users_for(session, tenant_id=tenant_id, store_id=store_id)
    pg = session.get_bind().dialect.name == "postgresql"
    view = StoreView.load(session, tenant_id=tenant_id, store_id=store_id, country=country,
                          now=now, product_ids=None if not pg else [])
    expected = count_products(session, tenant_id)
    yield _dumps({"version": PROTOCOL_VERSION, "kind": "header", "cursor": cursor,
                  "generated_at": now.isoformat(),
                  "counts": {"products": expected, "till_users": len(users)},
                  "product_fields": list(PRODUCT_FIELDS)})
    n = 0
    for u in users:
        n += 1
        yield _dumps(u.model_dump())
    for line in (_pg_products(session, view) if pg else _py_products(session, view)):
        n += 1
        yield line
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

