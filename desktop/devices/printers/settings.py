"""Hardware settings with safe defaults, overridable from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

__all__ = ["HardwareSettings"]


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
    ``TILLBRIDGE_CURRENCY``, ``TILLBRIDGE_LANGUAGE``."""

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

    @classmethod
    def from_env(cls) -> HardwareSettings:
        ifaces = os.environ.get("TILLBRIDGE_DISCOVERY_INTERFACES", "")
        return cls(
            retry_base=_float("TILLBRIDGE_PRINT_RETRY_BASE", 1.0),
            retry_cap=_float("TILLBRIDGE_PRINT_RETRY_CAP", 30.0),
            status_interval=_float("TILLBRIDGE_PRINTER_STATUS_INTERVAL", 30.0),
            discovery_interfaces=tuple(i.strip() for i in ifaces.split(",") if i.strip()),
            currency=os.environ.get("TILLBRIDGE_CURRENCY", "UAH").upper(),
            language=os.environ.get("TILLBRIDGE_LANGUAGE", "uk").lower(),
        )
