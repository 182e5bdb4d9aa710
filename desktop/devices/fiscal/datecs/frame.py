"""Datecs framing, old protocol and "X" protocol: pure functions over bytes (no I/O).

Host → printer ``01 LEN SEQ CMD DATA 05 BCC 03``; printer → host
``01 LEN SEQ CMD DATA 04 STATUS 05 BCC 03``. LEN counts the bytes after ``01`` up to and
including ``05``, plus 20h. The old protocol writes LEN and CMD as single bytes and has 6 status
bytes; the X protocol writes them as four "nibble-bytes" (each nibble + 30h) and has 8 status
bytes. BCC is the 16-bit sum of the bytes after ``01`` through ``05``, as nibble-bytes. Control
bytes inside DATA (other than TAB and LF, which are field separators) travel as ``10, byte+40``
so a marker can never appear inside a frame. See devices.md §2.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from desktop.devices.errors import ProtocolError

__all__ = [
    "ETX",
    "NAK",
    "POSTAMBLE",
    "PREAMBLE",
    "SEPARATOR",
    "SYN",
    "Dialect",
    "Frame",
    "FrameReader",
    "Request",
    "Variant",
    "bcc",
    "build_reply",
    "build_request",
    "dialect",
    "escape",
    "from_nibbles",
    "nibbles",
    "parse_reply",
    "parse_request",
    "unescape",
]

PREAMBLE, ETX, SEPARATOR, POSTAMBLE, ESC, NAK, SYN = 0x01, 0x03, 0x04, 0x05, 0x10, 0x15, 0x16
_SPACE = 0x20
_PASS = frozenset({0x09, 0x0A})  # TAB and LF separate fields; they never collide with markers


class Variant(StrEnum):
    """Protocol family."""

    OLD = "old"
    """FP-800/FP-2000/SK1-21F style: 1-byte LEN/CMD, 6 status bytes, comma-separated params."""
    X = "x"
    """FP-700X/DP-25X style: 4 nibble-byte LEN/CMD, 8 status bytes, TAB after each param."""


@dataclass(frozen=True)
class Dialect:
    variant: Variant
    width: int  # bytes for LEN and CMD
    status_len: int
    seq_min: int
    seq_max: int


_DIALECTS = {
    Variant.OLD: Dialect(Variant.OLD, 1, 6, 0x20, 0x7F),
    Variant.X: Dialect(Variant.X, 4, 8, 0x20, 0xFF),
}


def dialect(variant: Variant | str) -> Dialect:
    return _DIALECTS[Variant(variant)]


def nibbles(value: int, width: int = 4) -> bytes:
    """A 16-bit value as ``width`` nibble-bytes, MSB first (1AE3 → 31 3A 3E 33)."""
    if not 0 <= value < 1 << (4 * width):
        raise ValueError(f"{value} does not fit in {width} nibbles")
    return bytes(0x30 + ((value >> (4 * i)) & 0xF) for i in reversed(range(width)))


def from_nibbles(data: bytes) -> int:
    value = 0
    for b in data:
        if not 0x30 <= b <= 0x3F:
            raise ProtocolError(f"not a nibble-byte: {b:#04x}")
        value = (value << 4) | (b - 0x30)
    return value


def bcc(body: bytes) -> bytes:
    """Checksum of the bytes after ``01`` through ``05``."""
    return nibbles(sum(body) & 0xFFFF)


def escape(data: bytes) -> bytes:
    out = bytearray()
    for b in data:
        if b < _SPACE and b not in _PASS:
            out += bytes((ESC, b + 0x40))
        else:
            out.append(b)
    return bytes(out)


def unescape(data: bytes) -> bytes:
    out = bytearray()
    it = iter(data)
    for b in it:
        if b == ESC:
            nxt = next(it, None)
            if nxt is None or not 0x40 <= nxt < 0x60:
                raise ProtocolError("bad escape sequence in frame data")
            out.append(nxt - 0x40)
        else:
            out.append(b)
    return bytes(out)


def _field(d: Dialect, value: int) -> bytes:
    return bytes((value,)) if d.width == 1 else nibbles(value)


def _frame(d: Dialect, seq: int, cmd: int, payload: bytes) -> bytes:
    if not d.seq_min <= seq <= d.seq_max:
        raise ValueError(f"SEQ {seq:#x} outside {d.seq_min:#x}..{d.seq_max:#x}")
    if d.width == 1 and not 0 <= cmd <= 0xFF:
        raise ValueError(f"command {cmd:#x} does not fit the old protocol")
    body_len = d.width + 1 + d.width + len(payload) + 1
    length = _SPACE + body_len
    if d.width == 1 and length > 0xFF:
        raise ValueError("frame too long for the old protocol")
    body = _field(d, length) + bytes((seq,)) + _field(d, cmd) + payload + bytes((POSTAMBLE,))
    return bytes((PREAMBLE,)) + body + bcc(body) + bytes((ETX,))


def build_request(d: Dialect, seq: int, cmd: int, data: bytes = b"") -> bytes:
    """Host → printer frame."""
    return _frame(d, seq, cmd, escape(data))


def build_reply(d: Dialect, seq: int, cmd: int, data: bytes, status: bytes) -> bytes:
    """Printer → host frame (used by the emulator)."""
    if len(status) != d.status_len:
        raise ValueError(f"{d.variant} status is {d.status_len} bytes, got {len(status)}")
    return _frame(d, seq, cmd, escape(data) + bytes((SEPARATOR,)) + status)


@dataclass(frozen=True)
class Request:
    seq: int
    cmd: int
    data: bytes


@dataclass(frozen=True)
class Frame:
    """A parsed printer reply."""

    seq: int
    cmd: int
    data: bytes
    status: bytes


def _open(d: Dialect, frame: bytes) -> tuple[int, int, bytes]:
    """Check markers, LEN and BCC; return (seq, cmd, payload between CMD and 05)."""
    if len(frame) < 2 * d.width + 8 or frame[0] != PREAMBLE or frame[-1] != ETX:
        raise ProtocolError("frame lacks its 01 … 03 markers")
    post = len(frame) - 6
    if frame[post] != POSTAMBLE:
        raise ProtocolError("frame lacks its 05 postamble")
    body = frame[1:post + 1]
    if frame[post + 1:-1] != bcc(body):
        raise ProtocolError("frame checksum mismatch")
    length = body[0] if d.width == 1 else from_nibbles(body[:4])
    if length - _SPACE != len(body):
        raise ProtocolError(f"frame LEN says {length - _SPACE}, body has {len(body)} bytes")
    seq = body[d.width]
    cmd_raw = body[d.width + 1:2 * d.width + 1]
    cmd = cmd_raw[0] if d.width == 1 else from_nibbles(cmd_raw)
    return seq, cmd, body[2 * d.width + 1:-1]


def parse_request(d: Dialect, frame: bytes) -> Request:
    seq, cmd, payload = _open(d, frame)
    return Request(seq, cmd, unescape(payload))


def parse_reply(d: Dialect, frame: bytes) -> Frame:
    seq, cmd, payload = _open(d, frame)
    sep = payload.rfind(bytes((SEPARATOR,)))
    if sep < 0 or len(payload) - sep - 1 != d.status_len:
        raise ProtocolError(f"reply lacks 04 + {d.status_len} status bytes")
    return Frame(seq, cmd, unescape(payload[:sep]), payload[sep + 1:])


class FrameReader:
    """Splits a byte stream into events: complete frames, NAK and SYN; skips line noise."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._in_frame = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Yield ``b"\\x15"`` (NAK), ``b"\\x16"`` (SYN) or whole ``01 … 03`` frames."""
        for b in data:
            if not self._in_frame:
                if b in (NAK, SYN):
                    yield bytes((b,))
                elif b == PREAMBLE:
                    self._in_frame = True
                    self._buf = bytearray((b,))
                continue
            if b == PREAMBLE:  # a new frame starts: the previous one was broken
                self._buf = bytearray((b,))
                continue
            self._buf.append(b)
            if b == ETX:
                self._in_frame = False
                yield bytes(self._buf)
                self._buf = bytearray()
