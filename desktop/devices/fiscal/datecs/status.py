"""Every Datecs status bit decoded into a readable condition, and errors into our device tree.

Bit 7 of each status byte is always 1. Conditions are errors (the command failed or the device
cannot work), warnings (keep going, tell someone) or info (state flags). Old-protocol and
X-protocol tables differ in a few bits (devices.md §2). ``raise_for`` turns the most specific
error bit into an exception with a ``FISCAL_*`` code, so a paper-out never looks like a syntax
error to the cashier.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from desktop.devices.errors import (
    CoverOpen,
    DeviceError,
    DeviceRejected,
    PaperOut,
    PermanentDeviceError,
    ProtocolError,
    TransientDeviceError,
)
from desktop.devices.fiscal.datecs.frame import Dialect, Variant

__all__ = ["BITS", "HARDWARE", "Bit", "Severity", "Status", "decode", "encode"]


class Severity(StrEnum):
    ERROR = "error"
    """The command failed or the device cannot issue documents."""
    WARNING = "warning"
    """Still working; someone should act soon."""
    INFO = "info"
    """A state flag (receipt open, fiscalised…)."""


@dataclass(frozen=True)
class Bit:
    byte: int
    bit: int
    name: str
    text: str
    severity: Severity
    variants: frozenset[Variant] = frozenset({Variant.OLD, Variant.X})


_BOTH = frozenset({Variant.OLD, Variant.X})
_OLD = frozenset({Variant.OLD})
_X = frozenset({Variant.X})
ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

BITS: tuple[Bit, ...] = (
    Bit(0, 6, "cover_open", "printer cover is open", ERR),
    Bit(0, 5, "general_error", "general error", ERR),
    Bit(0, 4, "mechanism_fault", "printing mechanism fault", ERR),
    Bit(0, 3, "no_display", "customer display not connected", WARN, _OLD),
    Bit(0, 2, "clock_not_set", "real-time clock is not set", ERR),
    Bit(0, 1, "invalid_command", "invalid command code", ERR),
    Bit(0, 0, "syntax_error", "syntax error in command data", ERR),
    Bit(1, 4, "storno_open", "storno receipt is open", INFO, _OLD),
    Bit(1, 3, "low_battery", "clock battery is low", WARN, _OLD),
    Bit(1, 2, "ram_reset", "operating memory was reset", WARN, _OLD),
    Bit(1, 2, "z_required", "fiscal day is older than 24 h: a Z report is required", ERR, _X),
    Bit(1, 1, "not_permitted", "command not permitted in the current state", ERR),
    Bit(1, 0, "overflow", "amount overflow during command", ERR),
    Bit(2, 5, "nonfiscal_open", "non-fiscal receipt is open", INFO),
    Bit(2, 4, "ej_nearly_full", "electronic journal nearly full", WARN),
    Bit(2, 3, "fiscal_open", "fiscal receipt is open", INFO),
    Bit(2, 2, "ej_full", "electronic journal is full", ERR),
    Bit(2, 1, "near_paper_end", "paper is running out", WARN),
    Bit(2, 0, "paper_end", "out of paper", ERR),
    Bit(4, 6, "fm_missing", "fiscal memory missing or damaged", ERR, _X),
    Bit(4, 6, "head_overheat", "print head overheated", ERR, _OLD),
    Bit(4, 4, "fm_full", "fiscal memory is full", ERR),
    Bit(4, 3, "fm_near_full", "fiscal memory nearly full (few Z reports left)", WARN),
    Bit(4, 2, "serial_set", "serial and fiscal memory numbers are set", INFO),
    Bit(4, 1, "tax_number_set", "tax number is set", INFO),
    Bit(4, 0, "fm_access_error", "error accessing fiscal memory", ERR),
    Bit(5, 5, "fm_read_error", "fiscal memory read error", ERR, _OLD),
    Bit(5, 4, "vat_set", "VAT rates are set", INFO),
    Bit(5, 3, "fiscalised", "device is fiscalised", INFO),
    Bit(5, 2, "fm_write_failed", "last fiscal memory write failed", ERR, _OLD),
    Bit(5, 1, "fm_formatted", "fiscal memory is formatted", INFO),
    Bit(5, 0, "fm_read_only", "fiscal memory is read-only", ERR, _OLD),
)

# Most specific first: the exception a cashier can act on.
_RAISE: tuple[tuple[str, type[DeviceError], str], ...] = (
    ("paper_end", PaperOut, "FISCAL_PAPER_OUT"),
    ("cover_open", CoverOpen, "FISCAL_COVER_OPEN"),
    ("z_required", DeviceRejected, "FISCAL_Z_REQUIRED"),
    ("fm_full", PermanentDeviceError, "FISCAL_MEMORY_FULL"),
    ("ej_full", PermanentDeviceError, "FISCAL_EJ_FULL"),
    ("fm_missing", PermanentDeviceError, "FISCAL_MEMORY_ERROR"),
    ("fm_access_error", PermanentDeviceError, "FISCAL_MEMORY_ERROR"),
    ("fm_read_error", PermanentDeviceError, "FISCAL_MEMORY_ERROR"),
    ("fm_write_failed", PermanentDeviceError, "FISCAL_MEMORY_ERROR"),
    ("fm_read_only", PermanentDeviceError, "FISCAL_MEMORY_ERROR"),
    ("mechanism_fault", PermanentDeviceError, "FISCAL_PRINTER_FAULT"),
    ("head_overheat", TransientDeviceError, "FISCAL_PRINTER_FAULT"),
    ("clock_not_set", DeviceRejected, "FISCAL_CLOCK_NOT_SET"),
    ("syntax_error", ProtocolError, "FISCAL_DEVICE_PROTOCOL"),
    ("invalid_command", ProtocolError, "FISCAL_DEVICE_PROTOCOL"),
    ("overflow", DeviceRejected, "FISCAL_AMOUNT_OVERFLOW"),
    ("not_permitted", DeviceRejected, "FISCAL_COMMAND_NOT_PERMITTED"),
    ("general_error", DeviceRejected, "FISCAL_DEVICE_ERROR"),
)
HARDWARE = frozenset({"paper_end", "cover_open", "z_required", "fm_full", "ej_full",
                      "fm_missing", "fm_access_error", "fm_read_error", "fm_write_failed",
                      "fm_read_only", "mechanism_fault", "head_overheat", "clock_not_set"})
"""Conditions of the device itself, reported before a command's own error code."""

