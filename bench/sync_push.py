"""Sales pushed into PostgreSQL per second vs psycopg ``COPY`` of the same rows, same run.

Ours: batches of 500 ``sale.completed`` events as a till sends them (gzip JSON), each through
what ``POST /api/v1/sync/push`` does after HTTP: inflate, decode and validate the message,
authenticate the device, lock its row, compare with what it holds, insert the events and
project them (sales, lines, payments, stock ledger rows and level updates), commit.
Events are real till receipts (2-4 lines, cash) made by a ``Till`` and cloned with fresh ids.
``push_sales_per_s``: two tills of two stores pushing at once, each served by its own cloud
worker process (one per core, as deployed); ``push_single_sales_per_s``: one till alone.
``push_http_sales_per_s``: two more tills pushing the same way over HTTP (httpx clients, one
``tillbridge-cloud serve`` process each, on 127.0.0.1): what HTTP, routing and auth add.

Baseline: every row the push wrote (events, sales, lines, payments, stock movements), copied
out and ``COPY``-ed back into empty ``LIKE … INCLUDING ALL`` twins (same columns, indexes and
constraints) in one transaction per table — the fastest way to write the same rows, with no
parsing, no checks and no projection. ``ratio_push_vs_copy`` = our rate / COPY rate.

PostgreSQL from ``TILLBRIDGE_BENCH_PG`` (default: the test server); a fresh schema per run.
"""

from __future__ import annotations

import copy
import gzip
import json
import os
import tempfile
import time
import uuid
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PG_URL = os.environ.get("TILLBRIDGE_BENCH_PG",
                        os.environ.get("TILLBRIDGE_TEST_PG",
                                       "postgresql://postgres@127.0.0.1:5432/test"))
BATCH = 500
PUSHERS = 2  # tills pushing at once, one cloud worker process each (2 cores)
TEMPLATES = 200
TABLES = ("sync_events", "sales", "sale_lines", "sale_payments", "stock_movements")


def _templates(skus: list[str], home: Path) -> list[dict[str, Any]]:
    """Real receipts from a till holding the cloud's products (as a bootstrap would)."""
    import random

    from desktop.core import CashTender, PinHasher, ProductRecord, Role, Till, TillSettings
    from desktop.store import SqliteStorage

    till = Till(SqliteStorage(home / "bench-till.sqlite3"), TillSettings(),
                pins=PinHasher(fast=True))
    try:
        till.import_catalog([ProductRecord(s, f"Product {s}", 1210 + i, "standard")
                             for i, s in enumerate(skus)])
        till.create_user("bench", "Bench", Role.CASHIER, "2468")
        till.login("bench", "2468")
        till.open_shift(0)
        rng = random.Random(5)
        for _ in range(TEMPLATES):
            cart = till.new_cart()
            for _ in range(rng.randint(2, 4)):
                cart = till.add_product(cart.id, rng.choice(skus), rng.randint(1, 3))
            till.complete_sale(cart.id, [CashTender(cart.due)])
        return [e.payload | {"_type": e.type, "_agg": e.aggregate_id,
                             "_at": e.created_at.isoformat()}
                for e in till.outbox_after(0, 10_000) if e.type == "sale.completed"]
    finally:
        till.close()


