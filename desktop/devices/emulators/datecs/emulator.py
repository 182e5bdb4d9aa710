"""The emulator's frame level: parse a request, apply injected faults, repeat the last reply
for a repeated SEQ, execute the command, frame the reply with the status bytes.

Like the real device it does not execute a frame whose SEQ equals the previous frame's; it
repeats its last reply. ``fail_at`` makes a step fail: NAK, a lost request, a lost or garbled
reply, busy SYNs, or a device condition such as paper out.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from desktop.devices.emulators.datecs.commands import execute
from desktop.devices.emulators.datecs.memory import FiscalMemory, IssuedDoc
from desktop.devices.emulators.datecs.server import FrameServer
from desktop.devices.fiscal.datecs.frame import (
    NAK,
    SYN,
    Variant,
    build_reply,
    dialect,
    parse_request,
)
from desktop.devices.fiscal.datecs.status import encode
from shared.clock import Clock, SystemClock

__all__ = ["RO_RATES", "DatecsEmulator"]

RO_RATES = ("21.00", "11.00", "9.00", "0.00", "0.00", "100.00", "100.00", "100.00")


@dataclass
class _Fault:
    cmd: int
    mode: str
    times: int
    after: int


class DatecsEmulator:
    """Fiscal memory (``memory``) behind the framed protocol; serve it with ``serve_tcp()``
    and/or ``serve_pty()`` (``server``)."""

    def __init__(self, variant: Variant | str = Variant.X, *, clock: Clock = SystemClock(),
                 rates: tuple[str, ...] = RO_RATES, serial: str = "DT000001",
                 fm_number: str = "02000001", encoding: str = "cp1250") -> None:
        self.variant = Variant(variant)
        self.d = dialect(self.variant)
        self.x = self.variant is Variant.X
        self.encoding = encoding
        self.memory = FiscalMemory(x=self.x, clock=clock, rates=[Decimal(r) for r in rates],
                                   serial=serial, fm_number=fm_number)
        self.frames = 0
        self._faults: list[_Fault] = []
        self._last: tuple[int, bytes] | None = None
        self._lock = threading.RLock()
        self.server = FrameServer(self.process)

    # -- control ---------------------------------------------------------------------------
    def now(self) -> datetime:
        return self.memory.now()

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
            (self.memory.flags.add if on else self.memory.flags.discard)(name)

    def documents(self, kind: str | None = None) -> list[IssuedDoc]:
        with self._lock:
            return [d for d in self.memory.journal if kind is None or d.kind == kind]

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
                self.memory.flags.add(fault)  # a device condition appears at this step
            data, extra = execute(self.memory, req.cmd, req.data, self.encoding)
            status = encode(self.d, self.memory.status_flags() | extra)
            reply = build_reply(self.d, req.seq, req.cmd, data, status)
            self._last = (req.seq, reply)
        if fault == "drop":
            return b""
        if fault == "garble":
            return reply[:-2] + bytes(((reply[-2] ^ 0x01),)) + reply[-1:]
        if fault == "busy":
            return bytes((SYN,)) * 3 + reply
        return reply

    # -- links -----------------------------------------------------------------------------
    def serve_tcp(self, host: str = "127.0.0.1", port: int = 0) -> tuple[str, int]:
        """Listen on ``host:port`` (0 = any free port); returns the bound address."""
        return self.server.serve_tcp(host, port)

    def serve_pty(self) -> str:
        """Open a pseudo-terminal; returns the path a serial client opens."""
        return self.server.serve_pty()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until no client is connected and no frame is being processed."""
        return self.server.wait_idle(timeout)

    def close(self) -> None:
        self.server.close()

    def __enter__(self) -> DatecsEmulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
