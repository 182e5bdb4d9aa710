"""Bootstrapping a new till from the cloud: seconds for ``size`` products (goal: 100k < 5 s).

Ours: a freshly enrolled till calls ``SyncClient.bootstrap()`` against a cloud process on
PostgreSQL (``tillbridge-cloud serve``): the cloud streams the gzip NDJSON snapshot from a
server-side cursor while the till parses it and bulk-loads its store (one transaction, indexes
and the FTS index built at the end), then stores the feed cursor. Timed end to end.

Baseline, same run: the same product records loaded into another fresh till store from memory
with ``Till.import_catalog(replace=True)`` — the local part alone, no network, no cloud.
``ratio_bootstrap_vs_local_load`` = ours / baseline (the price of fetching over HTTP).

PostgreSQL from ``TILLBRIDGE_BENCH_PG`` (default: the test server); a fresh schema per run.
"""

from __future__ import annotations

import gzip
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

PG_URL = os.environ.get("TILLBRIDGE_BENCH_PG",
                        os.environ.get("TILLBRIDGE_TEST_PG",
                                       "postgresql://postgres@127.0.0.1:5432/test"))
CHUNK = 10_000


def run(size: int) -> tuple[dict[str, object], dict[str, float]]:
    import logging

    import httpx
    import structlog

    from cloud import audit, tenancy
    from cloud.db import make_engine, session_factory
    from cloud.migrate import upgrade
    from desktop.core import PinHasher, Till, TillSettings
    from desktop.store import SqliteStorage
    from desktop.sync_ports import TillSyncPorts
    from sync.client import SyncClient, enroll
    from sync.feed import snapshot_reader
    from tests.support.db import pg_schema
    from tests.support.world import CloudProcess, issue_code, seed_products, seed_tenant

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    with pg_schema(PG_URL, "bench_boot") as url, tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        upgrade(url)
        engine = make_engine(url)
        sessions = session_factory(engine)
        now = datetime.now(UTC)
        seeded = seed_tenant(sessions, now=now, products=0)
        for start in range(0, size, CHUNK):
            with sessions() as s:
                audit.set_context(s, audit.AuditContext(actor_type="system"))
                tenancy.scope(s, seeded.tenant_id)
                seed_products(s, seeded.tenant_id, min(CHUNK, size - start), now=now,
                              start=start)
                s.commit()
        code = issue_code(sessions, seeded, now=now)
        engine.dispose()
        with CloudProcess(url, root / "cloud") as cloud:
            till = Till(SqliteStorage(root / "till" / "till.sqlite3"), TillSettings(),
                        pins=PinHasher(fast=True))
            enrollment = enroll(till, root / "till", cloud.url, code)
            with SyncClient(TillSyncPorts(till), enrollment, home=root / "till",
                            timeout=120) as client:
                t0 = time.perf_counter()
                result = client.bootstrap()
                t_boot = time.perf_counter() - t0
                assert result.products == size == till.catalog_size(), result
                assert till.catalog_cursor() is not None
                auth = {"Authorization": f"Bearer {enrollment.device_token}"}
                t0 = time.perf_counter()
                with httpx.stream("GET", f"{cloud.url}/api/v1/sync/snapshot", headers=auth,
                                  timeout=120) as resp:
                    raw = b"".join(resp.iter_raw())
                t_download = time.perf_counter() - t0
            _header, products, _users, _skipped = snapshot_reader(
                iter(gzip.decompress(raw).splitlines()),
                reader=TillSyncPorts(till).product_reader())
            records = list(products)
            till.close()
        local = Till(SqliteStorage(root / "local.sqlite3"), TillSettings(),
                     pins=PinHasher(fast=True))
        t0 = time.perf_counter()
        local.import_catalog(records, replace=True)
        t_local = time.perf_counter() - t0
        local.close()
        wire = len(raw)
    return (
        {"products": size, "snapshot_mb": round(wire / 1e6, 2), "database": "postgresql",
         "transport": "HTTP/1.1 gzip NDJSON, cloud in its own process"},
        {"bootstrap_s": t_boot, "products_per_s": size / t_boot, "download_s": t_download,
         "local_load_s": t_local, "ratio_bootstrap_vs_local_load": t_boot / t_local},
    )
