"""The fake cash register's state and rules: shifts, receipts, reports and offline codes.

Shifts go CREATED → OPENED and CLOSING → CLOSED (with a Z report) as they are looked up; sell,
return and service receipts become DONE after ``polls_to_done`` lookups. A receipt id is an
idempotency key: a second document with the same id is refused with 409. Offline operation
uses reserved codes (go-offline/go-online, ``sell-offline`` with strictly increasing fiscal
dates). Taxes: VAT is computed per line on the VAT-inclusive price, excise (5 %) first; a
report's ``sell_sum`` is the tax amount, ``sales_turnover`` the turnover.

Documents are plain dicts in the wire shape; keys starting with ``_`` are bookkeeping that
:func:`public` strips. Callers hold ``lock`` around every call.
"""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from shared.clock import Clock

__all__ = ["UA_TAXES", "Refused", "Register", "iso", "public"]

UA_TAXES: list[dict[str, Any]] = [
    {"code": 1, "symbol": "А", "label": "ПДВ 20%", "rate": 20, "no_vat": False},
    {"code": 2, "symbol": "Б", "label": "ПДВ 7%", "rate": 7, "no_vat": False},
    {"code": 3, "symbol": "В", "label": "ПДВ 14%", "rate": 14, "no_vat": False},
    {"code": 4, "symbol": "Г", "label": "ПДВ 0%", "rate": 0, "no_vat": False},
    {"code": 5, "symbol": "Д", "label": "Без ПДВ", "rate": 0, "no_vat": True},
    {"code": 6, "symbol": "Е", "label": "Акцизний податок 5%", "rate": 5, "no_vat": False},
]


