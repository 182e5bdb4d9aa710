"""What discovery reports and how enumerators plug in (the package re-exports all of it).

Its own module so that the enumerators (``mdns``, ``usb``) and the package, which builds the
default registry from them, import it without importing each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

__all__ = [
    "Candidate",
    "DiscoveryRegistry",
    "DiscoveryResult",
    "DiscoveryUnavailable",
    "Enumerator",
]


class DiscoveryUnavailable(Exception):
    """An enumerator cannot run on this machine (no libusb, no usable network interface)."""


@dataclass(frozen=True)
class Candidate:
    """A printer we found; the fields map onto ``POST /api/hardware/printers``."""

    source: str  # "mdns" | "usb"
    name: str
    connection: str  # "network" | "usb"
    type: str  # "thermal" | "label"
    profile: str
    ip: str | None = None
    port: int | None = None
    service: str | None = None
    usb_vendor_id: int | None = None
    usb_product_id: int | None = None
    vendor: str = ""
    model: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def key(self) -> tuple[object, ...]:
        if self.connection == "network":
            return ("network", self.ip, self.port)
        return ("usb", self.usb_vendor_id, self.usb_product_id)


@dataclass
class DiscoveryResult:
    candidates: list[Candidate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Enumerator(Protocol):
    name: str

    def enumerate(self, timeout: float) -> list[Candidate]: ...


class DiscoveryRegistry:
    def __init__(self) -> None:
        self._enumerators: list[Enumerator] = []

    def register(self, enumerator: Enumerator) -> None:
        self._enumerators.append(enumerator)

    def discover(self, timeout: float, *, only: Sequence[str] | None = None) -> DiscoveryResult:
        result = DiscoveryResult()
        seen: set[tuple[object, ...]] = set()
        for en in self._enumerators:
            if only is not None and en.name not in only:
                continue
            try:
                found = en.enumerate(timeout)
            except DiscoveryUnavailable as exc:
                result.notes.append(f"{en.name}: {exc}")
                continue
            for cand in found:
                if cand.key not in seen:
                    seen.add(cand.key)
                    result.candidates.append(cand)
        return result
