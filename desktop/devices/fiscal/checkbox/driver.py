"""Checkbox PRRO driver (Ukraine): online receipts by our id, offline receipts from reserved codes.

Online, our receipt id is Checkbox's receipt id, so a resend can never create a second receipt
and reconciliation is a lookup (``GET receipts/{id}``: 404 → not issued). When the server cannot
be reached at all (connection refused/unreachable: the request certainly did not arrive), the
receipt is issued offline: it takes the next reserved fiscal code and a strictly later fiscal
date in one durable transaction and waits in the upload queue. If the request may have arrived
(timeout after sending) the receipt is *in doubt* instead: issuing it offline too could create
two legal documents for one sale. Back online, queued documents are uploaded in order between
``go-offline`` and ``go-online``, each exactly once.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import structlog

from desktop.devices.errors import DeviceError, DeviceRejected
from desktop.devices.fiscal.base import DeviceState, FiscalDriver, Outcome, Reconciled
from desktop.devices.fiscal.checkbox import mapping
from desktop.devices.fiscal.checkbox.client import (
    CheckboxClient,
    CheckboxNoAnswer,
    CheckboxRefused,
    CheckboxUnreachable,
)
from desktop.devices.fiscal.checkbox.store import OfflineDoc, OfflineStore
from desktop.devices.fiscal.errors import NotConfigured, OfflineBlocked
from desktop.devices.fiscal.journal import Journal
from desktop.devices.fiscal.model import (
    CashOperation,
    FiscalDocument,
    FiscalResult,
    ReportTotals,
    ShiftInfo,
)
from desktop.devices.fiscal.vat import VatMapper
from shared.clock import Clock, SystemClock
from shared.ids import uuid7

__all__ = ["CheckboxDriver", "CheckboxSettings"]

log = structlog.get_logger(__name__)
T = TypeVar("T")
_FINAL = {"DONE", "ERROR", "CANCELLED"}


@dataclass(frozen=True)
class CheckboxSettings:
    base_url: str
    license_key: str
    login: str = ""
    password: str = ""
    pin_code: str | None = None
    timeout: float = 10.0
    ping_timeout: float = 2.0
    poll_interval: float = 0.75
    poll_attempts: int = 40
    codes_min: int = 20
    codes_batch: int = 100
    tax_overrides: dict[str, str] = field(default_factory=dict)


class CheckboxDriver(FiscalDriver):
    device_shifts = True

    def __init__(self, settings: CheckboxSettings, journal: Journal, *,
                 clock: Clock = SystemClock(), client: CheckboxClient | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.s, self.journal, self.clock, self.sleep = settings, journal, clock, sleep
        self.client = client or CheckboxClient(settings.base_url, license_key=settings.license_key,
                                               timeout=settings.timeout)
        self.device_id = "checkbox"
        self.mapper: VatMapper | None = None
        self.store: OfflineStore | None = None
        with journal.tx() as db:
            db.execute("CREATE TABLE IF NOT EXISTS checkbox_cache (license_key TEXT PRIMARY "
                       "KEY, device TEXT NOT NULL, taxes TEXT NOT NULL)")

    # -- connection --------------------------------------------------------------------------
    def _signin(self) -> None:
        if self.s.pin_code:
            self.client.signin_pin(self.s.pin_code)
        else:
            self.client.signin(self.s.login, self.s.password)

    def _call(self, fn: Callable[[], T]) -> T:
        """Run ``fn``, signing in again once if the token expired."""
        if self.client.token is None:
            self._signin()
        try:
            return fn()
        except CheckboxRefused as exc:
            if exc.code != "FISCAL_SERVER_AUTH":
                raise
            self._signin()
            return fn()

    def connect(self) -> None:
        if self.store is not None and self.client.token is not None:
            return
        try:
            info = self._call(self.client.register_info)
            taxes = self._call(self.client.taxes)
            device = f"checkbox:{info.get('fiscal_number') or info.get('id')}"
            with self.journal.tx() as db:
                db.execute("INSERT OR REPLACE INTO checkbox_cache VALUES (?, ?, ?)",
                           (self.s.license_key, device, json.dumps(taxes)))
        except CheckboxUnreachable:
            rows = self.journal.query("SELECT * FROM checkbox_cache WHERE license_key=?",
                                      (self.s.license_key,))
            if not rows:
                raise
            device, taxes = rows[0]["device"], json.loads(rows[0]["taxes"])
            log.info("checkbox_offline_start", device=device)
        self.device_id = device
        self.mapper = VatMapper(mapping.tax_table(taxes), self.s.tax_overrides)
        if self.store is None or self.store.device != device:
            self.store = OfflineStore(self.journal, device)

    def close(self) -> None:
        self.client.close()

    def _ready(self) -> tuple[VatMapper, OfflineStore]:
        if self.mapper is None or self.store is None:
            self.connect()
        if self.mapper is None or self.store is None:
            raise NotConfigured("Checkbox is not connected")
        return self.mapper, self.store

    def _reachable(self) -> bool:
        try:
            return self._call(lambda: self.client.ping(timeout=self.s.ping_timeout))
        except DeviceError:
            return False

    # -- state, shifts, reports --------------------------------------------------------------
    def state(self) -> DeviceState:
        _, store = self._ready()
        session = store.active_session()
        info: dict[str, Any] = {"offline_codes": store.available(),
                                "pending_uploads": self.pending_uploads(),
                                "offline_since": session.started_at.isoformat() if session
                                else None}
        current, month = store.offline_used(self.clock.now())
        info["offline_hours"] = round(current.total_seconds() / 3600, 2)
        info["offline_hours_month"] = round(month.total_seconds() / 3600, 2)
        try:
            shift = self._call(self.client.current_shift)
        except DeviceError as exc:
            return DeviceState(self.device_id, False, None, errors=(exc.message,), info=info)
        return DeviceState(self.device_id, True, shift is not None, info=info)

    def current_shift(self) -> ShiftInfo | None:
        self._ready()
        data = self._call(self.client.current_shift)
        return mapping.shift_info(data, self.device_id, "") if data else None

    def _online(self, what: str) -> None:
        _, store = self._ready()
        if store.active_session() is not None or store.queued():
            if not self._reachable():
                raise OfflineBlocked(f"{what} needs the fiscal server, which is unreachable")
            self.sync()

    def _poll(self, fetch: Callable[[], dict[str, Any]], done: set[str]) -> dict[str, Any]:
        data = fetch()
        for _ in range(self.s.poll_attempts):
            if data.get("status") in done:
                return data
            self.sleep(self.s.poll_interval)
            data = fetch()
        if data.get("status") in done:
            return data
        raise CheckboxNoAnswer(f"Checkbox still {data.get('status')} after polling",
                               code="FISCAL_SERVER_NO_ANSWER", status=504)

    def open_shift(self, cashier: str) -> ShiftInfo:
        self._online("opening a shift")
        sid = str(uuid7())
        self._call(lambda: self.client.open_shift(sid))
        data = self._poll(lambda: self._call(lambda: self.client.shift(sid)),
                          {"OPENED", "CLOSED"})
        if data["status"] != "OPENED":
            raise DeviceRejected("Checkbox could not open the shift", code="FISCAL_SERVER_REFUSED",
                                 details={"transaction": data.get("initial_transaction")})
        self._top_up()
        return mapping.shift_info(data, self.device_id, cashier)

    def x_report(self) -> ReportTotals:
        self._online("an X report")
        return mapping.report_totals(self._call(self.client.x_report), "X", self.device_id)

    def z_mark(self) -> dict[str, Any]:
        self._online("closing the shift")
        shift = self.current_shift()
        return {"shift": shift.id if shift else None}

    def z_done(self, mark: dict[str, Any]) -> tuple[bool | None, ReportTotals | None]:
        """The server keeps the closed shift and its Z report: fetch them."""
        if not mark.get("shift"):
            return None, None
        try:
            data = self._call(lambda: self.client.shift(str(mark["shift"])))
        except DeviceError:
            return None, None
        if data.get("status") not in ("CLOSING", "CLOSED"):
            return False, None
        data = self._poll(lambda: self._call(lambda: self.client.shift(str(mark["shift"]))),
                          {"CLOSED"})
        z = data.get("z_report")
        return True, mapping.report_totals(z, "Z", self.device_id) if z else None

    def z_report(self) -> ReportTotals:
        self._online("closing the shift")
        shift = self._call(self.client.close_shift)
        sid = str(shift["id"])
        data = self._poll(lambda: self._call(lambda: self.client.shift(sid)), {"CLOSED"})
        z = data.get("z_report")
        if not z:
            raise DeviceRejected("Checkbox closed the shift without a Z report",
                                 code="FISCAL_SERVER_REFUSED")
        return mapping.report_totals(z, "Z", self.device_id)

    # -- documents ---------------------------------------------------------------------------
    def _body(self, doc: FiscalDocument) -> dict[str, Any]:
        mapper, _ = self._ready()
        if isinstance(doc, CashOperation):
            return mapping.service_body(doc)
        return mapping.sell_body(doc, mapper)

    def prepare(self, doc: FiscalDocument) -> dict[str, Any]:
        self._body(doc)  # refuses unmapped VAT before anything is recorded
        return {"receipt_id": str(doc.receipt_id)}

    def issue(self, doc: FiscalDocument, expected: dict[str, Any]) -> FiscalResult:
        _, store = self._ready()
        body = self._body(doc)
        if store.active_session() is not None:
            if not self._reachable():
                return self._issue_offline(doc, body)
            self.sync()
        rid = str(doc.receipt_id)
        try:
            if isinstance(doc, CashOperation):
                data = self._call(lambda: self.client.service(body))
            else:
                data = self._call(lambda: self.client.sell(body))
        except CheckboxUnreachable as exc:
            log.info("checkbox_going_offline", error=exc.message)
            return self._issue_offline(doc, body)
        except CheckboxRefused as exc:
            if exc.code != "FISCAL_SERVER_DUPLICATE":
                raise
            found = self._call(lambda: self.client.receipt(rid))
            if found is None:
                raise
            data = found
        data = self._poll(lambda: self._fetch(rid), _FINAL)
        if data["status"] != "DONE":
            raise DeviceRejected(f"Checkbox did not fiscalise the receipt ({data['status']})",
                                 code="FISCAL_SERVER_REFUSED", details={"status": data["status"]})
        return self._result(doc, data)

    def _fetch(self, rid: str) -> dict[str, Any]:
        data = self._call(lambda: self.client.receipt(rid))
        if data is None:
            raise CheckboxNoAnswer(f"receipt {rid} vanished", code="FISCAL_SERVER_NO_ANSWER")
        return data

    def _result(self, doc: FiscalDocument, data: dict[str, Any]) -> FiscalResult:
        return mapping.result_from(data, doc.kind, self.device_id, self.client.base_url,
                                   doc.total)

    def _issue_offline(self, doc: FiscalDocument, body: dict[str, Any]) -> FiscalResult:
        _, store = self._ready()
        kind = "service" if isinstance(doc, CashOperation) else "sell"
        od = store.issue(str(doc.receipt_id), kind, body, self.clock.now())
        return self._offline_result(doc, od)

    def _offline_result(self, doc: FiscalDocument, od: OfflineDoc) -> FiscalResult:
        payload = f"fn={self.device_id.split(':', 1)[-1]}&id={od.fiscal_code}" \
                  f"&date={od.fiscal_date:%Y%m%d%H%M%S}&sm={doc.total}"
        return FiscalResult(doc.receipt_id, doc.kind, self.device_id, od.fiscal_code,
                            od.fiscal_date, doc.total, qr_payload=payload, offline=True,
                            device_ref=f"offline:{od.seq}")

    def reconcile(self, doc: FiscalDocument, expected: dict[str, Any]) -> Reconciled:
        try:
            _, store = self._ready()
            od = store.find(str(doc.receipt_id))
            if od is not None:
                return Reconciled(Outcome.ISSUED, self._offline_result(doc, od),
                                  f"issued offline with code {od.fiscal_code}")
            data = self._call(lambda: self.client.receipt(str(doc.receipt_id)))
            if data is None:
                return Reconciled(Outcome.NOT_ISSUED, note="Checkbox has no such receipt")
            data = self._poll(lambda: self._fetch(str(doc.receipt_id)), _FINAL)
        except DeviceError as exc:
            return Reconciled(Outcome.UNKNOWN, note=f"Checkbox not answering: {exc.message}")
        if data["status"] == "DONE":
            return Reconciled(Outcome.ISSUED, self._result(doc, data), "found on Checkbox")
        return Reconciled(Outcome.NOT_ISSUED, note=f"Checkbox receipt {data['status']}")

    # -- offline upload ----------------------------------------------------------------------
    def pending_uploads(self) -> int:
        _, store = self._ready()
        return len(store.queued()) + len(store.sessions_to_upload())

    def sync(self) -> int:
        """Upload offline sessions in order: go-offline, documents, go-online."""
        _, store = self._ready()
        sent = 0
        for session in store.sessions_to_upload():
            try:
                self._call(lambda s=session: self.client.go_offline(  # type: ignore[misc]
                    s.started_at.isoformat(timespec="milliseconds"), s.code))
            except CheckboxRefused as exc:  # already offline with this code (a resumed upload)
                log.info("checkbox_go_offline_refused", error=exc.message)
            for od in store.queued(session.id):
                body = {**od.body, "fiscal_code": od.fiscal_code,
                        "fiscal_date": od.fiscal_date.isoformat(timespec="milliseconds")}
                try:
                    data = self._call(lambda b=body, k=od.kind: (  # type: ignore[misc]
                        self.client.service(b) if k == "service" else self.client.sell_offline(b)))
                except CheckboxRefused as exc:
                    if exc.code != "FISCAL_SERVER_DUPLICATE":
                        raise
                    data = self._fetch(od.receipt_id)
                store.mark_uploaded(od.seq, self.clock.now(), data.get("fiscal_code"))
                sent += 1
            self._call(self.client.go_online)
            store.end_session(session.id, self.clock.now(), uploaded=True)
            log.info("checkbox_offline_uploaded", session=session.id, documents=sent)
        self._top_up()
        return sent

    def _top_up(self) -> None:
        _, store = self._ready()
        if store.available() >= self.s.codes_min:
            return
        try:
            self._call(lambda: self.client.ask_offline_codes(self.s.codes_batch))
            codes = self._call(lambda: self.client.get_offline_codes(self.s.codes_batch))
        except DeviceError as exc:
            log.info("checkbox_codes_not_refilled", error=exc.message)
            return
        store.add_codes(codes, self.clock.now())
