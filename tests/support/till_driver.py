"""A scripted till process for sync tests: sells through the ``Till`` façade in a loop while the
background sync runner pushes and pulls, survives being killed at any moment, and exits 0 once
it has made ``--sales`` sales in total and the cloud acknowledged every event.

    python -m tests.support.till_driver --home H --sales 10000 --seed 3 --skus A,B,C

Each start resumes: it counts the sales already in the till's journal, finishes or cancels the
carts a kill left open, and goes on. Besides sales it makes a return every 17 sales, a cash
deposit every 29 and closes/reopens the shift every 997, so every projected event type flows.
Progress lines (``sold <n>``) go to stdout.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import time
from pathlib import Path

import structlog

from desktop.app import build_till
from desktop.config import TillConfig
from desktop.core import CashTender, PinHasher, ReturnItem, Role, Till
from desktop.core.errors import TillError
from desktop.sync_ports import TillSyncPorts
from shared.backoff import Backoff
from sync.runner import SyncRunner

__all__ = ["main"]

LOGIN, PIN = "chaos", "2468"


def _sales_so_far(till: Till) -> int:
    return sum(1 for e in till.storage.iter_outbox() if e.type == "sale.completed")


def _prepare(till: Till) -> None:
    if not till.users():
        till.create_user(LOGIN, "Chaos Monkey", Role.STORE_MANAGER, PIN)
    till.login(LOGIN, PIN)
    for cart in till.open_carts():  # what the previous kill left behind
        if cart.active_lines and cart.due > 0:
            till.complete_sale(cart.id, [CashTender(cart.due)])
        elif cart.active_lines and not cart.due:
            till.complete_sale(cart.id)
        else:
            till.cancel_cart(cart.id)
    if till.current_shift() is None:
        till.open_shift(1_000_000)


def _wait_catalog(till: Till, runner: SyncRunner, deadline: float) -> None:
    while till.catalog_size() == 0:
        if time.monotonic() > deadline:
            raise SystemExit("no catalog arrived from the cloud")
        runner.wake(pull=True)
        time.sleep(0.1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--sales", type=int, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skus", required=True, help="comma-separated SKUs to sell")
    ap.add_argument("--batch", type=int, default=250)
    ap.add_argument("--drain-timeout", type=float, default=600)
    a = ap.parse_args(argv)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    till = build_till(TillConfig(home=a.home), pins=PinHasher(fast=True))
    runner = SyncRunner(TillSyncPorts(till), a.home, idle_interval=0.2, pull_interval=5.0,
                        timeout=5.0, batch_size=a.batch, backoff=Backoff(0.05, 1.0))
    runner.start()
    _wait_catalog(till, runner, time.monotonic() + 120)
    _prepare(till)
    skus = a.skus.split(",")
    done = _sales_so_far(till)
    rng = random.Random(a.seed * 1_000_003 + done)
    print(f"start {done}", flush=True)
    last = None
    while done < a.sales:
        cart = till.new_cart()
        for _ in range(rng.randint(1, 4)):
            cart = till.add_product(cart.id, rng.choice(skus), rng.randint(1, 3))
        last = till.complete_sale(cart.id, [CashTender(cart.due)])
        done += 1
        if done % 17 == 0 and last is not None:
            try:
                till.complete_return(last.number, [ReturnItem(1, 1)], reason="chaos")
            except TillError as exc:
                print(f"return skipped {exc.code}", flush=True)
        if done % 29 == 0:
            till.cash_in(500, "change")
        if done % 997 == 0:
            till.close_shift(till.drawer_balance())
            till.open_shift(1_000_000)
        if done % 100 == 0:
            print(f"sold {done}", flush=True)
            runner.wake()
    print(f"sold {done}", flush=True)
    deadline = time.monotonic() + a.drain_timeout
    while till.outbox_stats().pending:
        if time.monotonic() > deadline:
            print(f"not drained: {runner.status()}", flush=True)
            return 2
        runner.wake()
        time.sleep(0.1)
    runner.stop()
    print(f"drained {till.outbox_stats()}", flush=True)
    till.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
