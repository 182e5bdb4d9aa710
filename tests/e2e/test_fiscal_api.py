"""The local Fiscal API (seed 003): all 10 endpoints over a Datecs emulator and the fake
Checkbox, seed shapes, ``{error, code, details}`` errors, and a crash of the API process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi.testclient import TestClient

from desktop.api.app import create_app
from desktop.app import TillServices
from desktop.config import TillConfig
from desktop.devices.emulators.checkbox_fake import CheckboxFake
from desktop.devices.emulators.datecs import DatecsEmulator
from desktop.devices.fiscal.config import CheckboxConfig, DatecsConfig, FiscalConfig, save_config
from desktop.devices.fiscal.faults import ENV

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
P = "/api/admin/fiscal"


@dataclass
class Setup:
    name: str
    home: Path
    rates: tuple[int, int]  # standard, reduced
    docs: Any  # () -> number of issued sale/return documents on the device
    settle: Any  # () -> wait until the device processed what a killed client sent
    tz: str


@pytest.fixture(params=["datecs", "checkbox"])
def setup(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Setup]:
    home = tmp_path / "till"
    if request.param == "datecs":
        emu = DatecsEmulator("x")
        host, port = emu.serve_tcp()
        save_config(home, FiscalConfig(device="datecs", country="RO", datecs=DatecsConfig(
            host=host, port=port, vat_overrides={"exempt": "E"})))
        yield Setup("datecs", home, (21, 11),
                    lambda: len(emu.documents("sale")) + len(emu.documents("storno")),
                    emu.wait_idle, "Europe/Bucharest")
        emu.close()
    else:
        with CheckboxFake() as fake:
            save_config(home, FiscalConfig(device="checkbox", country="UA",
                                           timezone="Europe/Kyiv", checkbox=CheckboxConfig(
                                               base_url=fake.base_url,
                                               license_key="test-license", login="cashier",
                                               password="secret", poll_interval=0.01)))
            yield Setup("checkbox", home, (20, 7),
                        lambda: len(fake.documents("SELL", "RETURN")), fake.wait_idle,
                        "Europe/Kyiv")


@pytest.fixture
def client(setup: Setup) -> Iterator[TestClient]:
    services = TillServices(TillConfig(home=setup.home))
    with TestClient(create_app(services, token=TOKEN)) as c:
        yield c
    services.close()


def _receipt(rates: tuple[int, int], order: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "items": [
            {"sku": "WINE", "name": "Vin", "price": 4599, "quantity": 2, "taxRate": rates[0]},
            {"sku": "APPLE", "name": "Mere", "price": 699, "quantity": 0.735,
             "taxRate": rates[1]}],
        "payments": [{"type": "card", "amount": 5000}, {"type": "cash", "amount": 10000}],
        "footer": "Multumim!"}
    if order:
        body["orderId"] = order
    return body


@pytest.mark.e2e
def test_all_ten_endpoints_with_the_seed_shapes(setup: Setup, client: TestClient) -> None:
    assert client.get(f"{P}/shift/status").status_code == 401
    st = client.get(f"{P}/shift/status", headers=AUTH).json()
    assert st == {"isOpen": False, "shift": None}

    opened = client.post(f"{P}/shift/open", json={"cashierId": "cashier-1"}, headers=AUTH)
    assert opened.status_code == 200, opened.text
    body = opened.json()
    assert body["success"] is True and body["shift"]["status"] == "OPENED"
    assert set(body["shift"]) >= {"id", "serial", "status", "openedAt", "balance",
                                  "receiptsCount", "totalSales", "totalReturns"}

    dep = client.post(f"{P}/service/deposit", json={"amount": 10000, "comment": "float"},
                      headers=AUTH).json()
    assert dep["success"] is True and dep["receiptId"]

    sold = client.post(f"{P}/receipt", json=_receipt(setup.rates, "order-1"), headers=AUTH)
    assert sold.status_code == 200, sold.text
    r = sold.json()
    assert r["success"] and r["fiscalCode"] and r["receiptId"] and "TOTAL" in r["receiptText"]
    assert set(r) >= {"receiptUrl", "qrCodeUrl", "pdfUrl"}
    if setup.name == "checkbox":
        assert r["receiptUrl"].startswith("https://") and r["pdfUrl"].endswith("/pdf")
    again = client.post(f"{P}/receipt", json=_receipt(setup.rates, "order-1"), headers=AUTH)
    assert again.json()["fiscalCode"] == r["fiscalCode"] and setup.docs() == 1

    detail = client.get(f"{P}/receipt/{r['receiptId']}", headers=AUTH).json()
    total = 2 * 4599 + 514
    assert detail["type"] == "SELL" and detail["total"] == total and detail["status"] == "DONE"
    assert detail["items"][1] == {"name": "Mere", "quantity": 0.735, "price": 699,
                                  "total": 514}
    assert detail["payments"] == [{"type": "CARD", "amount": 5000},
                                  {"type": "CASH", "amount": 10000}]
    by_code = client.get(f"{P}/receipt/{r['fiscalCode']}", headers=AUTH).json()
    assert by_code["id"] == r["receiptId"]

    ret = client.post(f"{P}/return", headers=AUTH, json={
        "originalFiscalCode": r["fiscalCode"],
        "items": [{"sku": "WINE", "name": "Vin", "price": 4599, "quantity": 1,
                   "taxRate": setup.rates[0]}]})
    assert ret.status_code == 200, ret.text
    assert ret.json()["success"] and ret.json()["fiscalCode"]

    out = client.post(f"{P}/service/withdraw", json={"amount": 5000, "comment": "bank"},
                      headers=AUTH)
    assert out.status_code == 200, out.text

    status = client.get(f"{P}/shift/status", params={"cashierId": "cashier-1"},
                        headers=AUTH).json()
    assert status["isOpen"] is True
    assert status["shift"]["receiptsCount"] == 1
    assert status["shift"]["totalSales"] == total and status["shift"]["totalReturns"] == 4599
    assert status["shift"]["balance"] == 10000 + (total - 5000) - 4599 - 5000

    today = datetime.now(ZoneInfo(setup.tz)).date().isoformat()
    daily = client.get(f"{P}/reports/daily", params={"date": today}, headers=AUTH).json()
    assert daily["totalSales"] == total and daily["totalReturns"] == 4599
    assert daily["receiptsCount"] == 1 and daily["returnsCount"] == 1
    assert daily["cardPayments"] == 5000 and daily["onlinePayments"] == 0
    assert daily["shifts"][0]["id"] == body["shift"]["id"]

    closed = client.post(f"{P}/shift/close", json={"cashierId": "cashier-1"}, headers=AUTH)
    assert closed.status_code == 200, closed.text
    z = closed.json()["zReport"]
    assert z["paymentsSum"] == total and z["returnsSum"] == 4599
    assert z["receiptsCount"] == 1 and z["returnsCount"] == 1
    by_rate = {int(t["rate"]): t for t in z["taxes"] if "кциз" not in t["label"].lower()}
    assert by_rate[setup.rates[0]]["salesTurnover"] == 2 * 4599
    assert by_rate[setup.rates[0]]["returnsTurnover"] == 4599
    std = by_rate[setup.rates[0]]
    assert std["sellSum"] + std["salesVat"] == std["salesTurnover"]

    start = (date.fromisoformat(today) - timedelta(days=30)).isoformat()
    period = client.get(f"{P}/reports/period", params={"from": start, "to": today},
                        headers=AUTH)
    assert period.status_code == 200, period.text
    pj = period.json()
    assert pj["from"] == start and pj["totalSales"] == total and len(pj["dailyReports"]) == 31
    assert sum(d["receiptsCount"] for d in pj["dailyReports"]) == 1


def _err(resp: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error", "code", "details"} and body["code"] == code, body
    return body


@pytest.mark.e2e
def test_bad_input_gets_specific_codes_and_no_partial_state(setup: Setup,
                                                            client: TestClient) -> None:
    _err(client.post(f"{P}/receipt", json=_receipt(setup.rates), headers=AUTH), 400,
         "FISCAL_SHIFT_NOT_OPEN")
    _err(client.post(f"{P}/shift/close", json={}, headers=AUTH), 400, "FISCAL_SHIFT_NOT_OPEN")
    client.post(f"{P}/shift/open", json={}, headers=AUTH)
    _err(client.post(f"{P}/shift/open", json={}, headers=AUTH), 400,
         "FISCAL_SHIFT_ALREADY_OPEN")
    short = _receipt(setup.rates)
    short["payments"] = [{"type": "card", "amount": 100}]
    body = _err(client.post(f"{P}/receipt", json=short, headers=AUTH), 422,
                "FISCAL_PAYMENT_MISMATCH")
    assert body["details"]["total"] == 2 * 4599 + 514
    wrong_rate = _receipt(setup.rates)
    wrong_rate["items"][0]["taxRate"] = 19
    _err(client.post(f"{P}/receipt", json=wrong_rate, headers=AUTH), 422,
         "FISCAL_INVALID_DOCUMENT")
    _err(client.post(f"{P}/return", headers=AUTH, json={
        "originalFiscalCode": "no-such-receipt",
        "items": [{"name": "Vin", "price": 4599, "quantity": 1, "taxRate": setup.rates[0]}]}),
        422, "FISCAL_ORIGINAL_NOT_FOUND")
    _err(client.post(f"{P}/receipt", json={"items": []}, headers=AUTH), 422,
         "VALIDATION_ERROR")
    _err(client.get(f"{P}/receipt/0191e2a0-0000-7000-8000-000000000000", headers=AUTH), 404,
         "RESOURCE_NOT_FOUND")
    _err(client.post(f"{P}/service/withdraw", json={"amount": 10**9}, headers=AUTH),
         409, "FISCAL_CASH_INSUFFICIENT" if setup.name == "datecs" else "FISCAL_SERVER_REFUSED")
    _err(client.get(f"{P}/reports/period", params={"from": "2026-02-01", "to": "2026-01-01"},
                    headers=AUTH), 422, "FISCAL_INVALID_DOCUMENT")
    for params in ({"date": "0001-01-01"}, {"date": "9999-12-31"}):  # zone math at the edges
        _err(client.get(f"{P}/reports/daily", params=params, headers=AUTH), 422,
             "VALIDATION_ERROR")
    _err(client.get(f"{P}/reports/period", params={"from": "0001-01-01", "to": "0001-01-02"},
                    headers=AUTH), 422, "VALIDATION_ERROR")
    for path in ("service/deposit", "service/withdraw"):  # an empty idempotency key
        for _ in range(2):  # refused every time, never stored
            _err(client.post(f"{P}/{path}", json={"amount": 100, "orderId": ""},
                             headers=AUTH), 422, "VALIDATION_ERROR")
    assert setup.docs() == 0
    attention = client.get(f"{P}/attention", headers=AUTH).json()
    assert [a["status"] for a in attention] == ["REJECTED"]  # the refused withdrawal only


@pytest.mark.e2e
def test_device_error_bits_reach_the_client_as_codes(tmp_path: Path) -> None:
    emu = DatecsEmulator("x")
    host, port = emu.serve_tcp()
    home = tmp_path / "till"
    save_config(home, FiscalConfig(device="datecs", datecs=DatecsConfig(host=host, port=port)))
    services = TillServices(TillConfig(home=home))
    app = create_app(services, token=TOKEN)
    try:
        with TestClient(app) as c:
            c.post(f"{P}/shift/open", json={}, headers=AUTH)
            emu.set_flag("cover_open")
            body = _err(c.post(f"{P}/receipt", json=_receipt((21, 11)), headers=AUTH), 503,
                        "FISCAL_COVER_OPEN")
            assert "cover_open" in body["details"]["status_bits"]
            emu.set_flag("cover_open", False)
            emu.set_flag("fm_full")
            _err(c.post(f"{P}/receipt", json=_receipt((21, 11)), headers=AUTH), 502,
                 "FISCAL_MEMORY_FULL")
            assert emu.documents() == [] and emu.memory.open is None
            dev = c.get(f"{P}/device", headers=AUTH).json()
            assert "fiscal memory is full" in dev["errors"]
    finally:
        services.close()
        emu.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(home: Path, port: int, kill_at: str | None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TILLBRIDGE_HOME": str(home)}
    env.pop(ENV, None)
    if kill_at:
        env[ENV] = kill_at
    code = ("import sys, uvicorn; from pathlib import Path; from desktop.api.app import "
            "create_app; from desktop.app import TillServices; from desktop.config import "
            "TillConfig; uvicorn.run(create_app(TillServices(TillConfig(home=Path(sys.argv[2]))),"
            " token=sys.argv[1]), host='127.0.0.1', port=int(sys.argv[3]), log_level='warning')")
    proc = subprocess.Popen([sys.executable, "-c", code, TOKEN, str(home), str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=0.5)
            return proc
        except httpx.TransportError:
            if proc.poll() is not None:
                raise RuntimeError("till API did not start") from None
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("till API did not start in time")


@pytest.mark.e2e
@pytest.mark.slow
def test_api_process_killed_after_sending_issues_the_order_once(setup: Setup) -> None:
    """GIVEN the till's API process dies right after the receipt left for the device
    WHEN it is restarted and the client posts the same order again
    THEN the answer carries the receipt the device issued before the crash; the device holds
    exactly one."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}{P}"
    proc = _serve(setup.home, port, "request_sent")
    try:
        assert httpx.post(f"{base}/shift/open", json={}, headers=AUTH).status_code == 200
        with pytest.raises(httpx.TransportError):
            httpx.post(f"{base}/receipt", json=_receipt(setup.rates, "order-77"), headers=AUTH,
                       timeout=30)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert setup.settle()
    proc = _serve(setup.home, port, None)
    try:
        r = httpx.post(f"{base}/receipt", json=_receipt(setup.rates, "order-77"), headers=AUTH,
                       timeout=30)
        assert r.status_code == 200, r.text
        assert r.json()["fiscalCode"] and setup.docs() == 1
        assert httpx.get(f"{base}/attention", headers=AUTH).json() == []
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