_STATUS_HTTP = {"FISCAL_PAPER_OUT": 503, "FISCAL_COVER_OPEN": 503, "FISCAL_Z_REQUIRED": 409,
                "FISCAL_COMMAND_NOT_PERMITTED": 409, "FISCAL_CLOCK_NOT_SET": 409,
                "FISCAL_AMOUNT_OVERFLOW": 422}


@dataclass(frozen=True)
class Status:
    """Decoded status: the set conditions, by name, with their texts."""

    raw: bytes
    flags: frozenset[str]
    variant: Variant

    def _texts(self, sev: Severity) -> tuple[str, ...]:
        return tuple(b.text for b in BITS
                     if b.name in self.flags and b.severity is sev and self.variant in b.variants)

    @property
    def errors(self) -> tuple[str, ...]:
        return self._texts(Severity.ERROR)

    @property
    def warnings(self) -> tuple[str, ...]:
        return self._texts(Severity.WARNING)

    @property
    def info(self) -> tuple[str, ...]:
        return self._texts(Severity.INFO)

    def __contains__(self, name: object) -> bool:
        return name in self.flags

    def raise_for(self, context: str, *, only: frozenset[str] | None = None) -> None:
        """Raise the most specific device error for the error bits set (within ``only``)."""
        if not self.errors:
            return
        for name, exc_type, code in _RAISE:
            if name in self.flags and (only is None or name in only):
                text = "; ".join(self.errors)
                raise exc_type(f"{context}: {text}", code=code,
                               status=_STATUS_HTTP.get(code, 502),
                               details={"status_bits": sorted(self.flags),
                                        "status_hex": self.raw.hex(" ")})


def decode(d: Dialect, raw: bytes) -> Status:
    if len(raw) != d.status_len:
        raise ProtocolError(f"expected {d.status_len} status bytes, got {len(raw)}")
    flags = {b.name for b in BITS
             if d.variant in b.variants and raw[b.byte] & (1 << b.bit)}
    return Status(bytes(raw), frozenset(flags), d.variant)


def encode(d: Dialect, flags: set[str] | frozenset[str]) -> bytes:
    """Status bytes with ``flags`` set (the emulator's side); bit 7 always 1."""
    out = bytearray([0x80] * d.status_len)
    known = set()
    for b in BITS:
        if d.variant in b.variants and b.name in flags:
            out[b.byte] |= 1 << b.bit
            known.add(b.name)
    unknown = set(flags) - known
    if unknown:
        raise ValueError(f"flags not in the {d.variant} table: {sorted(unknown)}")
    return bytes(out)
