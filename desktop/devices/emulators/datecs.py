"""A Datecs fiscal printer emulator speaking the real framed protocol on a pty and on TCP.

It keeps a fiscal memory (receipt and document counters, day totals per VAT letter, cash in/out,
Z history, an electronic journal of issued documents), enforces the device's rules (no sale
without an open receipt, one receipt at a time, no close before full payment, a fiscal day
older than 24 h blocks documents until a Z — on a controllable clock) and can be told to fail
at a step (``fail_at``): NAK, a lost request, a lost or garbled reply, busy SYNs, or a device
condition such as paper out. Like the real device it does not execute a frame whose SEQ equals
the previous frame's; it repeats its last reply. Error codes other than the four in devices.md
are the emulator's own (see ``X_ERRORS``).
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
import tty
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from desktop.devices.fiscal.clock import Clock, system_clock
from desktop.devices.fiscal.datecs.commands import fmt_amount, fmt_clock, parse_clock
from desktop.devices.fiscal.datecs.frame import (
    NAK,
    SYN,
    FrameReader,
    Variant,
    build_reply,
    dialect,
    parse_request,
)
from desktop.devices.fiscal.datecs.status import encode

__all__ = ["DatecsEmulator", "IssuedDoc", "ZRecord"]

_PRINTING = frozenset({0x2B, 0x30, 0x31, 0x35, 0x36, 0x38, 0x45})
RO_RATES = ("21.00", "11.00", "9.00", "0.00", "0.00", "100.00", "100.00", "100.00")


class _Err(Exception):
    def __init__(self, code: int, *flags: str) -> None:
        super().__init__(code)
        self.code, self.flags = code, set(flags)


@dataclass
class _Fault:
    cmd: int
    mode: str
    times: int
    after: int


@dataclass
class IssuedDoc:
    """One document in the emulator's electronic journal."""

    kind: str  # sale | storno | cash_in | cash_out | x | z
    number: int
    doc_no: int
    at: datetime
    total: int = 0
    groups: dict[str, int] = field(default_factory=dict)
    payments: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    original: str | None = None


@dataclass
class ZRecord:
    number: int
    at: datetime
    sales: tuple[int, ...]
    storno: tuple[int, ...]
    cash_in: int
    cash_out: int


@dataclass
class _Receipt:
    kind: str
    number: int
    lines: list[tuple[int, int]] = field(default_factory=list)
    paid: int = 0
    cash: int = 0
    payments: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    original: str | None = None

    @property
    def amount(self) -> int:
        return sum(g for _, g in self.lines)


