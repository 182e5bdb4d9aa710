"""Hardware settings with safe defaults, overridable from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

__all__ = ["DEFAULT_FILE_DEVICES", "HardwareSettings"]

# Where a "file" printer may write (globs on the resolved path): Linux's USB printer class
# devices and parallel ports. The till's own ``home/spool/`` is always allowed besides these.
# Anything else would let a caller of the local API truncate and overwrite any file the till's
# user can write.
DEFAULT_FILE_DEVICES: tuple[str, ...] = ("/dev/usb/lp*", "/dev/lp[0-9]*", "/dev/usblp*")


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    try:
        return float(raw) if raw else default
    except ValueError:
        return default


@dataclass(frozen=True)
class HardwareSettings:
    """``TILLBRIDGE_PRINT_RETRY_BASE``/``_CAP`` (s), ``TILLBRIDGE_PRINTER_STATUS_INTERVAL`` (s),
    ``TILLBRIDGE_DISCOVERY_INTERFACES`` (comma list of IPs; empty = all),
    ``TILLBRIDGE_CURRENCY``, ``TILLBRIDGE_LANGUAGE``, ``TILLBRIDGE_PRINTER_FILE_DEVICES``
    (path globs separated by the OS path separator; replaces the defaults)."""

    retry_base: float = 1.0
    retry_cap: float = 30.0
    status_interval: float = 30.0
    probe_timeout: float = 2.0
    connect_check_timeout: float = 2.0
    discovery_interfaces: tuple[str, ...] = field(default_factory=tuple)
    currency: str = "UAH"
    language: str = "uk"
    max_quantity: int = 1000
    max_batch_labels: int = 10_000
    file_devices: tuple[str, ...] = DEFAULT_FILE_DEVICES

    @classmethod
    def from_env(cls) -> HardwareSettings:
        ifaces = os.environ.get("TILLBRIDGE_DISCOVERY_INTERFACES", "")
        devices = os.environ.get("TILLBRIDGE_PRINTER_FILE_DEVICES", "")
        return cls(
            retry_base=_float("TILLBRIDGE_PRINT_RETRY_BASE", 1.0),
            retry_cap=_float("TILLBRIDGE_PRINT_RETRY_CAP", 30.0),
            status_interval=_float("TILLBRIDGE_PRINTER_STATUS_INTERVAL", 30.0),
            discovery_interfaces=tuple(i.strip() for i in ifaces.split(",") if i.strip()),
            currency=os.environ.get("TILLBRIDGE_CURRENCY", "UAH").upper(),
            language=os.environ.get("TILLBRIDGE_LANGUAGE", "uk").lower(),
            file_devices=tuple(d for d in devices.split(os.pathsep) if d.strip())
            or DEFAULT_FILE_DEVICES,
        )
