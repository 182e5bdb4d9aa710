"""Find printers to offer as "add this printer": zeroconf on the LAN and a USB scan.

Enumerators per connection type report what is attached; the registry runs them and collects
candidates plus notes for the ones that could not run (no libusb, no network). Registration is
explicit: ``default_registry()`` builds the list, nothing registers itself at import.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.devices.discovery.base import (
    Candidate,
    DiscoveryRegistry,
    DiscoveryResult,
    DiscoveryUnavailable,
    Enumerator,
)
from desktop.devices.discovery.mdns import MdnsEnumerator
from desktop.devices.discovery.usb import UsbEnumerator

__all__ = [
    "Candidate",
    "DiscoveryRegistry",
    "DiscoveryResult",
    "DiscoveryUnavailable",
    "Enumerator",
    "default_registry",
]


def default_registry(interfaces: Sequence[str] | None = None) -> DiscoveryRegistry:
    """mDNS (on ``interfaces``, all when None) and USB."""
    reg = DiscoveryRegistry()
    reg.register(MdnsEnumerator(interfaces))
    reg.register(UsbEnumerator())
    return reg
