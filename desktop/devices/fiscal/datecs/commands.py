"""Datecs command payloads and reply parsers, per protocol family (pure, no I/O).

X protocol: parameters each followed by TAB, replies start with ``ErrorCode`` (0 = OK, negative
= error). Old protocol: comma-separated parameters (TAB inside sale/payment lines), no error
code; failures show only in the status bits. Where a command is not in our sources for the
Romanian firmware (storno layout, old-protocol VAT/info replies) the layout follows the
BG/FP-700 documents and is marked *unverified*: confirm on hardware before relying on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import IntEnum

from desktop.devices.errors import DeviceRejected, ProtocolError
from desktop.devices.fiscal.datecs.frame import Variant
from desktop.devices.fiscal.model import PaymentKind

__all__ = [
    "LETTERS",
    "X_ERRORS",
    "CashReply",
    "Cmd",
    "Codec",
    "DeviceInfo",
    "ReceiptState",
    "ReportReply",
    "codec",
    "fmt_amount",
    "fmt_clock",
    "fmt_qty",
    "parse_amount",
    "parse_clock",
]

LETTERS = "ABCDEFGH"


class Cmd(IntEnum):
    STORNO = 0x2B
    OPEN = 0x30
    SALE = 0x31
    VAT_RATES = 0x32
    SUBTOTAL = 0x33
    PAYMENT = 0x35
    TEXT = 0x36
    CLOSE = 0x38
    CANCEL = 0x3C
    SET_CLOCK = 0x3D
    READ_CLOCK = 0x3E
    REPORT = 0x45
    CASH = 0x46
    STATUS = 0x4A
    RECEIPT_STATE = 0x4C
    DIAGNOSTICS = 0x5A
    ERROR_TEXT = 0x64
    LAST_DOC = 0x71
    DEVICE_INFO = 0x7B


# X-protocol error codes: the first four are seen in RO tooling (devices.md, unverified); the
# rest are the emulator's own and are mapped the same way.
X_ERRORS: dict[int, tuple[str, str]] = {
    -111008: ("FISCAL_VAT_NOT_PROGRAMMED", "VAT group not set on the device"),
    -111015: ("FISCAL_RECEIPT_OPEN", "a receipt is already open"),
    -111016: ("FISCAL_NO_RECEIPT_OPEN", "no receipt is open"),
    -111024: ("FISCAL_Z_REQUIRED", "fiscal day older than 24 h: run a Z report"),
    -111017: ("FISCAL_ORIGINAL_NOT_FOUND", "original document not found on the device"),
    -111018: ("FISCAL_PAYMENT_INCOMPLETE", "the receipt is not fully paid"),
    -111019: ("FISCAL_PAYMENT_STARTED", "payment started: the receipt can only be closed"),
    -111030: ("FISCAL_CASH_INSUFFICIENT", "not enough cash in the drawer"),
    -112001: ("FISCAL_DEVICE_PROTOCOL", "invalid command parameter"),
}
_ERROR_HTTP = {"FISCAL_VAT_NOT_PROGRAMMED": 422, "FISCAL_ORIGINAL_NOT_FOUND": 422,
               "FISCAL_Z_REQUIRED": 409, "FISCAL_CASH_INSUFFICIENT": 409,
               "FISCAL_RECEIPT_OPEN": 409}


def fmt_amount(minor: int) -> str:
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 100)
    return f"{sign}{whole}.{frac:02d}"


def parse_amount(text: str) -> int:
    """"12.34" → 1234; tolerant of "+", missing decimals and spaces."""
    t = text.strip().lstrip("+")
    if not t:
        return 0
    try:
        value = Decimal(t) * 100
    except ArithmeticError as exc:
        raise ProtocolError(f"not an amount: {text!r}") from exc
    if value != value.to_integral_value():
        raise ProtocolError(f"amount with more than 2 decimals: {text!r}")
    return int(value)


def fmt_qty(qty: Decimal) -> str:
    return f"{qty:.3f}"


def fmt_clock(when: datetime) -> str:
    return when.strftime("%d-%m-%y %H:%M:%S")


def parse_clock(text: str) -> datetime:
    t = text.strip()
    for f in ("%d-%m-%y %H:%M:%S", "%d-%m-%y %H:%M"):
        try:
            return datetime.strptime(t, f)
        except ValueError:
            continue
    raise ProtocolError(f"not a device clock value: {text!r}")


# Romanian ș/ț (comma below) are not in cp1250; the devices print the cedilla forms.
_RO_FOLD = str.maketrans("șțȘȚ", "şţŞŢ")


def _clean(text: str, limit: int) -> str:
    """Device text: no control characters (they are field separators), bounded length."""
    text = text.translate(_RO_FOLD)
    return "".join(" " if ord(c) < 0x20 else c for c in text).strip()[:limit] or "-"


@dataclass(frozen=True)
class ReceiptState:
    is_open: bool
    number: int | None
    items: int
    amount: int
    paid: int


@dataclass(frozen=True)
class ReportReply:
    number: int
    sales: tuple[int, ...]
    storno: tuple[int, ...]


@dataclass(frozen=True)
class CashReply:
    ok: bool
    cash_sum: int
    cash_in: int
    cash_out: int


@dataclass(frozen=True)
class DeviceInfo:
    serial: str
    fm_number: str
    last_receipt: int | None = None
    last_z: int | None = None


class Codec:
    """Builds payloads and reads replies for one protocol family."""

    def __init__(self, variant: Variant, encoding: str = "cp1250") -> None:
        self.variant = variant
        self.encoding = encoding
        self.x = variant is Variant.X

    # -- helpers -----------------------------------------------------------------------------
    def _enc(self, *params: str) -> bytes:
        if self.x:
            return "".join(f"{p}\t" for p in params).encode(self.encoding, "replace")
        return ",".join(params).encode(self.encoding, "replace")

    def fields(self, data: bytes, cmd: int) -> list[str]:
        """Split a reply; in X, check ``ErrorCode`` and drop it."""
        text = data.decode(self.encoding, "replace")
        if not self.x:
            return text.split(",") if text else []
        parts = text.split("\t")
        if parts and parts[-1] == "":
            parts.pop()
        if not parts:
            raise ProtocolError(f"command {cmd:#04x}: empty reply, expected ErrorCode")
        try:
            code = int(parts[0])
        except ValueError as exc:
            raise ProtocolError(f"command {cmd:#04x}: bad ErrorCode {parts[0]!r}") from exc
        if code < 0:
            our, text_ = X_ERRORS.get(code, ("FISCAL_DEVICE_ERROR", "device error"))
            raise DeviceRejected(f"device refused command {cmd:#04x}: {text_} ({code})",
                                 code=our, status=_ERROR_HTTP.get(our, 502),
                                 details={"device_error": code, "command": cmd})
        return parts[1:]

    # -- receipts ----------------------------------------------------------------------------
    def open_receipt(self, operator: str, password: str, till: str) -> bytes:
        if self.x:
            return self._enc(operator, password, till, "")
        return self._enc(operator, password, till)

    def open_storno(self, operator: str, password: str, till: str, doc_number: str,
                    when: datetime, fm_number: str) -> bytes:
        """X only (BG layout; RO refund command unverified): reason 1 = refund."""
        return self._enc(operator, password, till, "1", doc_number, fmt_clock(when), fm_number,
                         "", "", "", "")

    def sale(self, name: str, letter: str, price: int, qty: Decimal, discount: int) -> bytes:
        if self.x:
            tax = str(LETTERS.index(letter) + 1)
            disc_type, disc = ("4", fmt_amount(discount)) if discount else ("0", "")
            return self._enc(_clean(name, 72), tax, fmt_amount(price), fmt_qty(qty), disc_type,
                             disc, "0", "")
        body = f"{_clean(name, 36)}\t{letter}{fmt_amount(price)}*{fmt_qty(qty)}"
        if discount:
            body += f";-{fmt_amount(discount)}"
        return body.encode(self.encoding, "replace")

    def text(self, line: str) -> bytes:
        """A free text line inside the fiscal receipt (we print our receipt id: EJ proof)."""
        if self.x:
            return self._enc(_clean(line, 46), "0", "0", "0", "0", "0")
        return _clean(line, 36).encode(self.encoding, "replace")

    def subtotal(self) -> bytes:
        return self._enc("1", "0", "0", "") if self.x else b"10"

    def payment(self, kind: PaymentKind, amount: int) -> bytes:
        if self.x:
            return self._enc("0" if kind is PaymentKind.CASH else "1", fmt_amount(amount))
        mode = "P" if kind is PaymentKind.CASH else "N"
        return f"\t{mode}{fmt_amount(amount)}".encode(self.encoding)

    def parse_payment(self, parts: list[str]) -> tuple[str, int]:
        """('D', still due) or ('R', change)."""
        if self.x:
            if len(parts) < 2:
                raise ProtocolError(f"payment reply too short: {parts}")
            return parts[0], parse_amount(parts[1])
        if not parts or not parts[0]:
            raise ProtocolError("empty payment reply")
        code = parts[0][0]
        if code in "FEI":
            raise DeviceRejected(f"device refused payment ({code})",
                                 code="FISCAL_PAYMENT_REFUSED", details={"paid_code": code})
        return code, parse_amount(parts[0][1:])

    def parse_number(self, parts: list[str]) -> int:
        """Receipt number from an X open/close reply, or FiscReceipts from an old one."""
        try:
            return int(parts[-1] if not self.x else parts[0])
        except (IndexError, ValueError) as exc:
            raise ProtocolError(f"no receipt number in reply {parts}") from exc

    def parse_doc_number(self, parts: list[str]) -> int:
        """Old close reply ``AllReceipts,FiscReceipts``: the all-documents number."""
        try:
            return int(parts[0])
        except (IndexError, ValueError) as exc:
            raise ProtocolError(f"no document number in reply {parts}") from exc

    def receipt_state(self) -> bytes:
        return b"" if self.x else b"T"

    def parse_receipt_state(self, parts: list[str]) -> ReceiptState:
        try:
            if self.x:
                return ReceiptState(parts[0] != "0", int(parts[1]), int(parts[2]),
                                    parse_amount(parts[3]), parse_amount(parts[4]))
            return ReceiptState(parts[0] != "0", None, int(parts[1]), parse_amount(parts[2]),
                                parse_amount(parts[3]) if len(parts) > 3 else 0)
        except (IndexError, ValueError) as exc:
            raise ProtocolError(f"bad receipt-state reply {parts}") from exc

    # -- reports, cash, clock, info ----------------------------------------------------------
    def report(self, z: bool) -> bytes:
        if self.x:
            return self._enc("Z" if z else "X")
        return b"0" if z else b"2"

    def parse_report(self, parts: list[str]) -> ReportReply:
        try:
            number = int(parts[0])
            sales = tuple(parse_amount(p) for p in parts[1:9])
            storno = tuple(parse_amount(p) for p in parts[9:17]) if self.x else (0,) * 8
        except (IndexError, ValueError) as exc:
            raise ProtocolError(f"bad report reply {parts}") from exc
        if len(sales) != 8 or len(storno) != 8:
            raise ProtocolError(f"report reply needs 8 groups: {parts}")
        return ReportReply(number, sales, storno)

    def cash(self, signed: int) -> bytes:
        """Signed amount: > 0 cash in, < 0 cash out, 0 query."""
        if self.x:
            return self._enc("1" if signed < 0 else "0", fmt_amount(abs(signed)) if signed else "")
        if not signed:
            return b""
        return (("+" if signed > 0 else "") + fmt_amount(signed)).encode()

    def parse_cash(self, parts: list[str]) -> CashReply:
        try:
            if self.x:
                return CashReply(True, *(parse_amount(p) for p in parts[:3]))
            return CashReply(parts[0] == "P", *(parse_amount(p) for p in parts[1:4]))
        except (TypeError, ValueError) as exc:
            raise ProtocolError(f"bad cash reply {parts}") from exc

    def set_clock(self, when: datetime) -> bytes:
        return self._enc(fmt_clock(when)) if self.x else fmt_clock(when).encode()

    def parse_clock(self, parts: list[str]) -> datetime:
        if not parts:
            raise ProtocolError("empty clock reply")
        return parse_clock(parts[0])

    def vat_rates(self) -> bytes:
        return b""

    def parse_vat(self, parts: list[str]) -> tuple[Decimal | None, ...]:
        """Rates of A..H; 100.00 (or missing) means the group is disabled."""
        raw = parts[1:9] if self.x else parts[:8]
        rates: list[Decimal | None] = []
        for p in raw:
            try:
                r = Decimal(p.strip().rstrip("%"))
            except ArithmeticError as exc:
                raise ProtocolError(f"bad VAT rate {p!r}") from exc
            rates.append(None if r >= 100 else r)
        return tuple(rates + [None] * (8 - len(rates)))

    def device_info(self, option: str) -> bytes:
        return self._enc(option) if self.x else b""

    def parse_info(self, parts: list[str]) -> DeviceInfo:
        """X 123 option 1: serial, FM number…; old 5Ah: FwRev,Chk,Sw,Serial,FM (unverified)."""
        try:
            if self.x:
                return DeviceInfo(parts[0], parts[1])
            return DeviceInfo(parts[3], parts[4])
        except IndexError as exc:
            raise ProtocolError(f"bad device-info reply {parts}") from exc

    def parse_last(self, parts: list[str]) -> tuple[int, int]:
        """X 123 option 3: (last receipt number, last Z number) — layout unverified."""
        try:
            return int(parts[0]), int(parts[2])
        except (IndexError, ValueError) as exc:
            raise ProtocolError(f"bad last-documents reply {parts}") from exc


def codec(variant: Variant | str, encoding: str = "cp1250") -> Codec:
    return Codec(Variant(variant), encoding)
