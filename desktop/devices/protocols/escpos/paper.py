"""Paper cut (``GS V``) and cash-drawer kick (``ESC p``)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["CutMode", "cut", "drawer_pulse"]

GS = b"\x1d"
ESC = b"\x1b"


class CutMode(StrEnum):
    """What the auto-cutter does at the end of a receipt."""

    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


def cut(mode: CutMode = CutMode.PARTIAL, *, feed: int = 0) -> bytes:
    """``GS V 0|1`` (as python-escpos), or ``GS V 65|66 n`` to feed ``n`` dots then cut."""
    mode = CutMode(mode)
    if mode is CutMode.NONE:
        return b""
    if not 0 <= feed <= 255:
        raise ValueError("cut feed must be 0..255")
    partial = mode is CutMode.PARTIAL
    if feed:
        return GS + b"V" + bytes([66 if partial else 65, feed])
    return GS + b"V" + (b"\x01" if partial else b"\x00")


def drawer_pulse(pin: int = 2, *, on_ms: int = 100, off_ms: int = 100) -> bytes:
    """``ESC p m t1 t2``: pin 2 (m=0) or pin 5 (m=1), times in 2 ms units."""
    if pin not in (2, 5):
        raise ValueError("drawer pin must be 2 or 5")
    t1, t2 = on_ms // 2, off_ms // 2
    if not (1 <= t1 <= 255 and 1 <= t2 <= 255):
        raise ValueError("drawer pulse times must be 2..510 ms")
    return ESC + b"p" + bytes([0 if pin == 2 else 1, t1, t2])
