"""Helpers for the document worker tests: a demo till, sales, waiting on conditions."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from pathlib import Path

from desktop.core import CashTender, PinHasher, Receipt, Role, Till, TillSettings
from desktop.core.demo_catalog import curated_products
from desktop.devices.fiscal.config import DatecsConfig, FiscalConfig, save_config
from desktop.store import SqliteStorage
from shared.clock import SystemClock

DEADLINE = 60.0


def wait_for(cond: Callable[[], object], what: str, deadline: float = DEADLINE) -> None:
    """Poll a condition (never a duration) with a generous deadline."""
    end = time.monotonic() + deadline
    while not cond():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def open_till(path: Path) -> Till:
    till = Till(SqliteStorage(path), TillSettings.for_country("RO", header=("Test shop",)),
                clock=SystemClock(), pins=PinHasher(fast=True))
    if not till.users():
        till.import_catalog(list(curated_products("RO")), replace=True)
        till.create_user("manager", "Ana Manager", Role.STORE_MANAGER, "9999")
        till.login("manager", "9999")
        till.create_user("cashier", "Ion Casier", Role.CASHIER, "1234")
        till.logout()
    till.login("cashier", "1234")
    if till.current_shift() is None:
        till.open_shift(10_000)
    return till


def sell(till: Till) -> Receipt:
    cart = till.add_product(till.new_cart().id, _any_sku())
    return till.complete_sale(cart.id, [CashTender(cart.total + 1_000)])


def _any_sku() -> str:
    for p in curated_products("RO"):
        if p.unit.value == "pcs" and not p.age_restricted and not p.excise:
            return p.sku
    raise AssertionError("no plain product in the demo catalog")


def configure_datecs(home: Path, port: int) -> None:
    save_config(home, FiscalConfig(device="datecs", datecs=DatecsConfig(
        host="127.0.0.1", port=port, timeout=0.5, vat_overrides={"exempt": "E"})))