class DatecsEmulator:
    """Fiscal memory + protocol; serve it with ``serve_tcp()`` and/or ``serve_pty()``."""

    def __init__(self, variant: Variant | str = Variant.X, *, clock: Clock = system_clock,
                 rates: tuple[str, ...] = RO_RATES, serial: str = "DT000001",
                 fm_number: str = "02000001", encoding: str = "cp1250") -> None:
        self.variant = Variant(variant)
        self.d = dialect(self.variant)
        self.x = self.variant is Variant.X
        self.clock, self.encoding = clock, encoding
        self.rates = [Decimal(r) for r in rates]
        self.serial, self.fm_number = serial, fm_number
        self.receipt_no = self.doc_no = self.z_no = 0
        self.sales, self.storno = [0] * 8, [0] * 8
        self.cash_sum = self.cash_in = self.cash_out = 0
        self.day_start: datetime | None = None
        self.clock_offset = timedelta(0)
        self.open: _Receipt | None = None
        self.last_closed: _Receipt | None = None
        self.journal: list[IssuedDoc] = []
        self.z_history: list[ZRecord] = []
        self.flags: set[str] = {"fiscalised", "serial_set", "tax_number_set", "vat_set",
                                "fm_formatted"} if self.x else {"serial_set", "tax_number_set",
                                                                "vat_set", "fiscalised"}
        self.frames = 0
        self._faults: list[_Fault] = []
        self._last: tuple[int, bytes] | None = None
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._conns: set[socket.socket] = set()
        self._idle = threading.Condition()
        self._busy = 0
        self._sock: socket.socket | None = None
        self._pty: tuple[int, int] | None = None

    # -- control ---------------------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock() + self.clock_offset

    def fail_at(self, cmd: int, mode: str, *, times: int = 1, after: int = 0) -> None:
        """Next ``times`` frames with ``cmd`` fail: ``nak``, ``ignore`` (request lost),
        ``drop`` (executed, reply lost), ``garble`` (executed, bad checksum), ``busy``
        (SYNs before the reply), or a status flag name (e.g. ``paper_end``) that is raised and
        stays raised until ``set_flag(name, False)``. ``after``: let that many frames with
        ``cmd`` pass first ("fail at step n")."""
        with self._lock:
            self._faults.append(_Fault(cmd, mode, times, after))

    def set_flag(self, name: str, on: bool = True) -> None:
        with self._lock:
            (self.flags.add if on else self.flags.discard)(name)

    def documents(self, kind: str | None = None) -> list[IssuedDoc]:
        with self._lock:
            return [d for d in self.journal if kind is None or d.kind == kind]

    def _take_fault(self, cmd: int) -> str | None:
        for f in self._faults:
            if f.cmd == cmd:
                if f.after > 0:
                    f.after -= 1
                    return None
                f.times -= 1
                if f.times <= 0:
                    self._faults.remove(f)
                return f.mode
        return None

    # -- frame level -----------------------------------------------------------------------
    def process(self, raw: bytes) -> bytes:
        """Bytes to send back for one received frame (may be empty: no answer)."""
        try:
            req = parse_request(self.d, raw)
        except Exception:
            return bytes((NAK,))
        with self._lock:
            self.frames += 1
            fault = self._take_fault(req.cmd)
            if fault == "nak":
                return bytes((NAK,))
            if fault == "ignore":  # lost on the wire before the device saw it
                return b""
            if self._last is not None and self._last[0] == req.seq:
                return b"" if fault == "drop" else self._last[1]
            if fault and fault not in ("drop", "garble", "busy"):
                self.flags.add(fault)  # a device condition appears at this step
            data, extra = self._execute(req.cmd, req.data)
            status = encode(self.d, self._status_flags() | extra)
            reply = build_reply(self.d, req.seq, req.cmd, data, status)
            self._last = (req.seq, reply)
        if fault == "drop":
            return b""
        if fault == "garble":
            return reply[:-2] + bytes(((reply[-2] ^ 0x01),)) + reply[-1:]
        if fault == "busy":
            return bytes((SYN,)) * 3 + reply
        return reply

    def _status_flags(self) -> set[str]:
        flags = set(self.flags)
        if self.open is not None:
            flags.add("fiscal_open")
        if self.x and self._day_expired():
            flags.add("z_required")
        return flags

    def _day_expired(self) -> bool:
        return self.day_start is not None and self.now() - self.day_start >= timedelta(hours=24)

    def _execute(self, cmd: int, data: bytes) -> tuple[bytes, set[str]]:
        text = data.decode(self.encoding, "replace")
        params = (text.split("\t")[:-1] if text.endswith("\t") else text.split("\t")) \
            if self.x else text.split(",")
        handler: Callable[[list[str], str], list[str]] | None = getattr(
            self, f"_cmd_{cmd:02x}", None)
        try:
            if handler is None:
                raise _Err(-112001, "invalid_command")
            if cmd in _PRINTING:
                for flag in ("paper_end", "cover_open", "mechanism_fault"):
                    if flag in self.flags:
                        raise _Err(-111000, flag)
            out = handler(params, text)
        except _Err as err:
            flags = err.flags | {"general_error"}
            if not self.x and not (flags & {"invalid_command", "syntax_error", "paper_end",
                                            "cover_open", "overflow", "fm_full"}):
                flags.add("not_permitted")
            return (f"{err.code}\t".encode() if self.x else b""), flags
        except (ValueError, IndexError, InvalidOperation):
            return (b"-112001\t" if self.x else b""), {"general_error", "syntax_error"}
        body = "".join(f"{p}\t" for p in ["0", *out]) if self.x else ",".join(out)
        return body.encode(self.encoding, "replace"), set()

    # -- rules -----------------------------------------------------------------------------
    def _can_issue(self) -> None:
        for flag in ("paper_end", "cover_open", "fm_full", "ej_full"):
            if flag in self.flags:
                raise _Err(-111000, flag)
        if self._day_expired():
            raise _Err(-111024, "z_required" if self.x else "not_permitted")

    def _touch_day(self) -> None:
        if self.day_start is None:
            self.day_start = self.now()

    def _amount(self, text: str) -> int:
        value = Decimal(text.strip().lstrip("+") or "0") * 100
        if value != value.to_integral_value():
            raise ValueError(text)
        return int(value)

    def _issue(self, kind: str, number: int, total: int, **kw: object) -> IssuedDoc:
        self.doc_no += 1
        doc = IssuedDoc(kind, number, self.doc_no, self.now(), total, **kw)  # type: ignore[arg-type]
        self.journal.append(doc)
        return doc

    # -- commands (named by hex code) ------------------------------------------------------
    def _cmd_4a(self, p: list[str], _t: str) -> list[str]:  # status
        return []

    def _cmd_7b(self, p: list[str], _t: str) -> list[str]:  # device info (X)
        if p and p[0] == "3":
            last = self.journal[-1].at if self.journal else self.now()
            last_z = self.z_history[-1].at if self.z_history else self.now()
            return [str(self.receipt_no), fmt_clock(last), str(self.z_no), fmt_clock(last_z)]
        return [self.serial, self.fm_number, "TILLBRIDGE EMULATOR", "RO00000000"]

    def _cmd_5a(self, p: list[str], _t: str) -> list[str]:  # diagnostics (old)
        return ["1.00 01Jan26", "ABCD", "00000000", self.serial, self.fm_number]

    def _cmd_32(self, p: list[str], _t: str) -> list[str]:  # VAT rates
        rates = [f"{r:.2f}" for r in self.rates]
        return [str(self.z_no), *rates, fmt_clock(self.now())] if self.x else rates

    def _cmd_3d(self, p: list[str], t: str) -> list[str]:  # set clock
        when = parse_clock(p[0] if self.x else t)
        self.clock_offset = when.replace(tzinfo=self.clock().tzinfo) - self.clock()
        self.flags.discard("clock_not_set")
        return []

    def _cmd_3e(self, p: list[str], _t: str) -> list[str]:
        return [fmt_clock(self.now())]

    def _cmd_30(self, p: list[str], _t: str) -> list[str]:  # open receipt
        if self.open is not None:
            raise _Err(-111015, "not_permitted")
        self._can_issue()
        if len(p) < 3:
            raise _Err(-112001, "syntax_error")
        self.open = _Receipt("sale", self.receipt_no + 1)
        return [str(self.open.number)] if self.x else [str(self.doc_no), str(self.receipt_no)]

    def _cmd_2b(self, p: list[str], _t: str) -> list[str]:  # storno (X, BG layout)
        if not self.x:
            raise _Err(-112001, "invalid_command")
        if self.open is not None:
            raise _Err(-111015, "not_permitted")
        self._can_issue()
        doc = p[4]
        if not any(d.kind == "sale" and str(d.number) == doc for d in self.journal):
            raise _Err(-111017, "not_permitted")
        self.open = _Receipt("storno", self.receipt_no + 1, original=doc)
        return [str(self.open.number)]

    def _cmd_31(self, p: list[str], t: str) -> list[str]:  # sale line
        if self.open is None:
            raise _Err(-111016, "not_permitted")
        if self.open.paid:
            raise _Err(-111019, "not_permitted")
        if self.x:
            idx, price, qty = int(p[1]) - 1, self._amount(p[2]), Decimal(p[3] or "1")
            disc = self._amount(p[5]) if p[4] == "4" and len(p) > 5 else 0
        else:
            spec = t.split("\t", 1)[1]
            idx = "ABCDEFGH".index(spec[0])
            spec, _, abs_disc = spec[1:].partition(";")
            price_s, _, qty_s = spec.partition("*")
            price, qty = self._amount(price_s), Decimal(qty_s or "1")
            disc = -self._amount(abs_disc) if abs_disc else 0
        if not 0 <= idx < 8 or self.rates[idx] >= 100:
            raise _Err(-111008, "not_permitted")
        gross = int((price * qty).quantize(Decimal(1), ROUND_HALF_UP))
        if gross > 999_999_999 or qty <= 0:
            raise _Err(-112001, "overflow")
        self.open.lines.append((idx, gross - disc))
        return [str(self.open.number)] if self.x else []

    def _cmd_36(self, p: list[str], t: str) -> list[str]:  # fiscal text
        if self.open is None:
            raise _Err(-111016, "not_permitted")
        self.open.texts.append(p[0] if self.x else t)
        return []

    def _cmd_33(self, p: list[str], _t: str) -> list[str]:  # subtotal
        if self.open is None:
            raise _Err(-111016, "not_permitted")
        per = [0] * 8
        for idx, g in self.open.lines:
            per[idx] += g
        out = [fmt_amount(self.open.amount), *(fmt_amount(v) for v in per)]
        return [str(self.open.number), *out] if self.x else out

    def _cmd_35(self, p: list[str], t: str) -> list[str]:  # payment
        if self.open is None:
            raise _Err(-111016, "not_permitted")
        if self.x:
            cash, amount_s = p[0] == "0", p[1] if len(p) > 1 else ""
        else:
            spec = t.split("\t", 1)[1]
            cash, amount_s = spec[:1] == "P", spec[1:]
        due = self.open.amount - self.open.paid
        amount = self._amount(amount_s) if amount_s.strip() else due
        if not cash and amount > due:
            raise _Err(-112001, "not_permitted")
        self.open.paid += amount
        if cash:
            self.open.cash += amount
        self.open.payments.append(("cash" if cash else "card", amount))
        left = self.open.amount - self.open.paid
        code, value = ("D", left) if left > 0 else ("R", -left)
        return [code, fmt_amount(value)] if self.x else [f"{code}{fmt_amount(value)}"]

    def _cmd_38(self, p: list[str], _t: str) -> list[str]:  # close
        r = self.open
        if r is None:
            raise _Err(-111016, "not_permitted")
        if not r.lines or r.paid < r.amount:
            raise _Err(-111018, "not_permitted")
        change = r.paid - r.amount
        target = self.sales if r.kind == "sale" else self.storno
        groups: dict[str, int] = {}
        for idx, g in r.lines:
            target[idx] += g
            groups["ABCDEFGH"[idx]] = groups.get("ABCDEFGH"[idx], 0) + g
        drawer = r.cash - change
        self.cash_sum += drawer if r.kind == "sale" else -drawer
        self.receipt_no = r.number
        self._touch_day()
        self._issue(r.kind, r.number, r.amount, groups=groups, payments=r.payments,
                    texts=r.texts, original=r.original)
        self.last_closed, self.open = r, None
        return [str(r.number)] if self.x else [str(self.doc_no), str(self.receipt_no)]

    def _cmd_3c(self, p: list[str], _t: str) -> list[str]:  # cancel
        if self.open is None:
            raise _Err(-111016, "not_permitted")
        if self.open.paid and (not self.x or self.open.paid >= self.open.amount):
            raise _Err(-111019, "not_permitted")
        self.open = None
        return []

    def _cmd_4c(self, p: list[str], _t: str) -> list[str]:  # receipt state
        r = self.open or self.last_closed
        is_open = "1" if self.open is not None else "0"
        items, amount, paid = (len(r.lines), r.amount, r.paid) if r else (0, 0, 0)
        if self.x:
            number = r.number if r else self.receipt_no
            return [is_open, str(number), str(items), fmt_amount(amount), fmt_amount(paid),
                    "0", "0"]
        return [is_open, str(items), fmt_amount(amount), fmt_amount(paid)]

    def _cmd_71(self, p: list[str], _t: str) -> list[str]:  # last document number
        return [str(self.doc_no)]

    def _cmd_45(self, p: list[str], t: str) -> list[str]:  # X / Z report
        if self.open is not None:
            raise _Err(-111015, "not_permitted")
        z = (p[0] if self.x else t) in ("Z", "0")
        if not z and (p[0] if self.x else t) not in ("X", "2"):
            raise _Err(-112001, "syntax_error")
        number = self.z_no + 1
        out = [str(number), *(fmt_amount(v) for v in self.sales)]
        if self.x:
            out += [fmt_amount(v) for v in self.storno]
        if z:
            self.z_no = number
            self.z_history.append(ZRecord(number, self.now(), tuple(self.sales),
                                          tuple(self.storno), self.cash_in, self.cash_out))
            self._issue("z", number, sum(self.sales) - sum(self.storno))
            self.sales, self.storno = [0] * 8, [0] * 8
            self.cash_in = self.cash_out = self.cash_sum = 0
            self.day_start = None
        else:
            self._issue("x", number, sum(self.sales) - sum(self.storno))
        return out

    def _cmd_46(self, p: list[str], t: str) -> list[str]:  # cash in / out
        if self.x:
            out_, amount = p[0] == "1", self._amount(p[1]) if len(p) > 1 else 0
        else:
            amount = self._amount(t) if t.strip() else 0
            out_, amount = amount < 0, abs(amount)
        if amount:
            if self.open is not None:
                raise _Err(-111015, "not_permitted")
            self._can_issue()
            if out_ and amount > self.cash_sum:
                if not self.x:
                    return ["F", *(fmt_amount(v) for v in
                                   (self.cash_sum, self.cash_in, self.cash_out))]
                raise _Err(-111030, "not_permitted")
            if out_:
                self.cash_out += amount
                self.cash_sum -= amount
            else:
                self.cash_in += amount
                self.cash_sum += amount
            self._touch_day()
            self._issue("cash_out" if out_ else "cash_in", self.doc_no + 1, amount)
        vals = [fmt_amount(v) for v in (self.cash_sum, self.cash_in, self.cash_out)]
        return vals if self.x else ["P", *vals]

    # -- transports ------------------------------------------------------------------------
    def _serve_stream(self, recv: Callable[[], bytes], send: Callable[[bytes], None]) -> None:
        reader = FrameReader()
        while not self._stop.is_set():
            try:
                chunk = recv()
            except OSError:
                return
            if chunk is None:  # type: ignore[comparison-overlap]
                continue
            if chunk == b"":
                return
            with self._idle:
                self._busy += 1
            try:
                for frame in reader.feed(chunk):
                    if frame[0] in (NAK, SYN):
                        continue
                    out = self.process(frame)
                    if out:
                        with contextlib.suppress(OSError):
                            send(out)
            finally:
                with self._idle:
                    self._busy -= 1
                    self._idle.notify_all()

    def serve_tcp(self, host: str = "127.0.0.1", port: int = 0) -> tuple[str, int]:
        """Listen on ``host:port`` (0 = any free port); returns the bound address."""
        srv = socket.create_server((host, port))
        srv.settimeout(0.05)
        self._sock = srv

        def accept_loop() -> None:
            while not self._stop.is_set():
                try:
                    conn, _ = srv.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                conn.settimeout(0.05)
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                with self._idle:
                    self._conns.add(conn)
                t = threading.Thread(target=self._tcp_conn, args=(conn,), daemon=True)
                t.start()

        t = threading.Thread(target=accept_loop, daemon=True, name="datecs-emu-tcp")
        t.start()
        self._threads.append(t)
        addr = srv.getsockname()
        return addr[0], addr[1]

    def _tcp_conn(self, conn: socket.socket) -> None:
        def recv() -> bytes:
            try:
                return conn.recv(4096)
            except TimeoutError:
                return None  # type: ignore[return-value]

        try:
            self._serve_stream(recv, conn.sendall)
        finally:
            conn.close()
            with self._idle:
                self._conns.discard(conn)
                self._idle.notify_all()

    def serve_pty(self) -> str:
        """Open a pseudo-terminal; returns the path a serial client opens (e.g. /dev/pts/7)."""
        master, slave = os.openpty()
        tty.setraw(slave)
        self._pty = (master, slave)

        def recv() -> bytes:
            ready, _, _ = select.select([master], [], [], 0.05)
            return os.read(master, 4096) if ready else None  # type: ignore[return-value]

        def send(data: bytes) -> None:
            os.write(master, data)

        t = threading.Thread(target=self._serve_stream, args=(recv, send), daemon=True,
                             name="datecs-emu-pty")
        t.start()
        self._threads.append(t)
        return os.ttyname(slave)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until no TCP client is connected and no frame is being processed (a killed
        client's last frames are executed before a new client is served)."""
        def idle() -> bool:
            if self._busy or self._conns:
                return False
            if self._pty is not None:
                ready, _, _ = select.select([self._pty[0]], [], [], 0)
                return not ready
            return True

        with self._idle:
            return self._idle.wait_for(idle, timeout)

    def close(self) -> None:
        self._stop.set()
        if self._sock is not None:
            self._sock.close()
        for conn in list(self._conns):
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for t in self._threads:
            t.join(timeout=2)
        if self._pty is not None:
            for fd in self._pty:
                with contextlib.suppress(OSError):
                    os.close(fd)
            self._pty = None

    def __enter__(self) -> DatecsEmulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def main(argv: list[str] | None = None) -> int:
    """``python -m desktop.devices.emulators.datecs [--protocol x|old] [--tcp PORT] [--pty]``:
    serve until interrupted; prints ``tcp HOST PORT`` and/or ``pty PATH`` lines first."""
    import argparse
    import signal
    import sys

    ap = argparse.ArgumentParser(prog="python -m desktop.devices.emulators.datecs")
    ap.add_argument("--protocol", choices=["x", "old"], default="x")
    ap.add_argument("--tcp", type=int, default=None, help="TCP port (0 = any free port)")
    ap.add_argument("--pty", action="store_true", help="also serve on a pseudo-terminal")
    args = ap.parse_args(argv)
    emu = DatecsEmulator(args.protocol)
    if args.tcp is not None:
        host, port = emu.serve_tcp(port=args.tcp)
        print(f"tcp {host} {port}", flush=True)
    if args.pty or args.tcp is None:
        print(f"pty {emu.serve_pty()}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    emu.close()
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
