"""What the status bar shows, and the small interfaces that feed it.

Each source answers from a worker thread (the status lane) with plain values; the status bar
turns them into words on the UI thread. Device packages plug in by implementing
:class:`PrinterPort` / :class:`FiscalPort` (see :mod:`desktop.ui.devices`); the sync engine
plugs in by implementing :class:`SyncSource` and passing it to the main window — until then
:class:`OutboxSync` reports the events waiting in the till's outbox and "not connected".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from desktop.devices.fiscal.errors import NotConfigured

if TYPE_CHECKING:
    from desktop.core import Receipt, Shift, ShiftReport, Till
    from desktop.devices.fiscal.service import FiscalService

__all__ = [
    "DeviceHealth",
    "FiscalPort",
    "Health",
    "NoFiscal",
    "NoPrinter",
    "OutboxSync",
    "PrinterPort",
    "StatusSnapshot",
    "SyncSource",
    "SyncState",
]


class Health(StrEnum):
    """How worried the cashier should be about a device."""

    OK = "ok"
    """Working."""
    WARN = "warn"
    """Working, but needs attention soon (paper low, offline fiscal mode)."""
    ERROR = "error"
    """Not working: a person must act (the text says how)."""
    OFF = "off"
    """Not configured on this till."""


@dataclass(frozen=True)
class DeviceHealth:
    """One device's state as a machine word plus the device's own detail text."""

    health: Health
    state: str
    """``ok``, ``not_configured``, or the device's state word (``paper_out``, ``offline``…)."""
    detail: str = ""
    name: str = ""
    queued: int = 0
    """Print jobs waiting / fiscal documents in doubt."""

    @classmethod
    def not_configured(cls) -> DeviceHealth:
        return cls(Health.OFF, "not_configured")


@dataclass(frozen=True)
class SyncState:
    """The cloud link as the sync engine sees it."""

    configured: bool
    online: bool
    pending: int
    """Journal events not yet acknowledged by the cloud."""
    last_sync: datetime | None = None
    error: str = ""


@dataclass(frozen=True)
class StatusSnapshot:
    """Everything the status bar shows, read together on the status lane."""

    at: datetime
    shift: Shift | None
    shift_max_hours: int | None
    printer: DeviceHealth
    fiscal: DeviceHealth
    sync: SyncState


@runtime_checkable
class PrinterPort(Protocol):
    """The receipt printer as the cashier app needs it (all calls run on worker lanes)."""

    def health(self) -> DeviceHealth: ...

    def print_receipt(
        self, receipt: Receipt, *, copy: bool = False, open_drawer: bool = False
    ) -> str | None:
        """Queue the receipt; returns the job id (``None`` when no printer is configured)."""
        ...

    def print_report(self, report: ShiftReport, language: str) -> str | None: ...

    def retry(self) -> None:
        """Try the waiting jobs now (after the cashier fixed the printer)."""
        ...


@runtime_checkable
class FiscalPort(Protocol):
    """The fiscal device or service (Datecs, Checkbox) as the cashier app needs it.

    Sales, returns and cash in/out are not issued through the port: the window's document
    worker (:class:`desktop.ui.window_documents.WindowDocuments`) sends every completed document
    through :meth:`service`, as the headless till's does."""

    def health(self) -> DeviceHealth: ...

    @property
    def configured(self) -> bool: ...

    def reload(self) -> bool:
        """Re-read whether a device is configured (file I/O: call it off the UI thread)."""
        ...

    def service(self) -> FiscalService:
        """The fiscal service documents go through (``NotConfigured`` without a device)."""
        ...

    def open_shift(self, cashier: str) -> None: ...

    def close_shift(self) -> None: ...

    def x_report(self) -> None: ...

    def retry(self) -> None:
        """Settle documents the device left unconfirmed (after the cashier fixed it)."""
        ...


@runtime_checkable
class SyncSource(Protocol):
    """The sync engine's face towards the cashier app."""

    def state(self) -> SyncState: ...


class NoPrinter:
    """No receipt printer configured: nothing is printed, the status bar says so."""

    def health(self) -> DeviceHealth:
        return DeviceHealth.not_configured()

    def print_receipt(
        self, receipt: Receipt, *, copy: bool = False, open_drawer: bool = False
    ) -> str | None:
        return None

    def print_report(self, report: ShiftReport, language: str) -> str | None:
        return None

    def retry(self) -> None:
        return None


class NoFiscal:
    """No fiscal device configured (training till, or a country/shop that does not need one)."""

    configured = False

    def health(self) -> DeviceHealth:
        return DeviceHealth.not_configured()

    def reload(self) -> bool:
        return False

    def service(self) -> FiscalService:
        raise NotConfigured("no fiscal device on this till")

    def open_shift(self, cashier: str) -> None:
        return None

    def close_shift(self) -> None:
        return None

    def x_report(self) -> None:
        return None

    def retry(self) -> None:
        return None


class OutboxSync:
    """The sync slot before the sync engine exists: events wait in the outbox, no link."""

    def __init__(self, till: Till) -> None:
        self._till = till

    def state(self) -> SyncState:
        stats = self._till.outbox_stats()
        return SyncState(configured=False, online=False, pending=stats.pending)