def _events(templates: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    from shared.ids import uuid7

    out = []
    for seq in range(1, n + 1):
        t = templates[(seq - 1) % len(templates)]
        payload = copy.deepcopy({k: v for k, v in t.items() if not k.startswith("_")})
        receipt = payload["receipt"]
        receipt["id"] = str(uuid7())
        receipt["number"] = f"S1-T1-{seq // 9999 + 1:04d}-{seq % 9999 + 1:04d}"
        for p in receipt["payments"]:
            p["id"] = str(uuid7())
        out.append({"event_id": str(uuid7()), "seq": seq, "type": t["_type"],
                    "aggregate_id": receipt["id"], "created_at": t["_at"], "payload": payload})
    return out


def _bodies(device_id: uuid.UUID, events: list[dict[str, Any]]) -> list[bytes]:
    return [gzip.compress(json.dumps({"version": 1, "device_id": str(device_id),
                                      "batch_id": str(uuid.uuid4()),
                                      "events": events[i:i + BATCH]}).encode(), 5)
            for i in range(0, len(events), BATCH)]


def _push_all(url: str, token: str, bodies: list[bytes], go: Any = None) -> float:
    """Push ``bodies`` as ``POST /api/v1/sync/push`` does after HTTP; returns seconds."""
    import logging

    import structlog

    from cloud.db import make_engine, session_factory
    from cloud.process import tune_gc
    from cloud.services.sync import devices, push
    from sync.wire import decode_push

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    engine = make_engine(url)
    sessions = session_factory(engine)
    tune_gc()  # as ``tillbridge-cloud serve`` does once the app is built
    if go is not None:
        go.wait()
    t0 = time.perf_counter()
    for body in bodies:
        with sessions() as s:
            s.info["tenancy_strict"] = True
            device = devices.authenticate(s, token, datetime.now(UTC))
            request = decode_push(zlib.decompress(body, 31))
            push.push(s, devices.origin_of(s, device), request, datetime.now(UTC))
            s.commit()
    elapsed = time.perf_counter() - t0
    engine.dispose()
    return elapsed


def _pusher(url: str, token: str, bodies: list[bytes], go: Any, out: Any) -> None:
    out.put(_push_all(url, token, bodies, go))


def _http_pusher(url: str, token: str, bodies: list[bytes], go: Any, out: Any) -> None:
    """A till's client side: the gzip bodies as ``POST /api/v1/sync/push`` requests."""
    import httpx

    from sync.protocol import VERSION_HEADER

    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
               "Content-Encoding": "gzip", VERSION_HEADER: "1"}
    with httpx.Client(base_url=url, timeout=300) as http:
        # Warm-up: FastAPI builds each included router's routes on the first request through it.
        http.get("/api/v1/sync/status", headers=headers).raise_for_status()
        http.get("/warm-up")
        go.wait()
        t0 = time.perf_counter()
        for body in bodies:
            http.post("/api/v1/sync/push", content=body, headers=headers).raise_for_status()
        out.put(time.perf_counter() - t0)


def _over_http(url: str, jobs: list[tuple[str, list[bytes]]], home: Path) -> float:
    """The same pushes through ``tillbridge-cloud serve`` processes (one per till, as one
    worker per core would serve them), each till's client in a process of its own."""
    from contextlib import ExitStack

    from tests.support.world import CloudProcess

    with ExitStack() as stack:
        clouds = [stack.enter_context(CloudProcess(url, home / f"cloud-{i}"))
                  for i in range(len(jobs))]
        return _concurrent([(c.url, token, bodies)
                            for c, (token, bodies) in zip(clouds, jobs, strict=True)],
                           target=_http_pusher)


