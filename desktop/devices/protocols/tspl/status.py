"""TSPL status: ``ESC ! ?`` answers one byte (0 = ready).

Bits: 01 head open, 02 paper jam, 04 out of paper, 08 out of ribbon, 10 paused, 20 printing,
80 other error (reference/devices.md §4).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["STATUS_QUERY", "TsplStatus", "encode_status", "parse_status"]

STATUS_QUERY = b"\x1b!?"


@dataclass(frozen=True)
class TsplStatus:
    head_open: bool = False
    paper_jam: bool = False
    paper_out: bool = False
    ribbon_out: bool = False
    paused: bool = False
    printing: bool = False
    error: bool = False

    @property
    def ready(self) -> bool:
        return not (self.head_open or self.paper_jam or self.paper_out or self.ribbon_out
                    or self.paused or self.error)


def parse_status(byte: int) -> TsplStatus:
    return TsplStatus(head_open=bool(byte & 0x01), paper_jam=bool(byte & 0x02),
                      paper_out=bool(byte & 0x04), ribbon_out=bool(byte & 0x08),
                      paused=bool(byte & 0x10), printing=bool(byte & 0x20),
                      error=bool(byte & 0x80))


def encode_status(s: TsplStatus) -> int:
    return (0x01 * s.head_open | 0x02 * s.paper_jam | 0x04 * s.paper_out | 0x08 * s.ribbon_out
            | 0x10 * s.paused | 0x20 * s.printing | 0x80 * s.error)
