"""Barcode lookup + add-to-cart latency and FTS prefix search on a large catalog.

Loads ``size`` generated products, then times ``Till.scan`` (barcode lookup, cart line, the
line's row written with ``synchronous=NORMAL``) for random barcodes, a new cart every 20
lines; and ``Till.search`` for random 3-letter prefixes of catalog words, 6-letter ones, and
prefixes of two words of one product's name typed in reverse order (the ranking then uses
FTS5 bm25). Baseline: the bare barcode ``SELECT`` on the same connection type, to show what
the service layer adds.
Wall-clock percentiles include waiting for a CPU on a busy machine; the ``*_cpu_*`` metrics
(``process_time``: this process's user + system time) show the work itself, and
``control_busy_*`` times a fixed pure-Python loop interleaved with the scans: on a quiet
machine its p99 is close to its p50.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from pathlib import Path

from bench._harness import percentile
from bench.till_common import quiet_logs
from desktop.app import tune_gc
from desktop.core.catalog import search_terms
from desktop.core.demo_catalog import generate_products, vocabulary
from desktop.core.settings import TillSettings
from desktop.core.till import Till
from desktop.core.users import PinHasher, Role
from desktop.store import SqliteStorage
from shared.clock import ManualClock

SCANS = 20_000
SEARCHES = 2_000


def _busy() -> int:
    """Fixed pure-Python work (~0.1 ms): its p99 shows how much a busy machine adds."""
    total = 0
    for i in range(1500):
        total += i
    return total


def run(size: int) -> tuple[dict[str, object], dict[str, float]]:
    quiet_logs()
    rng = random.Random(11)
    name_rng = random.Random(12)  # its own, so the other samples stay what they were
    codes: list[str] = []
    names: list[str] = []

    def records():  # type: ignore[no-untyped-def]
        for rec in generate_products(size):
            if rec.barcodes and not rec.age_restricted and rng.random() < 0.05:
                codes.append(rec.barcodes[0])
            if name_rng.random() < 0.01:
                names.append(rec.name)
            yield rec

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "till.sqlite3"
        till = Till(SqliteStorage(path), TillSettings(), clock=ManualClock(),
                    pins=PinHasher(fast=True))
        t0 = time.perf_counter()
        till.import_catalog(records(), replace=True)
        load_s = time.perf_counter() - t0
        tune_gc()  # as a started till does (desktop.app.tune_gc)
        till.create_user("bench", "Bench", Role.STORE_MANAGER, "1234")
        till.login("bench", "1234")
        till.open_shift(0)
        sample = [rng.choice(codes) for _ in range(SCANS)]
        lat: list[float] = []
        cpu: list[float] = []
        control: list[float] = []
        cart = till.new_cart()
        for i, code in enumerate(sample):
            if i and i % 20 == 0:  # untimed: park the full cart and start the next one
                till.cancel_cart(cart.id)
                cart = till.new_cart()
            t, c = time.perf_counter(), time.process_time()
            cart = till.scan(cart.id, code)
            lat.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            t = time.perf_counter()
            _busy()
            control.append(time.perf_counter() - t)
        raw = sqlite3.connect(path)
        raw_lat: list[float] = []
        for code in sample[:5000]:
            t = time.perf_counter()
            raw.execute("SELECT p.* FROM barcodes b JOIN products p ON p.id = b.product_id "
                        "WHERE b.code = ?", (code,)).fetchone()
            raw_lat.append(time.perf_counter() - t)
        raw.close()
        words = [w for w in (search_terms(v) for v in vocabulary()) if w and len(w[0]) >= 3]
        prefixes = [rng.choice(words)[0][:3] for _ in range(SEARCHES)]
        s_lat: list[float] = []
        s_cpu: list[float] = []
        hits = 0
        for prefix in prefixes:
            t, c = time.perf_counter(), time.process_time()
            found = till.search(prefix)
            s_lat.append(time.perf_counter() - t)
            s_cpu.append(time.process_time() - c)
            hits += len(found)
        long_words = [w[0] for w in words if len(w[0]) >= 6]
        w_lat: list[float] = []
        for _ in range(SEARCHES // 4):  # whole-word prefixes beyond the 2-4 letter index
            word = rng.choice(long_words)[:6]
            t = time.perf_counter()
            till.search(word)
            w_lat.append(time.perf_counter() - t)
        two_lat: list[float] = []
        for _ in range(SEARCHES // 4):  # "proasp lap" for "Lapte proaspăt …"
            first, second = search_terms(name_rng.choice(names))[:2]
            query = f"{second[:name_rng.randint(3, 6)]} {first[:3]}"
            t = time.perf_counter()
            till.search(query)
            two_lat.append(time.perf_counter() - t)
        till.close()
    us = 1e6
    return (
        {"products": size, "scans": SCANS, "searches": SEARCHES, "lines_per_cart": 20},
        {
            "load_s": load_s,
            "lookup_add_p50_us": percentile(lat, 50) * us,
            "lookup_add_p99_us": percentile(lat, 99) * us,
            "lookup_add_cpu_p99_us": percentile(cpu, 99) * us,
            "raw_lookup_p99_us": percentile(raw_lat, 99) * us,
            "control_busy_p50_us": percentile(control, 50) * us,
            "control_busy_p99_us": percentile(control, 99) * us,
            "search_p50_us": percentile(s_lat, 50) * us,
            "search_p99_us": percentile(s_lat, 99) * us,
            "search_cpu_p99_us": percentile(s_cpu, 99) * us,
            "search_avg_hits": hits / SEARCHES,
            "search_6_letters_p99_us": percentile(w_lat, 99) * us,
            "search_2_words_p50_us": percentile(two_lat, 50) * us,
            "search_2_words_p99_us": percentile(two_lat, 99) * us,
        },
    )
