"""A fake Checkbox PRRO server (FastAPI on 127.0.0.1) for tests and demos.

It implements the endpoints our client uses (devices.md §1) with state: cashier sign-in, shifts
(CREATED → OPENED, CLOSING → CLOSED with a Z report), X reports, sell/return receipts that
become DONE after ``polls_to_done`` lookups, service receipts, receipt lookup and search, and
offline operation (reserved codes, go-offline/go-online, ``sell-offline`` with strictly
increasing fiscal dates). A receipt id is an idempotency key: a second POST with the same id
gets 409 and never creates a second document. Switches: ``set_unreachable(True)`` stops the
listener (connection refused), ``hold()``/``release()`` stall requests (the client times out),
``latency`` delays each request. Taxes: VAT is computed per line on the VAT-inclusive price,
excise (5 %) first; a report's ``sell_sum`` is the tax amount, ``sales_turnover`` the turnover.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import uuid
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import uvicorn
from fastapi import Body, FastAPI, Request
from fastapi.responses import JSONResponse

from desktop.devices.fiscal.clock import Clock, system_clock

__all__ = ["UA_TAXES", "CheckboxFake"]

UA_TAXES: list[dict[str, Any]] = [
    {"code": 1, "symbol": "А", "label": "ПДВ 20%", "rate": 20, "no_vat": False},
    {"code": 2, "symbol": "Б", "label": "ПДВ 7%", "rate": 7, "no_vat": False},
    {"code": 3, "symbol": "В", "label": "ПДВ 14%", "rate": 14, "no_vat": False},
    {"code": 4, "symbol": "Г", "label": "ПДВ 0%", "rate": 0, "no_vat": False},
    {"code": 5, "symbol": "Д", "label": "Без ПДВ", "rate": 0, "no_vat": True},
    {"code": 6, "symbol": "Е", "label": "Акцизний податок 5%", "rate": 5, "no_vat": False},
]


class _Fail(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _r(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), ROUND_HALF_UP))


def _iso(d: datetime) -> str:
    return d.isoformat(timespec="milliseconds")


class CheckboxFake:
    def __init__(self, *, clock: Clock = system_clock, license_key: str = "test-license",
                 login: str = "cashier", password: str = "secret",
                 fiscal_number: str = "4000012345", polls_to_done: int = 1) -> None:
        self.clock, self.license_key, self.fiscal_number = clock, license_key, fiscal_number
        self.users, self.polls_to_done = {login: password}, polls_to_done
        self.taxes = {t["code"]: t for t in UA_TAXES}
        self.tokens: set[str] = set()
        self.receipts: dict[str, dict[str, Any]] = {}
        self.shifts: dict[str, dict[str, Any]] = {}
        self.shift_id: str | None = None
        self.z_serial = 0
        self.code_seq = 0
        self.asked: list[str] = []
        self.handed: set[str] = set()
        self.used: set[str] = set()
        self.offline: dict[str, Any] | None = None
        self.offline_sessions: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str]] = []
        self.latency = 0.0
        self._pending: dict[str, int] = {}
        self._lock = threading.RLock()
        self._held = False
        self._in_flight = 0
        self._cond = threading.Condition()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None
        self.port = 0
        self.app = self._build()

    # -- switches and server -----------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> str:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # inherited by clients
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        self._sock = sock
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off",
                                timeout_graceful_shutdown=1)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        daemon=True, name="checkbox-fake")
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("fake Checkbox did not start")
            time.sleep(0.005)
        return self.base_url

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
            self._server = self._thread = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def set_unreachable(self, on: bool = True) -> None:
        """On: nothing listens on the port (connection refused). Off: listen again."""
        if on:
            self.stop()
        elif self._server is None:
            self.start()

    def hold(self) -> None:
        self._held = True

    def release(self) -> None:
        self._held = False

    def wait_idle(self, timeout: float = 10.0) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self._in_flight == 0 and not self._held, timeout)

    def __enter__(self) -> CheckboxFake:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._held = False
        self.stop()

    # -- inspection --------------------------------------------------------------------------
    def documents(self, *types: str) -> list[dict[str, Any]]:
        with self._lock:
            return [r for r in self.receipts.values() if not types or r["type"] in types]

    # -- rules -------------------------------------------------------------------------------
    def _shift(self) -> dict[str, Any]:
        shift = self.shifts.get(self.shift_id or "")
        if shift is None or shift["status"] != "OPENED":
            raise _Fail(400, "Зміну не відкрито (shift is not opened)")
        return shift

    def _shift_fresh(self, shift: dict[str, Any]) -> None:
        if self.clock() - shift["_opened"] >= timedelta(hours=24):
            raise _Fail(400, "Зміна триває понад 24 години: закрийте її Z-звітом")

    def _next_code(self) -> str:
        self.code_seq += 1
        return str(7_000_000_000 + self.code_seq)

    def _totals(self) -> dict[str, Any]:
        return {"taxes": {}, "payments": {}, "sell": 0, "ret": 0, "balance": 0}

    def _check_offline_doc(self, body: dict[str, Any]) -> datetime:
        if self.offline is None:
            raise _Fail(400, "cash register is not in offline mode")
        code = str(body.get("fiscal_code") or "")
        if code not in self.handed or code in self.used:
            raise _Fail(400, f"fiscal code {code!r} was not reserved or is already used")
        date = datetime.fromisoformat(str(body.get("fiscal_date")).replace("Z", "+00:00"))
        if date <= self.offline["last_date"]:
            raise _Fail(400, "fiscal_date must be later than the previous offline document")
        return date

    def _take_offline(self, body: dict[str, Any], date: datetime) -> tuple[str, datetime]:
        assert self.offline is not None
        code = str(body["fiscal_code"])
        self.used.add(code)
        self.offline["last_date"] = date
        self.offline["docs"] += 1
        return code, date

    def _sell(self, body: dict[str, Any], offline: bool) -> dict[str, Any]:
        rid = str(body.get("id") or uuid.uuid4())
        if rid in self.receipts:
            raise _Fail(409, f"receipt {rid} already exists")
        goods = body.get("goods") or []
        if not goods:
            raise _Fail(422, "goods must not be empty")
        shift = self.shifts.get(self.shift_id or "") if offline else self._shift()
        if shift is None:
            raise _Fail(400, "no shift for offline receipt")
        if not offline:
            self._shift_fresh(shift)
        returns = {bool(g.get("is_return")) for g in goods}
        if len(returns) != 1:
            raise _Fail(422, "a receipt is either a sale or a return")
        is_return = returns.pop()
        lines, taxes, total = [], {}, 0
        for g in goods:
            good, qty = g["good"], int(g["quantity"])
            if qty <= 0 or int(good["price"]) < 0:
                raise _Fail(422, "quantity and price must be positive")
            disc = sum(int(d["value"]) for d in g.get("discounts") or [])
            gross = _r(Decimal(int(good["price"])) * qty / 1000) - disc
            codes = [int(c) for c in good.get("tax") or []]
            if not codes or any(c not in self.taxes for c in codes):
                raise _Fail(422, f"unknown tax codes {codes}")
            excise = [c for c in codes if "кциз" in self.taxes[c]["label"].lower()]
            exc = _r(Decimal(gross) * 5 / 105) if excise else 0
            for c in codes:
                t = self.taxes[c]
                value = exc if c in excise else _r(Decimal(gross - exc) * t["rate"]
                                                   / (100 + t["rate"]))
                slot = taxes.setdefault(c, {"value": 0, "turnover": 0})
                slot["value"] += value
                slot["turnover"] += gross
            lines.append({"good": good, "quantity": qty, "sum": gross, "is_return": is_return,
                          "discounts": g.get("discounts") or []})
            total += gross
        if is_return:
            self._check_return(body, goods)
        round_sum = (_r(Decimal(total) / 10) * 10 - total) if body.get("rounding") else 0
        due = total + round_sum
        pays = body.get("payments") or []
        paid = sum(int(p["value"]) for p in pays)
        card = sum(int(p["value"]) for p in pays if p.get("type") != "CASH")
        if paid < due or card > due or any(int(p["value"]) <= 0 for p in pays):
            raise _Fail(422, f"payments {paid} do not match the total {due}")
        code, date = (self._take_offline(body, self._check_offline_doc(body)) if offline
                      else (self._next_code(), self.clock()))
        receipt = {
            "id": rid, "serial": shift["_receipts"] + 1, "type": "RETURN" if is_return else "SELL",
            "status": "DONE" if offline else "CREATED", "goods": lines, "payments": pays,
            "total_sum": total, "total_payment": paid, "total_rest": paid - due,
            "round_sum": round_sum, "fiscal_code": code, "fiscal_date": _iso(date),
            "taxes": [{**self.taxes[c], "value": v["value"]} for c, v in taxes.items()],
            "is_created_offline": offline, "related_receipt_id": body.get("related_receipt_id"),
            "delivery": body.get("delivery"),
            "tax_url": f"https://cabinet.tax.gov.ua/cashregs/check?fn={self.fiscal_number}"
                       f"&id={code}", "shift": {"id": shift["id"], "serial": shift["serial"]},
            "created_at": _iso(self.clock()), "_taxes": taxes, "_cash": paid - card - (paid - due),
        }
        shift["_receipts"] += 1
        self._account(shift, receipt)
        self.receipts[rid] = receipt
        self._pending[rid] = 0 if offline else self.polls_to_done
        return receipt

    def _check_return(self, body: dict[str, Any], goods: list[dict[str, Any]]) -> None:
        orig = self.receipts.get(str(body.get("related_receipt_id") or ""))
        if orig is None or orig["type"] != "SELL":
            raise _Fail(422, "related_receipt_id must name a sale receipt")
        left: dict[str, int] = {}
        for ln in orig["goods"]:
            left[ln["good"]["code"]] = left.get(ln["good"]["code"], 0) + ln["quantity"]
        for r in self.receipts.values():
            if r["type"] == "RETURN" and r["related_receipt_id"] == orig["id"]:
                for ln in r["goods"]:
                    left[ln["good"]["code"]] -= ln["quantity"]
        for g in goods:
            code = g["good"]["code"]
            left[code] = left.get(code, 0) - int(g["quantity"])
            if left[code] < 0:
                raise _Fail(422, f"return of {code} exceeds what was sold")

    def _account(self, shift: dict[str, Any], r: dict[str, Any]) -> None:
        t = shift["_totals"]
        ret = r["type"] == "RETURN"
        t["ret" if ret else "sell"] += 1
        for code, v in r["_taxes"].items():
            slot = t["taxes"].setdefault(code, {"sell_sum": 0, "return_sum": 0,
                                                "sales_turnover": 0, "returns_turnover": 0})
            slot["return_sum" if ret else "sell_sum"] += v["value"]
            slot["returns_turnover" if ret else "sales_turnover"] += v["turnover"]
        for p in r["payments"]:
            kind = "CASH" if p.get("type") == "CASH" else "CASHLESS"
            slot = self._pay(t, kind)
            value = int(p["value"]) if kind != "CASH" else int(p["value"]) - r["total_rest"]
            slot["return_sum" if ret else "sell_sum"] += value
        t["balance"] += -r["_cash"] if ret else r["_cash"]

    def _pay(self, t: dict[str, Any], kind: str) -> dict[str, int]:
        return t["payments"].setdefault(kind, {"sell_sum": 0, "return_sum": 0, "service_in": 0,
                                               "service_out": 0})

    def _service(self, body: dict[str, Any]) -> dict[str, Any]:
        rid = str(body.get("id") or uuid.uuid4())
        if rid in self.receipts:
            raise _Fail(409, f"receipt {rid} already exists")
        offline = body.get("fiscal_code") is not None
        shift = self.shifts.get(self.shift_id or "") if offline else self._shift()
        if shift is None:
            raise _Fail(400, "no shift")
        value = int(body["payment"]["value"])
        t = shift["_totals"]
        if value == 0 or (value < 0 and -value > t["balance"]):
            raise _Fail(400, "service amount is zero or exceeds the cash balance")
        code, date = (self._take_offline(body, self._check_offline_doc(body)) if offline
                      else (self._next_code(), self.clock()))
        slot = self._pay(t, "CASH")
        slot["service_in" if value > 0 else "service_out"] += abs(value)
        t["balance"] += value
        r = {"id": rid, "type": "SERVICE_IN" if value > 0 else "SERVICE_OUT",
             "status": "DONE" if offline else "CREATED", "fiscal_code": code,
             "fiscal_date": _iso(date), "total_sum": abs(value), "payments": [body["payment"]],
             "goods": [], "is_created_offline": offline, "shift": {"id": shift["id"]},
             "serial": shift["_receipts"] + 1, "tax_url": None}
        shift["_receipts"] += 1
        self.receipts[rid] = r
        self._pending[rid] = 0 if offline else self.polls_to_done
        return r

    def _report(self, shift: dict[str, Any], z: bool) -> dict[str, Any]:
        t = shift["_totals"]
        if z:
            self.z_serial += 1
        return {
            "id": str(uuid.uuid4()), "serial": self.z_serial if z else shift["serial"],
            "is_z_report": z, "fiscal_code": self._next_code() if z else None,
            "taxes": [{**self.taxes[c], **v} for c, v in sorted(t["taxes"].items())],
            "payments": [{"type": k, "label": k, **v} for k, v in sorted(t["payments"].items())],
            "sell_receipts_count": t["sell"], "return_receipts_count": t["ret"],
            "balance": t["balance"], "initial": 0, "created_at": _iso(self.clock())}

    @staticmethod
    def _public(r: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in r.items() if not k.startswith("_")}

    # -- app ---------------------------------------------------------------------------------
    def _build(self) -> FastAPI:
        app = FastAPI(title="Fake Checkbox")
        fake = self

        @app.middleware("http")
        async def gate(request: Request, call_next: Any) -> Any:
            with fake._cond:
                fake._in_flight += 1
            try:
                while fake._held:
                    await asyncio.sleep(0.01)
                if fake.latency:
                    await asyncio.sleep(fake.latency)
                fake.requests.append((request.method, request.url.path))
                if request.url.path != "/api/v1/cashier/signin":
                    auth = request.headers.get("authorization", "")
                    if auth.removeprefix("Bearer ") not in fake.tokens:
                        return JSONResponse({"message": "Not authenticated"}, 401)
                if not request.headers.get("x-client-name"):
                    return JSONResponse({"message": "X-Client-Name is required"}, 400)
                return await call_next(request)
            finally:
                with fake._cond:
                    fake._in_flight -= 1
                    fake._cond.notify_all()

        def run(fn: Any) -> Any:
            with fake._lock:
                try:
                    return fn()
                except _Fail as f:
                    return JSONResponse({"message": f.message}, f.status)

        p = "/api/v1"

        @app.post(f"{p}/cashier/signin")
        def signin(body: dict[str, Any] = Body(...)) -> Any:
            if fake.users.get(body.get("login", "")) != body.get("password"):
                return JSONResponse({"message": "Invalid credentials"}, 401)
            token = uuid.uuid4().hex
            fake.tokens.add(token)
            return {"access_token": token, "token_type": "bearer"}

        @app.get(f"{p}/cashier/me")
        def me() -> Any:
            return {"id": "cashier-1", "full_name": "Test Cashier"}

        @app.get(f"{p}/cashier/tax")
        def taxes() -> Any:
            return list(UA_TAXES)

        @app.get(f"{p}/cashier/shift")
        def current_shift() -> Any:
            with fake._lock:
                s = fake.shifts.get(fake.shift_id or "")
                return fake._public(s) if s and s["status"] in ("OPENED", "CREATED") else None

        @app.get(f"{p}/cash-registers/info")
        def info() -> Any:
            return {"id": "register-1", "fiscal_number": fake.fiscal_number,
                    "offline_mode": fake.offline is not None, "has_shift": bool(fake.shift_id),
                    "is_test": True}

        @app.post(f"{p}/shifts")
        def open_shift(body: dict[str, Any] = Body(default={})) -> Any:
            def go() -> Any:
                if fake.shift_id and fake.shifts[fake.shift_id]["status"] != "CLOSED":
                    raise _Fail(400, "Зміну вже відкрито")
                sid = str(body.get("id") or uuid.uuid4())
                now = fake.clock()
                fake.shifts[sid] = {"id": sid, "serial": len(fake.shifts) + 1,
                                    "status": "CREATED", "opened_at": _iso(now), "_opened": now,
                                    "_receipts": 0, "_totals": fake._totals(), "z_report": None}
                fake.shift_id = sid
                return fake._public(fake.shifts[sid])
            return run(go)

        @app.get(f"{p}/shifts/{{sid}}")
        def get_shift(sid: str) -> Any:
            def go() -> Any:
                s = fake.shifts.get(sid)
                if s is None:
                    raise _Fail(404, "shift not found")
                s["status"] = {"CREATED": "OPENED", "CLOSING": "CLOSED"}.get(s["status"],
                                                                             s["status"])
                return fake._public(s)
            return run(go)

        @app.post(f"{p}/shifts/close")
        def close_shift(body: dict[str, Any] = Body(default={})) -> Any:
            def go() -> Any:
                s = fake._shift()
                s["status"], s["closed_at"] = "CLOSING", _iso(fake.clock())
                s["z_report"] = fake._report(s, z=True)
                return fake._public(s)
            return run(go)

        @app.post(f"{p}/reports")
        def x_report() -> Any:
            return run(lambda: fake._report(fake._shift(), z=False))

        @app.post(f"{p}/receipts/sell")
        def sell(body: dict[str, Any] = Body(...)) -> Any:
            return run(lambda: fake._public(fake._sell(body, offline=False)))

        @app.post(f"{p}/receipts/sell-offline")
        def sell_offline(body: dict[str, Any] = Body(...)) -> Any:
            return run(lambda: fake._public(fake._sell(body, offline=True)))

        @app.post(f"{p}/receipts/service")
        def service(body: dict[str, Any] = Body(...)) -> Any:
            return run(lambda: fake._public(fake._service(body)))

        @app.get(f"{p}/receipts/search")
        def search(fiscal_code: str = "") -> Any:
            with fake._lock:
                return {"results": [fake._public(r) for r in fake.receipts.values()
                                    if r["fiscal_code"] == fiscal_code]}

        @app.get(f"{p}/receipts/{{rid}}")
        def receipt(rid: str) -> Any:
            def go() -> Any:
                r = fake.receipts.get(rid)
                if r is None:
                    raise _Fail(404, "receipt not found")
                if r["status"] == "CREATED":
                    fake._pending[rid] -= 1
                    if fake._pending[rid] < 0:
                        r["status"] = "DONE"
                return fake._public(r)
            return run(go)

        @app.post(f"{p}/cash-registers/ping-tax-service")
        def ping() -> Any:
            return {"status": "ok"}

        @app.get(f"{p}/cash-registers/ask-offline-codes")
        def ask_codes(count: int = 2000) -> Any:
            with fake._lock:
                fake.asked += [fake._next_code() for _ in range(count)]
                return {"status": "ok"}

        @app.get(f"{p}/cash-registers/get-offline-codes")
        def get_codes(count: int = 100) -> Any:
            with fake._lock:
                out, fake.asked = fake.asked[:count], fake.asked[count:]
                fake.handed.update(out)
                return [{"fiscal_code": c} for c in out]

        @app.get(f"{p}/cash-registers/get-offline-codes-count")
        def codes_count() -> Any:
            return {"available": len(fake.asked), "enough_offline_codes": len(fake.asked) > 0}

        @app.post(f"{p}/cash-registers/go-offline")
        def go_offline(body: dict[str, Any] = Body(default={})) -> Any:
            def go() -> Any:
                code = str(body.get("fiscal_code") or "")
                if fake.offline is not None:
                    if fake.offline["code"] == code:
                        return {"status": "ok"}
                    raise _Fail(400, "already offline")
                if code not in fake.handed or code in fake.used:
                    raise _Fail(400, "go-offline needs an unused reserved fiscal code")
                fake.used.add(code)
                start = datetime.fromisoformat(str(body["go_offline_date"]).replace("Z",
                                                                                    "+00:00"))
                fake.offline = {"code": code, "start": start, "last_date": start, "docs": 0}
                return {"status": "ok"}
            return run(go)

        @app.post(f"{p}/cash-registers/go-online")
        def go_online() -> Any:
            with fake._lock:
                if fake.offline is not None:
                    fake.offline_sessions.append(fake.offline)
                fake.offline = None
                return {"status": "ok"}

        return app


def main(argv: list[str] | None = None) -> int:
    """``python -m desktop.devices.emulators.checkbox_fake [--port N]``: serve until stopped;
    prints ``url http://127.0.0.1:PORT`` first (login ``cashier``/``secret``, licence
    ``test-license``)."""
    import argparse
    import signal

    ap = argparse.ArgumentParser(prog="python -m desktop.devices.emulators.checkbox_fake")
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args(argv)
    fake = CheckboxFake()
    fake.port = args.port
    print(f"url {fake.start()}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    fake.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
