"""ESC/POS text commands: initialise, alignment, emphasis, size, code page, feeds.

Each builder returns the exact command bytes (see ``reference/devices.md`` §3); nothing here
knows about receipts or transports.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = [
    "BOLD_OFF",
    "BOLD_ON",
    "ESC",
    "GS",
    "INIT",
    "LF",
    "SIZE_NORMAL",
    "Align",
    "align",
    "bold",
    "feed",
    "font",
    "select_codepage",
    "size",
    "underline",
]

ESC = b"\x1b"
GS = b"\x1d"
LF = b"\n"
INIT = ESC + b"@"
BOLD_ON = ESC + b"E\x01"
BOLD_OFF = ESC + b"E\x00"
SIZE_NORMAL = GS + b"!\x00"


class Align(IntEnum):
    """``ESC a n`` justification."""

    LEFT = 0
    CENTER = 1
    RIGHT = 2


_ALIGN = {a: ESC + b"a" + bytes([a]) for a in Align}


def _byte(name: str, n: int, lo: int, hi: int) -> int:
    if not lo <= n <= hi:
        raise ValueError(f"{name} must be {lo}..{hi}, got {n}")
    return n


def align(where: Align) -> bytes:
    """``ESC a n``: left, centre or right justification of the following lines."""
    return _ALIGN[Align(where)]


def bold(on: bool) -> bytes:
    """``ESC E n``: emphasised (bold) on or off."""
    return BOLD_ON if on else BOLD_OFF


def underline(n: int) -> bytes:
    """``ESC - n``: 0 off, 1 thin, 2 thick."""
    return ESC + b"-" + bytes([_byte("underline", n, 0, 2)])


def font(n: int) -> bytes:
    """``ESC M n``: 0 font A (12x24), 1 font B (9x17)."""
    return ESC + b"M" + bytes([_byte("font", n, 0, 4)])


def size(width: int = 1, height: int = 1) -> bytes:
    """``GS ! n``: character magnification, high nibble width-1, low nibble height-1."""
    w = _byte("width", width, 1, 8)
    h = _byte("height", height, 1, 8)
    return GS + b"!" + bytes([(w - 1) << 4 | (h - 1)])


def select_codepage(n: int) -> bytes:
    """``ESC t n``: the character code table (Epson ids, e.g. 17 CP866, 46 WPC1251)."""
    return ESC + b"t" + bytes([_byte("code page", n, 0, 255)])


def feed(lines: int) -> bytes:
    """``ESC d n``: print the buffer and feed ``n`` lines."""
    return ESC + b"d" + bytes([_byte("feed", lines, 0, 255)])
