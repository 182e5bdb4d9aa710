"""Datecs fiscal printer driver (Romania): receipts, storno, cash in/out, X/Z, reconciliation.

Crash recipe (devices.md §2): before a receipt the service stores the number the device will
give it (X: cmd 76; old: 71h) and the total. Afterwards cmd 76/4Ch tells: open receipt → close
it when fully paid, else cancel it; closed with the expected number and amount → issued;
counter unchanged → not issued. Cash operations are checked by the drawer's cash-in/out sums.
A Datecs fiscal day has no "open" command: it starts with the first document after a Z.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import structlog

from desktop.devices.errors import CapabilityNotSupported, DeviceError, DeviceRejected
from desktop.devices.fiscal import faults
from desktop.devices.fiscal.base import DeviceState, FiscalDriver, Outcome, Reconciled
from desktop.devices.fiscal.datecs.commands import LETTERS, Cmd, ReceiptState, codec
from desktop.devices.fiscal.datecs.frame import Variant, dialect
from desktop.devices.fiscal.datecs.link import DatecsLink
from desktop.devices.fiscal.datecs.status import HARDWARE, Status, decode
from desktop.devices.fiscal.errors import FiscalInvalid
from desktop.devices.fiscal.model import (
    CashOperation,
    DocKind,
    FiscalDocument,
    FiscalReceipt,
    FiscalResult,
    GroupTotals,
    PaymentKind,
    ReportTotals,
    ShiftInfo,
)
from desktop.devices.fiscal.vat import DeviceTax, VatMapper
from desktop.devices.transports.base import Transport
from shared.clock import Clock, SystemClock
from shared.ids import uuid7

__all__ = ["DatecsDriver", "DatecsSettings"]

log = structlog.get_logger(__name__)

_FAILED = frozenset({"general_error", "syntax_error", "invalid_command", "not_permitted",
                     "overflow"})


@dataclass(frozen=True)
class DatecsSettings:
    variant: Variant = Variant.X
    operator: str = "1"
    password: str = "0000"
    till: str = "1"
    encoding: str = "cp1250"
    timeout: float = 0.5
    retries: int = 3
    sync_clock: bool = True
    vat_overrides: Mapping[str, str] = field(default_factory=dict)


class DatecsDriver(FiscalDriver):
    """A Datecs printer over any transport (serial, TCP, pty)."""

    device_shifts = False

    def __init__(self, transport: Transport, settings: DatecsSettings | None = None, *,
                 clock: Clock = SystemClock()) -> None:
        self.settings = settings or DatecsSettings()
        self.transport = transport
        self.dialect = dialect(self.settings.variant)
        self.codec = codec(self.settings.variant, self.settings.encoding)
        self.link = DatecsLink(transport, self.dialect, timeout=self.settings.timeout,
                               retries=self.settings.retries)
        self.clock = clock
        self.mapper: VatMapper | None = None
        self.serial = ""
        self.fm_number = ""
        self.device_id = f"datecs-{self.settings.variant}"
        self.last_status: Status | None = None
        self._connected = False

    # -- plumbing ----------------------------------------------------------------------------
    def _cmd(self, cmd: int, data: bytes = b"", *, check: bool = True,
             after_write: Any = None) -> list[str]:
        """One command; X: a negative ErrorCode fails it (explained by the most specific
        hardware bit); old: the general-error family of status bits fails it. Standing
        conditions alone (paper out during a status query) do not fail a command."""
        frame = self.link.request(cmd, data, after_write=after_write)
        status = decode(self.dialect, frame.status)
        self.last_status = status
        where = f"Datecs command {cmd:#04x}"
        if self.settings.variant is Variant.X:
            try:
                return self.codec.fields(frame.data, cmd)
            except DeviceRejected:
                if check:
                    status.raise_for(where, only=HARDWARE)
                raise
        if check and status.flags & _FAILED:
            status.raise_for(where)
        return self.codec.fields(frame.data, cmd)

    def connect(self) -> None:
        if self._connected:
            return
        self.transport.open()
        self.link.drain()
        # First frame doubles as SEQ sync: a stale repeat of another process's frame is
        # detected by the link and re-sent with a fresh SEQ.
        self._cmd(Cmd.STATUS, check=False)
        x = self.settings.variant is Variant.X
        info = self.codec.parse_info(self._cmd(Cmd.DEVICE_INFO if x else Cmd.DIAGNOSTICS,
                                               self.codec.device_info("1")))
        self.serial, self.fm_number = info.serial, info.fm_number
        self.device_id = f"datecs:{self.serial}"
        rates = self.codec.parse_vat(self._cmd(Cmd.VAT_RATES))
        self.mapper = VatMapper(
            [DeviceTax(letter, rate, f"{letter} {rate}%" if rate is not None else letter)
             for letter, rate in zip(LETTERS, rates, strict=True)],
            self.settings.vat_overrides)
        self._connected = True

    def close(self) -> None:
        self._connected = False
        self.transport.close()

    def _mapper(self) -> VatMapper:
        self.connect()
        assert self.mapper is not None
        return self.mapper

    def _receipt_state(self) -> ReceiptState:
        return self.codec.parse_receipt_state(
            self._cmd(Cmd.RECEIPT_STATE, self.codec.receipt_state(), check=False))

    def _last_doc(self) -> int:
        return int(self._cmd(Cmd.LAST_DOC, check=False)[0])

    def _counter(self, st: ReceiptState) -> int:
        """The number the next/current receipt is compared by (X: receipt, old: document)."""
        if self.settings.variant is Variant.X:
            assert st.number is not None
            return st.number
        return self._last_doc()

    def _cash(self, signed: int = 0, *, after_write: Any = None) -> tuple[int, int, int]:
        r = self.codec.parse_cash(self._cmd(Cmd.CASH, self.codec.cash(signed),
                                            after_write=after_write))
        if not r.ok:
            raise DeviceRejected("device refused the cash operation",
                                 code="FISCAL_CASH_INSUFFICIENT", status=409)
        return r.cash_sum, r.cash_in, r.cash_out

    # -- state and shifts --------------------------------------------------------------------
    def state(self) -> DeviceState:
        try:
            self.connect()
            self._cmd(Cmd.STATUS, check=False)
            st = self._receipt_state()
        except DeviceError as exc:
            return DeviceState(self.device_id, False, None, errors=(exc.message,))
        s = self.last_status
        assert s is not None
        return DeviceState(self.device_id, True, None, st.is_open, s.errors, s.warnings,
                           {"flags": sorted(s.flags), "serial": self.serial,
                            "fm_number": self.fm_number, "protocol": self.settings.variant.value,
                            "last_number": self._counter(st)})

    def current_shift(self) -> ShiftInfo | None:
        return None

    def device_clock(self) -> datetime:
        """The device's clock (its own local time, naive as the device keeps it)."""
        self.connect()
        return self.codec.parse_clock(self._cmd(Cmd.READ_CLOCK))

    def last_numbers(self) -> tuple[int, int | None]:
        """(last receipt number, last Z number); the old protocol reports only its last
        document number."""
        self.connect()
        if self.settings.variant is Variant.X:
            return self.codec.parse_last(self._cmd(Cmd.DEVICE_INFO,
                                                   self.codec.device_info("3")))
        return self._last_doc(), None

    def open_shift(self, cashier: str) -> ShiftInfo:
        """A Datecs day opens with its first document: check the device, set its clock, and
        number the shift after the last Z (X protocol)."""
        self.connect()
        self._cmd(Cmd.STATUS)
        if self.settings.sync_clock:
            self._cmd(Cmd.SET_CLOCK, self.codec.set_clock(self.clock.now()))
        st = self._receipt_state()
        if st.is_open:
            raise DeviceRejected("a receipt is open on the device; reconcile first",
                                 code="FISCAL_RECEIPT_OPEN", status=409)
        _, last_z = self.last_numbers()
        serial = last_z + 1 if last_z is not None else 0
        return ShiftInfo(str(uuid7()), serial, self.clock.now(), self.device_id, cashier)

    def _report(self, z: bool) -> ReportTotals:
        mapper = self._mapper()
        _, cash_in, cash_out = self._cash(0)
        rep = self.codec.parse_report(self._cmd(Cmd.REPORT, self.codec.report(z)))
        groups = tuple(
            GroupTotals(letter, mapper.rate_of(letter), mapper.label_of(letter), s, r)
            for letter, s, r in zip(LETTERS, rep.sales, rep.storno, strict=True) if s or r)
        return ReportTotals("Z" if z else "X", rep.number, self.clock.now(), self.device_id, groups,
                            sum(rep.sales), sum(rep.storno), None, None, cash_in, cash_out,
                            fiscal_number=str(rep.number) if z else None)

    def x_report(self) -> ReportTotals:
        return self._report(False)

    def z_mark(self) -> dict[str, Any]:
        last_receipt, last_z = self.last_numbers()
        return {"last_z": last_z} if last_z is not None else {"last_doc": last_receipt}

    def z_done(self, mark: dict[str, Any]) -> tuple[bool | None, ReportTotals | None]:
        """X: the Z counter moved; old: the document counter moved (nothing else is sent
        while a Z is in flight). The day's totals are gone after a Z."""
        try:
            last_receipt, last_z = self.last_numbers()
        except DeviceError:
            return None, None
        if "last_z" in mark and last_z is not None:
            return last_z > int(mark["last_z"]), None
        return last_receipt > int(mark.get("last_doc", last_receipt)), None

    def z_report(self) -> ReportTotals:
        return self._report(True)

    def last_document(self) -> dict[str, Any] | None:
        self.connect()
        st = self._receipt_state()
        return {"open": st.is_open, "number": self._counter(st), "items": st.items,
                "amount": st.amount, "paid": st.paid}

    # -- documents ---------------------------------------------------------------------------
    def prepare(self, doc: FiscalDocument) -> dict[str, Any]:
        mapper = self._mapper()
        if isinstance(doc, CashOperation):
            _, cash_in, cash_out = self._cash(0)
            if doc.kind is DocKind.DEPOSIT:
                return {"cash_in": cash_in + doc.amount, "cash_out": cash_out}
            return {"cash_in": cash_in, "cash_out": cash_out + doc.amount}
        if doc.rounding:
            raise FiscalInvalid("Datecs (RO) receipts carry no cash rounding", field="rounding")
        if doc.is_return and self.settings.variant is Variant.OLD:
            raise CapabilityNotSupported("returns (storno) are not supported on the old "
                                         "Datecs protocol", code="FISCAL_NOT_SUPPORTED",
                                         status=422)
        letters = [mapper.key_for(ln) for ln in doc.lines]
        st = self._receipt_state()
        if st.is_open:
            raise DeviceRejected("a receipt is already open on the device",
                                 code="FISCAL_RECEIPT_OPEN", status=409)
        return {"number": self._counter(st) + 1, "total": doc.total, "letters": letters,
                "seq": self.link.seq}

    def issue(self, doc: FiscalDocument, expected: dict[str, Any]) -> FiscalResult:
        self.connect()
        if isinstance(doc, CashOperation):
            signed = doc.amount if doc.kind is DocKind.DEPOSIT else -doc.amount
            self._cash(signed, after_write=lambda: faults.checkpoint("request_sent"))
            return self._cash_result(doc)
        s = self.settings
        if doc.is_return:
            if doc.original_fiscal_date is None:
                raise FiscalInvalid("the original receipt's date is needed for a storno")
            self._cmd(Cmd.STORNO, self.codec.open_storno(
                s.operator, s.password, s.till, doc.original_fiscal_number or "",
                doc.original_fiscal_date, self.fm_number))
        else:
            self._cmd(Cmd.OPEN, self.codec.open_receipt(s.operator, s.password, s.till))
        try:
            self._cmd(Cmd.TEXT, self.codec.text(f"#{doc.receipt_id.hex}"))
            for ln, letter in zip(doc.lines, expected["letters"], strict=True):
                self._cmd(Cmd.SALE, self.codec.sale(ln.name, letter, ln.unit_price, ln.qty,
                                                     ln.discount))
            self._cmd(Cmd.SUBTOTAL, self.codec.subtotal())
            for p in sorted(doc.payments, key=lambda p: p.kind is PaymentKind.CASH):
                self.codec.parse_payment(self._cmd(Cmd.PAYMENT,
                                                   self.codec.payment(p.kind, p.amount)))
        except DeviceError:
            self._abandon()
            raise
        parts = self._cmd(Cmd.CLOSE, after_write=lambda: faults.checkpoint("request_sent"))
        number = (self.codec.parse_number(parts) if s.variant is Variant.X
                  else self.codec.parse_doc_number(parts))
        return self._receipt_result(doc, number)

    def _abandon(self) -> None:
        """Cancel a half-built receipt so nothing partial stays on the device."""
        try:
            st = self._receipt_state()
            if st.is_open:
                self._cmd(Cmd.CANCEL, check=False)
        except DeviceError as exc:
            log.warning("datecs_cancel_failed", error=exc.message)

    def _receipt_result(self, doc: FiscalReceipt, number: int) -> FiscalResult:
        return FiscalResult(doc.receipt_id, doc.kind, self.device_id, str(number), self.clock.now(),
                            doc.total, device_ref=f"{self.fm_number}/{number}")

    def _cash_result(self, doc: CashOperation) -> FiscalResult:
        return FiscalResult(doc.receipt_id, doc.kind, self.device_id, None, self.clock.now(),
                            doc.amount)

    def reconcile(self, doc: FiscalDocument, expected: dict[str, Any]) -> Reconciled:
        try:
            self.connect()
            if isinstance(doc, CashOperation):
                return self._reconcile_cash(doc, expected)
            return self._reconcile_receipt(doc, expected)
        except DeviceError as exc:
            return Reconciled(Outcome.UNKNOWN, note=f"device unreachable: {exc.message}")

    def _reconcile_cash(self, doc: CashOperation, expected: dict[str, Any]) -> Reconciled:
        _, cash_in, cash_out = self._cash(0)
        key = "cash_in" if doc.kind is DocKind.DEPOSIT else "cash_out"
        now = cash_in if key == "cash_in" else cash_out
        if now == expected[key]:
            return Reconciled(Outcome.ISSUED, self._cash_result(doc), f"{key} = {now}")
        if now == expected[key] - doc.amount:
            return Reconciled(Outcome.NOT_ISSUED, note=f"{key} unchanged")
        return Reconciled(Outcome.UNKNOWN, note=f"{key} is {now}, expected {expected[key]}")

    def _reconcile_receipt(self, doc: FiscalReceipt, expected: dict[str, Any]) -> Reconciled:
        want = int(expected["number"])
        st = self._receipt_state()
        if st.is_open:
            if st.number is not None and st.number != want:
                return Reconciled(Outcome.UNKNOWN,
                                  note=f"receipt {st.number} open, ours would be {want}")
            if st.amount == doc.total and st.paid >= st.amount > 0:
                parts = self._cmd(Cmd.CLOSE)
                number = (self.codec.parse_number(parts) if self.settings.variant is Variant.X
                          else self.codec.parse_doc_number(parts))
                return Reconciled(Outcome.ISSUED, self._receipt_result(doc, number),
                                  "fully paid receipt closed")
            self._cmd(Cmd.CANCEL)
            return Reconciled(Outcome.NOT_ISSUED, note="half-built receipt cancelled")
        number = self._counter(st)
        if number == want and st.amount == doc.total:
            return Reconciled(Outcome.ISSUED, self._receipt_result(doc, number),
                              f"device issued receipt {number}")
        if number == want - 1:
            return Reconciled(Outcome.NOT_ISSUED, note=f"device counter still {number}")
        return Reconciled(Outcome.UNKNOWN,
                          note=f"device counter {number} (amount {st.amount}), expected {want}")
