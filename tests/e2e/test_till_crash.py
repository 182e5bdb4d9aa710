"""Crash test: a till process completing sales is SIGKILLed at random moments, 25 times.

GIVEN a store with a catalog and an open shift
WHEN a child process sells in a loop (mixed payments, card pre-authorisations persisted on the
     cart, cash movements, returns, resuming carts left by the previous crash) and is killed
     with SIGKILL after a random delay (seeded; the delay only varies where it dies)
THEN after every kill the store passes ``doctor``, every receipt the child reported completed is
     there with its outbox event, every sale is either complete with its event or absent, and
     the outbox ``seq`` has no gap.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from desktop.core import PinHasher, Role, Till, TillSettings
from desktop.core.demo_catalog import generate_products
from desktop.store import SqliteStorage
from shared.clock import ManualClock

ROOT = Path(__file__).resolve().parents[2]
KILLS = 25

CHILD = textwrap.dedent("""
    import random, sys
    from desktop.core import (CardDetails, CardTender, CashTender, PinHasher, Till,
                              TillSettings)
    from desktop.core.payments import round_cash
    from desktop.core.returns import ReturnItem
    from desktop.store import SqliteStorage

    path, seed, codes = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")
    till = Till(SqliteStorage(path), None, pins=PinHasher(fast=True))
    till.login("olena", "9999")
    rng = random.Random(seed)
    step = till.settings.cash_rounding

    def finish(cart):
        cash = round_cash(cart.due, step) + rng.choice([0, 0, 500, 10_000])
        r = till.complete_sale(cart.id, [CashTender(cash)])
        print("sold", r.id, r.number, r.total, flush=True)
        return r

    for cart in till.open_carts():       # what the previous crash left behind
        if cart.active_lines:
            finish(cart)
        elif not cart.payments:
            till.cancel_cart(cart.id)
    print("ready", flush=True)
    last = None
    n = 0
    while True:
        n += 1
        cart = till.new_cart()
        for _ in range(rng.randint(1, 5)):
            cart = till.scan(cart.id, rng.choice(codes), rng.randint(1, 3))
        if rng.random() < 0.3 and cart.due > 100:
            cart = till.add_payment(cart.id, CardTender(cart.due // 2, CardDetails(rrn=str(n))))
        last = finish(cart)
        if n % 7 == 0:
            till.cash_in(1000, "change")
        if n % 5 == 0 and last is not None:
            left = till.returnable(last.number).lines[0].remaining
            if left > 0:
                r = till.complete_return(last.number, [ReturnItem(1, 1)])
                print("returned", r.id, r.number, r.total, flush=True)
""")


def _prepare(path: Path) -> list[str]:
    till = Till(SqliteStorage(path), TillSettings.for_country("UA", store_code="S1",
                                                             till_code="T1"),
                clock=ManualClock(), pins=PinHasher(fast=True))
    records = [r for r in generate_products(300, seed=3, country="UA")
               if r.barcodes and not r.age_restricted]
    till.import_catalog(records)
    till.create_user("olena", "Olena", Role.STORE_MANAGER, "9999")
    till.close()
    return [r.barcodes[0] for r in records[:60]]


def _record(line: str, reported: dict[str, str]) -> str | None:
    """Note a receipt the child reported; returns its kind ("sold"/"returned") or None.

    Only a complete line counts: SIGKILL can land in the middle of the child's write, leaving
    a last line without its newline (and without some of its fields). The sale behind a cut
    line is still checked, because ``_check`` compares every completed receipt with the outbox;
    it is only not asserted as "reported".
    """
    if not line.endswith("\n"):
        return None
    fields = line.split()
    if len(fields) != 4 or fields[0] not in ("sold", "returned"):
        return None
    kind, rid, number, _total = fields
    reported[rid] = number
    return kind


def _check(path: Path, reported: dict[str, str]) -> int:
    storage = SqliteStorage(path)  # opening recovers the WAL like a restarted till would
    try:
        report = storage.doctor()
        assert report.ok, [c for c in report.checks if not c.ok]
        conn = sqlite3.connect(path)
        receipts = {rid: total for rid, total in conn.execute(
            "SELECT id, total FROM receipts WHERE status = 'completed'")}
        events = {}
        seqs = []
        for seq, etype, agg, payload in conn.execute(
                "SELECT seq, type, aggregate_id, payload FROM outbox ORDER BY seq"):
            seqs.append(seq)
            if etype in ("sale.completed", "return.completed"):
                events[agg] = json.loads(payload)["receipt"]["total"]
        conn.close()
        assert seqs == list(range(1, len(seqs) + 1)), "outbox seq gap"
        assert receipts == events, "a sale without its event or an event without its sale"
        for rid, number in reported.items():
            assert rid in receipts, f"{number} was reported completed but is missing"
        return len(receipts)
    finally:
        storage.close()


@pytest.mark.e2e
@pytest.mark.slow
def test_sales_survive_sigkill_at_random_moments(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    codes = _prepare(path)
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rng = random.Random(20260302)
    reported: dict[str, str] = {}
    boot = Till(SqliteStorage(path), None, pins=PinHasher(fast=True))  # the child's clock
    boot.login("olena", "9999")
    boot.open_shift(100_000)
    boot.close()
    completed = 0
    for i in range(KILLS):
        proc = subprocess.Popen([sys.executable, str(script), str(path), str(i), ",".join(codes)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env, cwd=ROOT)
        assert proc.stdout is not None and proc.stderr is not None
        try:
            while True:  # progress, not time: wait until this run has sold once
                line = proc.stdout.readline()
                assert line.endswith("\n"), f"child {i} died: {line!r} {proc.stderr.read()}"
                if _record(line, reported) == "sold":
                    break
            time.sleep(rng.uniform(0.0, 0.2))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            for line in proc.stdout.read().splitlines(keepends=True):
                _record(line, reported)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL
        completed = _check(path, reported)
    assert completed >= KILLS and len(reported) >= KILLS
