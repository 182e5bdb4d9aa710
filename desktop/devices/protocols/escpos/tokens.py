"""Split an ESC/POS byte stream into commands without interpreting them.

Used by the decoder (tests, demo) and by the emulator, which must spot ``DLE EOT`` requests
without mistaking bytes inside an image or QR payload for one. ``tokenize(..., final=False)``
stops before an incomplete trailing command so a network reader can resume when more arrives.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Token", "tokenize"]

ESC, GS, DLE, FS = 0x1B, 0x1D, 0x10, 0x1C

# Fixed total lengths (prefix byte included) by (prefix, command byte).
_FIXED: dict[tuple[int, int], int] = {}
for _c in b"@2<SLim":
    _FIXED[(ESC, _c)] = 2
for _c in b"!-3=?EGJMRTUVadetr{ %":
    _FIXED[(ESC, _c)] = 3
for _c in b"$\\B":
    _FIXED[(ESC, _c)] = 4
_FIXED[(ESC, ord("p"))] = 5
_FIXED[(ESC, ord("W"))] = 10
_FIXED[(ESC, ord("c"))] = 4
for _c in b"!BHIEbfhrwa/":
    _FIXED[(GS, _c)] = 3
for _c in b"$LPW\\":
    _FIXED[(GS, _c)] = 4
for _c in b".&":
    _FIXED[(FS, _c)] = 2
for _c in b"!-CW":
    _FIXED[(FS, _c)] = 3
for _c in b"pS":
    _FIXED[(FS, _c)] = 4
_FIXED[(DLE, 0x04)] = 3
_FIXED[(DLE, 0x05)] = 3
_FIXED[(DLE, 0x14)] = 5


@dataclass(frozen=True, slots=True)
class Token:
    """``kind`` is "text" (printable bytes), "ctl" (one control byte) or "cmd" (a command).

    For commands ``name`` is the prefix and command letter (e.g. "ESC t", "GS ( k") and
    ``raw`` the full bytes; for text ``raw`` is the undecoded run.
    """

    kind: str
    name: str
    raw: bytes


_PREFIX = {ESC: "ESC", GS: "GS", DLE: "DLE", FS: "FS"}


def _name(prefix: int, c: int) -> str:
    ch = chr(c) if 0x20 < c < 0x7F else f"{c:02X}"
    return f"{_PREFIX[prefix]} {ch}"


def _variable(buf: bytes, i: int, prefix: int, c: int) -> int | None:
    """Total length of a variable-length command at ``i`` or None when not yet complete.

    Returns -1 for a command we do not know (treated as two bytes by the caller).
    """
    n = len(buf) - i

    def need(k: int) -> bool:
        return n >= k

    if prefix == GS and c == ord("V"):
        if not need(3):
            return None
        return 4 if buf[i + 2] in (65, 66, 97, 98, 103, 104) else 3
    if prefix == GS and c == ord("v"):
        if not need(8):
            return None
        x = buf[i + 4] | buf[i + 5] << 8
        y = buf[i + 6] | buf[i + 7] << 8
        return 8 + x * y
    if prefix == GS and c == ord("("):
        if not need(5):
            return None
        return 5 + (buf[i + 3] | buf[i + 4] << 8)
    if prefix == GS and c == ord("8"):
        if not need(7):
            return None
        return 7 + int.from_bytes(buf[i + 3:i + 7], "little")
    if prefix == GS and c == ord("k"):
        if not need(3):
            return None
        m = buf[i + 2]
        if m <= 6:
            end = buf.find(b"\x00", i + 3)
            return None if end < 0 else end - i + 1
        if not need(4):
            return None
        return 4 + buf[i + 3]
    if prefix == GS and c == ord("*"):
        if not need(4):
            return None
        return 4 + buf[i + 2] * buf[i + 3] * 8
    if prefix == ESC and c == ord("*"):
        if not need(5):
            return None
        cols = buf[i + 3] | buf[i + 4] << 8
        return 5 + cols * (3 if buf[i + 2] in (32, 33) else 1)
    if prefix == ESC and c == ord("D"):
        end = buf.find(b"\x00", i + 2)
        return None if end < 0 else end - i + 1
    return -1


def tokenize(buf: bytes, *, final: bool = True) -> tuple[list[Token], int]:
    """Tokens and the number of bytes consumed.

    With ``final=False`` an incomplete trailing command is left unconsumed; with ``final=True``
    it becomes a "truncated" token.
    """
    out: list[Token] = []
    i, size = 0, len(buf)
    while i < size:
        b = buf[i]
        if b >= 0x20 and b != 0x7F:
            j = i + 1
            while j < size and (buf[j] >= 0x20 and buf[j] != 0x7F):
                j += 1
            out.append(Token("text", "", bytes(buf[i:j])))
            i = j
            continue
        if b not in _PREFIX:
            out.append(Token("ctl", f"{b:02X}", bytes([b])))
            i += 1
            continue
        if i + 1 >= size:
            if not final:
                break
            out.append(Token("truncated", _PREFIX[b], bytes(buf[i:])))
            i = size
            continue
        c = buf[i + 1]
        length = _FIXED.get((b, c))
        if length is None:
            length = _variable(buf, i, b, c)
        if length is None or i + max(length, 2) > size:
            if not final:
                break
            out.append(Token("truncated", _name(b, c), bytes(buf[i:])))
            i = size
            continue
        if length == -1:
            out.append(Token("unknown", _name(b, c), bytes(buf[i:i + 2])))
            i += 2
            continue
        name = _name(b, c)
        if b == GS and c == ord("("):
            name = f"GS ( {chr(buf[i + 2])}"
        out.append(Token("cmd", name, bytes(buf[i:i + length])))
        i += length
    return out, i