def _concurrent(jobs: list[tuple[str, str, list[bytes]]], target: Any = None) -> float:
    """One process per till (a cloud with one worker per core); wall time of them all."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    go, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=target or _pusher, args=(*job, go, out)) for job in jobs]
    for p in procs:
        p.start()
    time.sleep(3.0)  # let them import and connect before the clock starts
    t0 = time.perf_counter()
    go.set()
    results = [out.get(timeout=900) for _ in procs]
    elapsed = time.perf_counter() - t0
    for p in procs:
        p.join(60)
    if len(results) != len(procs):
        raise RuntimeError("a pusher failed")
    return elapsed


def _copy_baseline(url: str, device_ids: list[uuid.UUID]) -> tuple[float, dict[str, int]]:
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    dumps: dict[str, bytes] = {}
    rows: dict[str, int] = {}
    devs = ", ".join(f"'{d}'" for d in device_ids)
    sales = f"SELECT id FROM sales WHERE device_id IN ({devs})"
    where = {"sync_events": f"device_id IN ({devs})", "sales": f"device_id IN ({devs})",
             "sale_lines": f"sale_id IN ({sales})", "sale_payments": f"sale_id IN ({sales})",
             "stock_movements": f"created_by_id IN ({devs})"}
    with psycopg.connect(plain) as conn:
        for table in TABLES:
            buf = bytearray()
            with conn.cursor().copy(
                    f"COPY (SELECT * FROM {table} WHERE {where[table]}) TO STDOUT") as cp:
                for chunk in cp:
                    buf += chunk
            dumps[table] = bytes(buf)
            rows[table] = buf.count(b"\n")
            conn.execute(f"CREATE TABLE copy_{table} (LIKE {table} INCLUDING ALL)")
        conn.commit()
        t0 = time.perf_counter()
        for table in TABLES:
            with conn.cursor().copy(f"COPY copy_{table} FROM STDIN") as cp:
                cp.write(dumps[table])
        conn.commit()
        return time.perf_counter() - t0, rows


def _devices(sessions: Any, seeded: Any, n: int, now: datetime) -> list[tuple[uuid.UUID, str]]:
    """``n`` enrolled tills, each in its own store (so they share no stock rows)."""
    from cloud import audit, tenancy
    from cloud.services.catalog import stores
    from cloud.services.sync import enrollment
    from sync.protocol import EnrollRequest
    from tests.support.world import Seeded, issue_code

    out = []
    for i in range(n):
        target = seeded
        if i:
            with sessions() as s:
                audit.set_context(s, audit.AuditContext(actor_type="system"))
                tenancy.scope(s, seeded.tenant_id)
                store = stores.save_store(s, tenant_id=seeded.tenant_id, now=now, data={
                    "code": f"S{i + 1}", "name": f"Store {i + 1}", "country": "RO",
                    "timezone": "Europe/Bucharest"})
                till = stores.save_till(s, tenant_id=seeded.tenant_id, store_id=store.id,
                                        now=now, data={"code": "T1", "name": "Till 1"})
                s.commit()
                target = Seeded(seeded.tenant_id, store.id, till.id)
        code = issue_code(sessions, target, now=now)
        with sessions() as s:
            audit.set_context(s, audit.AuditContext(actor_type="system"))
            done = enrollment.exchange(s, EnrollRequest(code=code, device_uid=f"bench-{i:04d}"),
                                       now)
            s.commit()
            out.append((done.device.id, done.token))
    return out


def run(size: int) -> tuple[dict[str, object], dict[str, float]]:
    from cloud.db import make_engine, session_factory
    from cloud.migrate import upgrade
    from tests.support.db import pg_schema
    from tests.support.world import seed_tenant

    with pg_schema(PG_URL, "bench_push") as url, tempfile.TemporaryDirectory() as tmp:
        upgrade(url)
        engine = make_engine(url)
        sessions = session_factory(engine)
        now = datetime.now(UTC)
        seeded = seed_tenant(sessions, now=now, products=300)
        devs = _devices(sessions, seeded, 2 * PUSHERS + 1, now)
        engine.dispose()
        templates = _templates(seeded.skus, Path(tmp))
        per = size // PUSHERS
        single = _bodies(devs[0][0], _events(templates, per))
        t_single = _push_all(url, devs[0][1], single)
        pushers, http_pushers = devs[1:PUSHERS + 1], devs[PUSHERS + 1:]
        jobs = [(token, _bodies(dev, _events(templates, per))) for dev, token in pushers]
        lines = sum(len(e["payload"]["receipt"]["lines"]) for e in _events(templates, per))
        t_push = _concurrent([(url, token, bodies) for token, bodies in jobs])
        t_copy, rows = _copy_baseline(url, [d for d, _t in pushers])
        t_http = _over_http(url, [(token, _bodies(dev, _events(templates, per)))
                                  for dev, token in http_pushers], Path(tmp))
    pushed = per * PUSHERS
    if rows["sales"] != pushed or rows["sync_events"] != pushed:  # the figure is for real rows
        raise RuntimeError(f"pushed {pushed} sales but the cloud holds {rows}")
    push_rate, copy_rate = pushed / t_push, pushed / t_copy
    return (
        {"sales": pushed, "batch": BATCH, "pushers": PUSHERS, "lines_per_pusher": lines,
         "rows": rows, "gzip_mb_per_pusher": round(sum(len(b) for b in single) / 1e6, 2),
         "database": "postgresql"},
        {"push_s": t_push, "push_sales_per_s": push_rate,
         "push_single_sales_per_s": per / t_single, "copy_s": t_copy,
         "copy_sales_per_s": copy_rate, "ratio_push_vs_copy": push_rate / copy_rate,
         "push_http_sales_per_s": pushed / t_http,
         "ratio_single_push_vs_copy": (per / t_single) / copy_rate},
    )
