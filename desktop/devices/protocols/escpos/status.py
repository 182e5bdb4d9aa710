"""Real-time status (``DLE EOT n``): requests, parsing, and the inverse for emulators.

Every answer byte has bits 1 and 4 set and bits 0 and 7 clear (base 0x12). Bits per
reference/devices.md §3:

* n=1 printer: 2 drawer pin 3 high, 3 offline, 5 waiting for recovery, 6 feed button pressed
* n=2 offline cause: 2 cover open, 3 feeding by button, 5 stopped at paper end, 6 error
* n=3 error cause: 2 recoverable, 3 autocutter, 5 unrecoverable, 6 auto-recoverable
* n=4 roll paper sensor: 2+3 near end, 5+6 paper end
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["BASE", "QUERIES", "RealtimeStatus", "encode", "is_valid", "parse", "query"]

DLE_EOT = b"\x10\x04"
BASE = 0x12
QUERIES = (1, 2, 3, 4)


def query(n: int) -> bytes:
    """``DLE EOT n`` for n in 1..4."""
    if n not in QUERIES:
        raise ValueError("DLE EOT n must be 1..4")
    return DLE_EOT + bytes([n])


def is_valid(byte: int) -> bool:
    """A status byte has the fixed bits (1 and 4 set, 0 and 7 clear)."""
    return (byte & 0x93) == BASE


@dataclass(frozen=True)
class RealtimeStatus:
    """What the four status bytes say, merged."""

    offline: bool = False
    drawer_high: bool = False
    waiting_recovery: bool = False
    cover_open: bool = False
    paper_end_stop: bool = False
    error: bool = False
    autocutter_error: bool = False
    unrecoverable_error: bool = False
    recoverable_error: bool = False
    paper_near_end: bool = False
    paper_out: bool = False

    @property
    def ready(self) -> bool:
        """Online, cover closed, paper present and no error."""
        return not (self.offline or self.cover_open or self.paper_out or self.paper_end_stop
                    or self.error or self.unrecoverable_error or self.autocutter_error)


def parse(answers: Mapping[int, int]) -> RealtimeStatus:
    """Merge answers ``{n: byte}``; a missing n leaves its flags clear.

    Raises ValueError for a byte without the fixed bits (not a status answer).
    """
    for n, b in answers.items():
        if n not in QUERIES or not 0 <= b <= 255 or not is_valid(b):
            raise ValueError(f"not a DLE EOT {n} status byte: {b:#04x}")
    b1, b2 = answers.get(1, BASE), answers.get(2, BASE)
    b3, b4 = answers.get(3, BASE), answers.get(4, BASE)
    return RealtimeStatus(
        offline=bool(b1 & 0x08),
        drawer_high=bool(b1 & 0x04),
        waiting_recovery=bool(b1 & 0x20),
        cover_open=bool(b2 & 0x04),
        paper_end_stop=bool(b2 & 0x20),
        error=bool(b2 & 0x40),
        recoverable_error=bool(b3 & 0x04),
        autocutter_error=bool(b3 & 0x08),
        unrecoverable_error=bool(b3 & 0x20),
        paper_near_end=(b4 & 0x0C) == 0x0C,
        paper_out=(b4 & 0x60) == 0x60,
    )


def encode(status: RealtimeStatus, n: int) -> int:
    """The byte a printer in ``status`` answers to ``DLE EOT n`` (used by the emulator)."""
    s = status
    if n == 1:
        offline = s.offline or s.cover_open or s.paper_end_stop or s.error
        return BASE | 0x04 * s.drawer_high | 0x08 * offline | 0x20 * s.waiting_recovery
    if n == 2:
        error = s.error or s.autocutter_error or s.unrecoverable_error or s.recoverable_error
        return BASE | 0x04 * s.cover_open | 0x20 * (s.paper_end_stop or s.paper_out) | 0x40 * error
    if n == 3:
        return (BASE | 0x04 * s.recoverable_error | 0x08 * s.autocutter_error
                | 0x20 * s.unrecoverable_error)
    if n == 4:
        return BASE | 0x0C * (s.paper_near_end or s.paper_out) | 0x60 * s.paper_out
    raise ValueError("DLE EOT n must be 1..4")