class Refused(Exception):
    """The service refuses the request: the HTTP status and message it answers."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _r(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), ROUND_HALF_UP))


def iso(d: datetime) -> str:
    return d.isoformat(timespec="milliseconds")


def public(doc: dict[str, Any]) -> dict[str, Any]:
    """A document without its bookkeeping keys."""
    return {k: v for k, v in doc.items() if not k.startswith("_")}


def _totals() -> dict[str, Any]:
    return {"taxes": {}, "payments": {}, "sell": 0, "ret": 0, "balance": 0}


def _pay(t: dict[str, Any], kind: str) -> dict[str, int]:
    slot: dict[str, int] = t["payments"].setdefault(
        kind, {"sell_sum": 0, "return_sum": 0, "service_in": 0, "service_out": 0})
    return slot


class Register:
    """One cash register: its shifts, documents, Z counter and offline codes."""

    def __init__(self, *, clock: Clock, fiscal_number: str, polls_to_done: int) -> None:
        self.clock, self.fiscal_number, self.polls_to_done = clock, fiscal_number, polls_to_done
        self.taxes = {t["code"]: t for t in UA_TAXES}
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
        self._pending: dict[str, int] = {}
        self.lock = threading.RLock()

    def documents(self, *types: str) -> list[dict[str, Any]]:
        with self.lock:
            return [r for r in self.receipts.values() if not types or r["type"] in types]

    # -- shifts ------------------------------------------------------------------------------
    def current_shift(self) -> dict[str, Any] | None:
        s = self.shifts.get(self.shift_id or "")
        return public(s) if s and s["status"] in ("OPENED", "CREATED") else None

    def open_shift(self, body: dict[str, Any]) -> dict[str, Any]:
        if self.shift_id and self.shifts[self.shift_id]["status"] != "CLOSED":
            raise Refused(400, "Зміну вже відкрито")
        sid = str(body.get("id") or uuid.uuid4())
        now = self.clock.now()
        self.shifts[sid] = {"id": sid, "serial": len(self.shifts) + 1, "status": "CREATED",
                            "opened_at": iso(now), "_opened": now, "_receipts": 0,
                            "_totals": _totals(), "z_report": None}
        self.shift_id = sid
        return public(self.shifts[sid])

    def poll_shift(self, sid: str) -> dict[str, Any]:
        """A lookup: the shift moves on from CREATED or CLOSING."""
        s = self.shifts.get(sid)
        if s is None:
            raise Refused(404, "shift not found")
        s["status"] = {"CREATED": "OPENED", "CLOSING": "CLOSED"}.get(s["status"], s["status"])
        return public(s)

    def close_shift(self) -> dict[str, Any]:
        s = self._shift()
        s["status"], s["closed_at"] = "CLOSING", iso(self.clock.now())
        s["z_report"] = self.report(s, z=True)
        return public(s)

    def x_report(self) -> dict[str, Any]:
        return self.report(self._shift(), z=False)

    def report(self, shift: dict[str, Any], z: bool) -> dict[str, Any]:
        t = shift["_totals"]
        if z:
            self.z_serial += 1
        return {
            "id": str(uuid.uuid4()), "serial": self.z_serial if z else shift["serial"],
            "is_z_report": z, "fiscal_code": self._next_code() if z else None,
            "taxes": [{**self.taxes[c], **v} for c, v in sorted(t["taxes"].items())],
            "payments": [{"type": k, "label": k, **v} for k, v in sorted(t["payments"].items())],
            "sell_receipts_count": t["sell"], "return_receipts_count": t["ret"],
            "balance": t["balance"], "initial": 0, "created_at": iso(self.clock.now())}

    def _shift(self) -> dict[str, Any]:
        shift = self.shifts.get(self.shift_id or "")
        if shift is None or shift["status"] != "OPENED":
            raise Refused(400, "Зміну не відкрито (shift is not opened)")
        return shift

    def _shift_fresh(self, shift: dict[str, Any]) -> None:
        if self.clock.now() - shift["_opened"] >= timedelta(hours=24):
            raise Refused(400, "Зміна триває понад 24 години: закрийте її Z-звітом")

    def _next_code(self) -> str:
        self.code_seq += 1
        return str(7_000_000_000 + self.code_seq)

    # -- receipts ----------------------------------------------------------------------------
    def sell(self, body: dict[str, Any], offline: bool) -> dict[str, Any]:
        rid = str(body.get("id") or uuid.uuid4())
        if rid in self.receipts:
            raise Refused(409, f"receipt {rid} already exists")
        goods = body.get("goods") or []
        if not goods:
            raise Refused(422, "goods must not be empty")
        shift = self.shifts.get(self.shift_id or "") if offline else self._shift()
        if shift is None:
            raise Refused(400, "no shift for offline receipt")
        if not offline:
            self._shift_fresh(shift)
        returns = {bool(g.get("is_return")) for g in goods}
        if len(returns) != 1:
            raise Refused(422, "a receipt is either a sale or a return")
        is_return = returns.pop()
        lines: list[dict[str, Any]] = []
        taxes: dict[int, dict[str, int]] = {}
        total = 0
        for g in goods:
            good, qty = g["good"], int(g["quantity"])
            if qty <= 0 or int(good["price"]) < 0:
                raise Refused(422, "quantity and price must be positive")
            disc = sum(int(d["value"]) for d in g.get("discounts") or [])
            gross = _r(Decimal(int(good["price"])) * qty / 1000) - disc
            codes = [int(c) for c in good.get("tax") or []]
            if not codes or any(c not in self.taxes for c in codes):
                raise Refused(422, f"unknown tax codes {codes}")
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
            raise Refused(422, f"payments {paid} do not match the total {due}")
        code, date = (self._take_offline(body, self._check_offline_doc(body)) if offline
                      else (self._next_code(), self.clock.now()))
        receipt = {
            "id": rid, "serial": shift["_receipts"] + 1, "type": "RETURN" if is_return else "SELL",
            "status": "DONE" if offline else "CREATED", "goods": lines, "payments": pays,
            "total_sum": total, "total_payment": paid, "total_rest": paid - due,
            "round_sum": round_sum, "fiscal_code": code, "fiscal_date": iso(date),
            "taxes": [{**self.taxes[c], "value": v["value"]} for c, v in taxes.items()],
            "is_created_offline": offline, "related_receipt_id": body.get("related_receipt_id"),
            "delivery": body.get("delivery"),
            "tax_url": f"https://cabinet.tax.gov.ua/cashregs/check?fn={self.fiscal_number}"
                       f"&id={code}", "shift": {"id": shift["id"], "serial": shift["serial"]},
            "created_at": iso(self.clock.now()), "_taxes": taxes,
            "_cash": paid - card - (paid - due),
        }
        shift["_receipts"] += 1
        self._account(shift, receipt)
        self.receipts[rid] = receipt
        self._pending[rid] = 0 if offline else self.polls_to_done
        return receipt

    def _check_return(self, body: dict[str, Any], goods: list[dict[str, Any]]) -> None:
        orig = self.receipts.get(str(body.get("related_receipt_id") or ""))
        if orig is None or orig["type"] != "SELL":
            raise Refused(422, "related_receipt_id must name a sale receipt")
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
                raise Refused(422, f"return of {code} exceeds what was sold")

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
            slot = _pay(t, kind)
            value = int(p["value"]) if kind != "CASH" else int(p["value"]) - r["total_rest"]
            slot["return_sum" if ret else "sell_sum"] += value
        t["balance"] += -r["_cash"] if ret else r["_cash"]

    def service(self, body: dict[str, Any]) -> dict[str, Any]:
        rid = str(body.get("id") or uuid.uuid4())
        if rid in self.receipts:
            raise Refused(409, f"receipt {rid} already exists")
        offline = body.get("fiscal_code") is not None
        shift = self.shifts.get(self.shift_id or "") if offline else self._shift()
        if shift is None:
            raise Refused(400, "no shift")
        value = int(body["payment"]["value"])
        t = shift["_totals"]
        if value == 0 or (value < 0 and -value > t["balance"]):
            raise Refused(400, "service amount is zero or exceeds the cash balance")
        code, date = (self._take_offline(body, self._check_offline_doc(body)) if offline
                      else (self._next_code(), self.clock.now()))
        slot = _pay(t, "CASH")
        slot["service_in" if value > 0 else "service_out"] += abs(value)
        t["balance"] += value
        r = {"id": rid, "type": "SERVICE_IN" if value > 0 else "SERVICE_OUT",
             "status": "DONE" if offline else "CREATED", "fiscal_code": code,
             "fiscal_date": iso(date), "total_sum": abs(value), "payments": [body["payment"]],
             "goods": [], "is_created_offline": offline, "shift": {"id": shift["id"]},
             "serial": shift["_receipts"] + 1, "tax_url": None}
        shift["_receipts"] += 1
        self.receipts[rid] = r
        self._pending[rid] = 0 if offline else self.polls_to_done
        return r

    def poll_receipt(self, rid: str) -> dict[str, Any]:
        """A lookup: a CREATED receipt is DONE once it was looked up ``polls_to_done`` times."""
        r = self.receipts.get(rid)
        if r is None:
            raise Refused(404, "receipt not found")
        if r["status"] == "CREATED":
            self._pending[rid] -= 1
            if self._pending[rid] < 0:
                r["status"] = "DONE"
        return public(r)

    def search(self, fiscal_code: str) -> list[dict[str, Any]]:
        return [public(r) for r in self.receipts.values() if r["fiscal_code"] == fiscal_code]

    # -- offline codes -----------------------------------------------------------------------
    def ask_codes(self, count: int) -> None:
        self.asked += [self._next_code() for _ in range(count)]

    def hand_codes(self, count: int) -> list[str]:
        out, self.asked = self.asked[:count], self.asked[count:]
        self.handed.update(out)
        return out

    def go_offline(self, body: dict[str, Any]) -> None:
        code = str(body.get("fiscal_code") or "")
        if self.offline is not None:
            if self.offline["code"] == code:
                return
            raise Refused(400, "already offline")
        if code not in self.handed or code in self.used:
            raise Refused(400, "go-offline needs an unused reserved fiscal code")
        self.used.add(code)
        start = datetime.fromisoformat(str(body["go_offline_date"]).replace("Z", "+00:00"))
        self.offline = {"code": code, "start": start, "last_date": start, "docs": 0}

    def go_online(self) -> None:
        if self.offline is not None:
            self.offline_sessions.append(self.offline)
        self.offline = None

    def _check_offline_doc(self, body: dict[str, Any]) -> datetime:
        if self.offline is None:
            raise Refused(400, "cash register is not in offline mode")
        code = str(body.get("fiscal_code") or "")
        if code not in self.handed or code in self.used:
            raise Refused(400, f"fiscal code {code!r} was not reserved or is already used")
        date = datetime.fromisoformat(str(body.get("fiscal_date")).replace("Z", "+00:00"))
        if date <= self.offline["last_date"]:
            raise Refused(400, "fiscal_date must be later than the previous offline document")
        return date

    def _take_offline(self, body: dict[str, Any], date: datetime) -> tuple[str, datetime]:
        assert self.offline is not None
        code = str(body["fiscal_code"])
        self.used.add(code)
        self.offline["last_date"] = date
        self.offline["docs"] += 1
        return code, date
