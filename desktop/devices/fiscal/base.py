"""The fiscal driver interface the till uses, whatever the device (Datecs, Checkbox).

A driver issues one document at a time and never decides about retries: the service records an
intent first (with what ``prepare`` says the device's counters should become), calls ``issue``,
and after any failure or crash asks ``reconcile`` whether the device issued the document.
Drivers call :func:`desktop.devices.fiscal.faults.checkpoint` ``("request_sent")`` right after
the request that makes a document final has left the till.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from desktop.devices.fiscal.model import (
    FiscalDocument,
    FiscalResult,
    ReportTotals,
    ShiftInfo,
)

__all__ = ["DeviceState", "FiscalDriver", "Outcome", "Reconciled"]


class Outcome(StrEnum):
    """What the device says about one document after the fact."""

    ISSUED = "issued"
    """The device issued it: record the result, never send it again."""
    NOT_ISSUED = "not_issued"
    """The device did not issue it (any half-built receipt was cancelled): safe to send again."""
    UNKNOWN = "unknown"
    """The device cannot tell now (unreachable, counters moved unexpectedly): in doubt."""


@dataclass(frozen=True)
class Reconciled:
    outcome: Outcome
    result: FiscalResult | None = None
    note: str = ""


@dataclass(frozen=True)
class DeviceState:
    """A device's health and counters, for the status endpoint and the cashier's screen."""

    device: str
    online: bool
    shift_open: bool | None
    receipt_open: bool = False
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    info: dict[str, Any] = field(default_factory=dict)


class FiscalDriver(ABC):
    """One fiscal device. Not thread-safe: the service serialises calls."""

    device_id: str = "fiscal"
    #: Whether the device keeps its own shift (Checkbox) or the till tracks it (Datecs day).
    device_shifts: bool = False

    @abstractmethod
    def connect(self) -> None:
        """Open the link, sign in, read the device's tax table."""

    @abstractmethod
    def close(self) -> None:
        """Release the link (idempotent)."""

    @abstractmethod
    def state(self) -> DeviceState: ...

    @abstractmethod
    def current_shift(self) -> ShiftInfo | None:
        """The device's open shift, if it keeps one (None when closed or not tracked)."""

    @abstractmethod
    def open_shift(self, cashier: str) -> ShiftInfo: ...

    @abstractmethod
    def x_report(self) -> ReportTotals: ...

    @abstractmethod
    def z_report(self) -> ReportTotals:
        """Close the fiscal day/shift with a Z report."""

    @abstractmethod
    def prepare(self, doc: FiscalDocument) -> dict[str, Any]:
        """Check the document against the device (tax groups) and read the counters the
        intent must record; raises before anything is sent."""

    @abstractmethod
    def issue(self, doc: FiscalDocument, expected: dict[str, Any]) -> FiscalResult:
        """Send the document. On error, leave no half-built document on the device."""

    @abstractmethod
    def reconcile(self, doc: FiscalDocument, expected: dict[str, Any]) -> Reconciled:
        """Ask the device whether it issued ``doc`` (finishing or cancelling a half-built one)."""

    def z_mark(self) -> dict[str, Any]:
        """What tells later whether a Z report was made (recorded before sending one)."""
        return {}

    def z_done(self, mark: dict[str, Any]) -> tuple[bool | None, ReportTotals | None]:
        """Whether the device made the Z since ``mark`` (None: cannot tell) and its totals
        when the device can still report them."""
        return None, None

    def last_document(self) -> dict[str, Any] | None:
        """What the device reports as its last document (for diagnostics)."""
        return None

    def pending_uploads(self) -> int:
        """Documents issued offline and not yet delivered to the fiscal server."""
        return 0

    def sync(self) -> int:
        """Deliver documents issued offline; returns how many were delivered."""
        return 0
