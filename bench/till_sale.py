"""Completing 5-line sales (journal + outbox) vs a raw sqlite3 transaction writing the same rows.

Ours: ``Till.complete_sale`` of a cart of 5 scanned lines, paid in cash — receipt number,
final line amounts, payment, status, ``sale.completed`` event, ``synchronous=FULL`` commit.
``full_sale`` also counts opening the cart and the 5 scans (each a ``NORMAL`` commit).
Baseline: one raw transaction on a second store with the same schema, triggers and pragmas
inserting the same rows (receipt, 5 lines, payment, outbox event with the same JSON) and
bumping the shift's counter. Sales and raw transactions alternate so load noise hits both;
the ratios are medians of the per-sale ratios.
"""

from __future__ import annotations

import json
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from bench._harness import percentile
from bench.till_common import quiet_logs
from desktop.app import tune_gc
from desktop.core.demo_catalog import generate_products
from desktop.core.payments import CashTender
from desktop.core.receipt import Receipt
from desktop.core.settings import TillSettings
from desktop.core.till import Till
from desktop.core.users import PinHasher, Role
from desktop.store import SqliteStorage
from shared.clock import ManualClock
from shared.ids import uuid7

LINES = 5


def _raw_sale(conn: sqlite3.Connection, shift_id: str, r: Receipt, payload: str) -> None:
    rid = str(uuid7())
    conn.execute("BEGIN IMMEDIATE")
    seq = conn.execute("UPDATE shifts SET documents = documents + 1 WHERE id = ? "
                       "RETURNING documents", (shift_id,)).fetchone()[0]
    conn.execute("INSERT INTO receipts (id, kind, status, cashier_id, cashier_name, opened_at, "
                 "country, currency) VALUES (?, 'sale', 'open', ?, ?, ?, ?, ?)",
                 (rid, r.cashier_id, r.cashier_name, r.opened_at.isoformat(), r.country,
                  r.currency))
    conn.executemany(
        "INSERT INTO receipt_lines (receipt_id, line_no, product_id, sku, name, unit, vat_group, "
        "barcode, quantity, list_price, unit_price, added_at, base, line_discount, "
        "receipt_discount, gross, net, vat, excise, vat_rate, excise_rate) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(rid, ln.line_no, ln.product_id, ln.sku, ln.name, ln.unit.value, ln.vat_group,
          ln.barcode, int(ln.quantity * 1000), ln.list_price, ln.unit_price,
          r.opened_at.isoformat(), ln.base, 0, 0, ln.gross, ln.net, ln.vat, ln.excise,
          str(ln.vat_rate), "0") for ln in r.lines])
    p = r.payments[0]
    conn.execute("INSERT INTO payments (id, receipt_id, kind, amount, tendered, change, "
                 "rounding, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 (str(uuid7()), rid, p.kind.value, p.amount, p.tendered, p.change, p.rounding,
                  p.created_at.isoformat()))
    conn.execute("UPDATE receipts SET status = 'completed', number = ?, shift_id = ?, "
                 "shift_no = ?, seq = ?, completed_at = ?, subtotal = ?, discount_total = ?, "
                 "total = ?, rounding = ?, paid = ?, change = ?, header = '[]', footer = '[]' "
                 "WHERE id = ?", (f"{r.number}-raw{seq}", shift_id, 1, seq,
                                  r.completed_at.isoformat(), r.subtotal, r.discount_total,
                                  r.total, r.rounding, r.paid, r.change, rid))
    conn.execute("INSERT INTO outbox (seq, event_id, type, aggregate_id, payload, created_at) "
                 "VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM outbox), ?, 'sale.completed', "
                 "?, ?, ?)", (str(uuid7()), rid, payload, r.completed_at.isoformat()))
    conn.execute("COMMIT")


def run(size: int) -> tuple[dict[str, object], dict[str, float]]:
    quiet_logs()
    rng = random.Random(5)
    records = list(generate_products(20_000, seed=9))
    codes = [r.barcodes[0] for r in records if r.barcodes and not r.age_restricted]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        till = Till(SqliteStorage(root / "ours.sqlite3"), TillSettings(), clock=ManualClock(),
                    pins=PinHasher(fast=True))
        till.import_catalog(records, replace=True)
        till.create_user("bench", "Bench", Role.CASHIER, "1234")
        till.login("bench", "1234")
        till.open_shift(0)
        raw_store = SqliteStorage(root / "raw.sqlite3")  # same schema, triggers and pragmas
        raw_till = Till(raw_store, TillSettings(), clock=ManualClock(), pins=PinHasher(fast=True))
        raw_till.create_user("raw", "Raw", Role.CASHIER, "1234")
        raw_till.login("raw", "1234")
        shift_id = raw_till.open_shift(0).id
        raw_till.close()
        tune_gc()  # as a started till does (desktop.app.tune_gc)
        raw = sqlite3.connect(root / "raw.sqlite3", isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON",
                       "cache_size=-65536", "temp_store=MEMORY", "mmap_size=268435456"):
            raw.execute(f"PRAGMA {pragma}")
        ours: list[float] = []
        full: list[float] = []
        base: list[float] = []
        for _ in range(size):
            t0 = time.perf_counter()
            cart = till.new_cart()
            for _ in range(LINES):
                cart = till.scan(cart.id, rng.choice(codes))
            t1 = time.perf_counter()
            receipt = till.complete_sale(cart.id, [CashTender(cart.due)])
            t2 = time.perf_counter()
            ours.append(t2 - t1)
            full.append(t2 - t0)
            payload = json.dumps({"receipt": receipt.to_payload()}, ensure_ascii=False,
                                 separators=(",", ":"))
            t3 = time.perf_counter()
            _raw_sale(raw, shift_id, receipt, payload)
            base.append(time.perf_counter() - t3)
        assert till.doctor(quick=True).ok
        till.close()
        raw.close()
    us = 1e6
    med = statistics.median
    return (
        {"sales": size, "lines_per_sale": LINES, "synchronous": "FULL", "journal": "WAL"},
        {
            "complete_sale_p50_us": med(ours) * us,
            "complete_sale_p99_us": percentile(ours, 99) * us,
            "full_sale_p50_us": med(full) * us,
            "raw_txn_p50_us": med(base) * us,
            "sales_per_s": len(full) / sum(full),
            # each sale is timed right next to its raw twin: the median of the pairwise ratios
            # is robust to the machine getting busier or quieter during the run
            "ratio_sale_vs_raw": med([o / b for o, b in zip(ours, base, strict=True)]),
            "ratio_full_sale_vs_raw": med([f / b for f, b in zip(full, base, strict=True)]),
        },
    )
