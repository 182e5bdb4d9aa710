"""A raw-TCP label printer speaking ZPL and TSPL, for tests and ``make demo``.

Stores every job, answers ZPL ``~HS`` (three status lines) and TSPL ``ESC ! ?`` (one byte) and
``ESC ! S`` from a configurable state. ``zpl_labels()``/``tspl_labels()`` parse what arrived.

Run: ``python -m desktop.devices.emulators.label_printer --port 9101 [--status paper-out]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

from desktop.devices.emulators.escpos_printer import TcpEmulator, _serve_until_signal
from desktop.devices.protocols.tspl.parse import TsplLabel
from desktop.devices.protocols.tspl.parse import parse as parse_tspl
from desktop.devices.protocols.tspl.status import STATUS_QUERY, TsplStatus, encode_status
from desktop.devices.protocols.zpl.parse import Label, ParsedZpl
from desktop.devices.protocols.zpl.parse import parse as parse_zpl
from desktop.devices.protocols.zpl.status import HOST_STATUS, ZplStatus, encode_host_status

__all__ = ["LABEL_STATUSES", "LabelPrinterEmulator", "main"]

LABEL_STATUSES: dict[str, ZplStatus] = {
    "ready": ZplStatus(),
    "paper-out": ZplStatus(paper_out=True),
    "paused": ZplStatus(paused=True),
    "head-up": ZplStatus(head_up=True),
    "ribbon-out": ZplStatus(ribbon_out=True),
}
_EXTENDED = b"\x1b!S"


class LabelPrinterEmulator(TcpEmulator):
    def __init__(self, host: str = "127.0.0.1", port: int = 0, *,
                 status: ZplStatus | str = "ready", spool: Path | None = None) -> None:
        super().__init__(host, port, spool=spool)
        self.status = LABEL_STATUSES[status] if isinstance(status, str) else status
        self.status_requests = 0

    def set_status(self, status: ZplStatus | str | None = None, **flags: Any) -> None:
        base = LABEL_STATUSES[status] if isinstance(status, str) else (status or self.status)
        self.status = dataclasses.replace(base, **flags)

    def _tspl_byte(self) -> int:
        s = self.status
        return encode_status(TsplStatus(head_open=s.head_up, paper_out=s.paper_out,
                                        ribbon_out=s.ribbon_out, paused=s.paused))

    def answer(self, pending: bytes) -> tuple[bytes, int]:
        # Keep the last two bytes: a request may be split across reads.
        out = bytearray()
        i = 0
        while True:
            hits = [(pending.find(req, i), req) for req in (HOST_STATUS, STATUS_QUERY, _EXTENDED)]
            hits = [(pos, req) for pos, req in hits if pos >= 0]
            if not hits:
                break
            pos, req = min(hits)
            self.status_requests += 1
            if req == HOST_STATUS:
                out += encode_host_status(self.status)
            elif req == STATUS_QUERY:
                out.append(self._tspl_byte())
            else:
                code = "A" if self.status.paper_out else "`" if self.status.head_up else "@"
                out += b"\x02@@@" + code.encode() + b"\x03\r\n"
            i = pos + len(req)
        keep = max(i, len(pending) - 2)
        return bytes(out), keep

    def zpl(self) -> ParsedZpl:
        return parse_zpl(self.data.decode("utf-8", "replace"))

    def zpl_labels(self) -> list[Label]:
        return self.zpl().labels

    def tspl_labels(self, codepage: str = "utf-8") -> list[TsplLabel]:
        return parse_tspl(self.data.decode(codepage, "replace"))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="ZPL/TSPL network label printer emulator")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=9101)
    p.add_argument("--status", choices=sorted(LABEL_STATUSES), default="ready")
    p.add_argument("--spool", type=Path)
    p.add_argument("--advertise", metavar="NAME")
    a = p.parse_args(argv)
    emu = LabelPrinterEmulator(a.host, a.port, status=a.status, spool=a.spool)
    return _serve_until_signal(emu, a.advertise, "_printer._tcp.local.")


if __name__ == "__main__":
    sys.exit(main())
