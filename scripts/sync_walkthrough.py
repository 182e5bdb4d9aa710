"""``make demo``, sync part (called by ``scripts/demo.py``): enroll the demo till with the demo
cloud and watch a sale reach the cloud.

Through the real APIs: logs in as the embedded demo tenant's admin, makes store ``S1`` with
till ``T1`` and a few products when missing, issues a one-time enrollment code, enrolls the
till (as ``tillbridge-till enroll`` does: codes, country, catalog snapshot), sells on the till,
nudges the running till agent (``POST /api/sync/run``) and waits until the back office's
``GET /api/v1/sales`` lists the receipt; then sets a receipt line for the store in the back
office and waits until the running till's receipt header carries it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from cloud.services.bootstrap import saved_demo_login
from desktop.app import open_till
from desktop.config import TillConfig, load_or_create_token
from desktop.core import CashTender, Role
from desktop.core.demo_catalog import ean13
from desktop.sync_runtime import enroll_till
from shared.money import format_money
from sync import state

__all__ = ["sync_walkthrough"]

_PRODUCTS = (("DEMO-APA-05", "Apă minerală 0,5L", "2.50", 11, 900_001),
             ("DEMO-PAINE", "Pâine albă 500g", "4.50", 11, 900_002),
             ("DEMO-CAFEA", "Cafea boabe 250g", "29.90", 21, 900_003))


def _one(http: httpx.Client, path: str, code: str, create: dict[str, Any]) -> str:
    found = [x for x in http.get(path, params={"limit": 100}).json()["data"]
             if x["code"] == code]
    if found:
        return str(found[0]["id"])
    resp = http.post(path, json=create)
    resp.raise_for_status()
    return str(resp.json()["data"]["id"])


def _sell(till_home: Path) -> tuple[str, str, str]:
    """One sale on the demo till; returns (receipt number, total text, receipt id)."""
    with open_till(TillConfig(home=till_home)) as till:
        logins = {u.login for u in till.users()}
        if not logins:
            till.create_user("demo", "Demo Cashier", Role.STORE_MANAGER, "2468")
        if "demo" in logins or not logins:
            till.login("demo", "2468")
        elif "manager" in logins:
            till.login("manager", "9999")  # seed-demo's manager
        else:
            raise RuntimeError("the demo till has users this demo does not know")
        if till.current_shift() is None:
            till.open_shift(10_000)
        cart = till.new_cart()
        for sku, *_ in _PRODUCTS[:2]:
            cart = till.add_product(cart.id, sku, 1)
        receipt = till.complete_sale(cart.id, [CashTender(cart.due)])
        return (receipt.number, format_money(receipt.total, receipt.currency, "en"),
                receipt.id)


def sync_walkthrough(cloud_url: str, till_url: str, home: Path, *, wait_s: float = 60.0) -> None:
    """Run the walkthrough, printing what happens (never raises: the demo goes on)."""
    try:
        _walkthrough(cloud_url, till_url, home, wait_s)
    except Exception as exc:  # a demo step failing must not stop the rest of the demo
        print(f"== sync demo stopped: {type(exc).__name__}: {exc}")


def _walkthrough(cloud_url: str, till_url: str, home: Path, wait_s: float) -> None:
    creds = saved_demo_login(home)
    if creds is None:
        print("== sync demo skipped: no demo credentials in the data dir")
        return
    till_home = TillConfig().home
    with httpx.Client(base_url=cloud_url, timeout=30) as http:
        login = http.post("/api/v1/auth/login", json={"email": creds[0], "password": creds[1]})
        login.raise_for_status()
        http.headers["Authorization"] = f"Bearer {login.json()['data']['accessToken']}"
        store = _one(http, "/api/v1/stores", "S1", {"code": "S1", "name": "Demo store",
                                                     "country": "RO",
                                                     "timezone": "Europe/Bucharest"})
        till = _one(http, f"/api/v1/stores/{store}/tills", "T1", {"code": "T1",
                                                                  "name": "Till 1"})
        for sku, name, price, vat, n in _PRODUCTS:
            if not http.get("/api/v1/products", params={"search": sku}).json()["data"]:
                http.post("/api/v1/products", json={
                    "sku": sku, "name": name, "category": "Demo", "price": price,
                    "vatRate": vat, "unit": "buc",
                    "barcodes": [ean13("594", n)]}).raise_for_status()
        if state.load(till_home) is None:
            code = http.post(f"/api/v1/stores/{store}/tills/{till}/enrollment-codes")
            code.raise_for_status()
            done = enroll_till(till_home, cloud_url, code.json()["data"]["code"])
            print(f"== sync: till enrolled as device {done.enrollment.device_id} "
                  f"({done.bootstrap.products if done.bootstrap else 0} products downloaded)")
        number, total, receipt_id = _sell(till_home)
        print(f"== sync: sold {number} ({total}) on the till; waiting for the cloud…")
        token = load_or_create_token(TillConfig().token_path)
        t0 = time.monotonic()
        while time.monotonic() - t0 < wait_s:
            httpx.post(f"{till_url}/api/sync/run", headers={"Authorization": f"Bearer {token}"},
                       timeout=5)
            found = http.get(f"/api/v1/sales/{receipt_id}")
            if found.status_code == 200:
                sale = found.json()["data"]
                print(f"== sync: {sale['number']} is in the cloud after "
                      f"{time.monotonic() - t0:.1f}s (GET /api/v1/sales/{receipt_id}: "
                      f"{len(sale['lines'])} lines, total {sale['total']})")
                _header_change(http, store, till_home, till_url, token, wait_s)
                return
            time.sleep(0.5)
        print("== sync: the sale did not reach the cloud in time (see GET /api/sync/status)")


def _header_line(till_home: Path) -> tuple[str, ...]:
    with open_till(TillConfig(home=till_home)) as till:
        return till.settings.header


def _header_change(http: httpx.Client, store: str, till_home: Path, till_url: str, token: str,
                   wait_s: float) -> None:
    """The back office sets a receipt line for the store; the running till takes it over."""
    line = f"Demo offer {time.strftime('%H:%M:%S')}"
    http.patch(f"/api/v1/stores/{store}",
               json={"settings": {"receiptHeader": [line]}}).raise_for_status()
    print(f"== sync: back office set the store's receipt line {line!r}; waiting for the till…")
    t0 = time.monotonic()
    while time.monotonic() - t0 < wait_s:
        httpx.post(f"{till_url}/api/sync/run", headers={"Authorization": f"Bearer {token}"},
                   timeout=5)
        header = _header_line(till_home)
        if line in header:
            print(f"== sync: the till's receipt header is now {' | '.join(header)} "
                  f"(after {time.monotonic() - t0:.1f}s, no restart)")
            return
        time.sleep(0.5)
    print("== sync: the till did not take the new receipt line in time")
