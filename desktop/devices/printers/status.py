"""Printer status as the till shows it, from any printer language's status answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from desktop.devices.errors import (
    CoverOpen,
    DeviceBusy,
    DeviceOffline,
    PaperOut,
    TransientDeviceError,
)
from desktop.devices.protocols.escpos.status import RealtimeStatus
from desktop.devices.protocols.tspl.status import TsplStatus
from desktop.devices.protocols.zpl.status import ZplStatus

__all__ = ["PrinterState", "PrinterStatus"]


class PrinterState(StrEnum):
    """One word for the API and the UI; the flags carry the detail."""

    ONLINE = "online"
    """Ready to print."""
    PAPER_LOW = "paper_low"
    """Prints, but the roll is near its end."""
    OFFLINE = "offline"
    """Cannot be reached, or reports itself offline."""
    PAPER_OUT = "paper_out"
    """Out of paper (or labels)."""
    COVER_OPEN = "cover_open"
    """Cover or print head open."""
    PAUSED = "paused"
    """Label printer paused by a person."""
    RIBBON_OUT = "ribbon_out"
    """Thermal-transfer ribbon missing."""
    ERROR = "error"
    """Mechanical or cutter error; a person must look."""
    TESTING = "testing"
    """Just added; the first check has not finished."""
    UNKNOWN = "unknown"
    """The connection cannot report status (e.g. a device file)."""


@dataclass(frozen=True)
class PrinterStatus:
    state: PrinterState
    online: bool
    cover_open: bool = False
    paper_near_end: bool = False
    paper_out: bool = False
    paused: bool = False
    ribbon_out: bool = False
    error: bool = False
    detail: str = ""
    checked_at: datetime | None = None

    @property
    def ready(self) -> bool:
        return self.state in (PrinterState.ONLINE, PrinterState.PAPER_LOW, PrinterState.UNKNOWN)

    def at(self, when: datetime) -> PrinterStatus:
        return replace(self, checked_at=when)

    def blocking_error(self) -> TransientDeviceError | None:
        """The error a print attempt would hit now, or None when it may print."""
        if self.ready:
            return None
        return {
            PrinterState.OFFLINE: DeviceOffline,
            PrinterState.PAPER_OUT: PaperOut,
            PrinterState.COVER_OPEN: CoverOpen,
            PrinterState.PAUSED: DeviceBusy,
            PrinterState.TESTING: DeviceBusy,
        }.get(self.state, TransientDeviceError)(self.detail or f"printer is {self.state.value}")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["state"] = self.state.value
        d["checked_at"] = self.checked_at.isoformat() if self.checked_at else None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PrinterStatus:
        d = dict(d)
        d["state"] = PrinterState(d["state"])
        if d.get("checked_at"):
            d["checked_at"] = datetime.fromisoformat(d["checked_at"])
        return cls(**d)

    @classmethod
    def offline(cls, detail: str) -> PrinterStatus:
        return cls(PrinterState.OFFLINE, online=False, detail=detail)

    @classmethod
    def testing(cls) -> PrinterStatus:
        return cls(PrinterState.TESTING, online=False, detail="first check pending")

    @classmethod
    def unknown(cls, detail: str = "status not readable on this connection") -> PrinterStatus:
        return cls(PrinterState.UNKNOWN, online=True, detail=detail)

    @classmethod
    def from_escpos(cls, rs: RealtimeStatus) -> PrinterStatus:
        if rs.cover_open:
            state, detail = PrinterState.COVER_OPEN, "cover open"
        elif rs.paper_out or rs.paper_end_stop:
            state, detail = PrinterState.PAPER_OUT, "paper out"
        elif rs.error or rs.unrecoverable_error or rs.autocutter_error:
            state, detail = PrinterState.ERROR, "printer error" + (
                " (autocutter)" if rs.autocutter_error else "")
        elif rs.offline:
            state, detail = PrinterState.OFFLINE, "printer reports offline"
        elif rs.paper_near_end:
            state, detail = PrinterState.PAPER_LOW, "paper near end"
        else:
            state, detail = PrinterState.ONLINE, ""
        return cls(state, online=not rs.offline, cover_open=rs.cover_open,
                   paper_near_end=rs.paper_near_end, paper_out=rs.paper_out or rs.paper_end_stop,
                   error=rs.error or rs.unrecoverable_error or rs.autocutter_error, detail=detail)

    @classmethod
    def from_zpl(cls, zs: ZplStatus) -> PrinterStatus:
        if zs.head_up:
            state = PrinterState.COVER_OPEN
        elif zs.paper_out:
            state = PrinterState.PAPER_OUT
        elif zs.ribbon_out:
            state = PrinterState.RIBBON_OUT
        elif zs.paused:
            state = PrinterState.PAUSED
        elif zs.over_temperature or zs.under_temperature:
            state = PrinterState.ERROR
        else:
            state = PrinterState.ONLINE
        return cls(state, online=True, cover_open=zs.head_up, paper_out=zs.paper_out,
                   paused=zs.paused, ribbon_out=zs.ribbon_out,
                   error=zs.over_temperature or zs.under_temperature,
                   detail="" if state is PrinterState.ONLINE else state.value.replace("_", " "))

    @classmethod
    def from_tspl(cls, ts: TsplStatus) -> PrinterStatus:
        if ts.head_open:
            state = PrinterState.COVER_OPEN
        elif ts.paper_out or ts.paper_jam:
            state = PrinterState.PAPER_OUT
        elif ts.ribbon_out:
            state = PrinterState.RIBBON_OUT
        elif ts.paused:
            state = PrinterState.PAUSED
        elif ts.error:
            state = PrinterState.ERROR
        else:
            state = PrinterState.ONLINE
        return cls(state, online=True, cover_open=ts.head_open,
                   paper_out=ts.paper_out or ts.paper_jam, paused=ts.paused,
                   ribbon_out=ts.ribbon_out, error=ts.error,
                   detail="" if state is PrinterState.ONLINE else state.value.replace("_", " "))
