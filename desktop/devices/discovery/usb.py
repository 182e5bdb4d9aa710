"""USB scan with pyusb against the known printer id table (``profiles/usb_ids.json``).

Without libusb the scan reports ``DiscoveryUnavailable`` and discovery goes on with the LAN.
"""

from __future__ import annotations

from typing import Any

from desktop.devices.discovery.base import Candidate, DiscoveryUnavailable
from desktop.devices.profiles import UsbPrinterId, usb_id_table

__all__ = ["PRINTER_CLASS", "UsbEnumerator", "match", "scan"]

PRINTER_CLASS = 7


def match(vendor_id: int, product_id: int, printer_class: bool) -> UsbPrinterId | None:
    """The table row for a device: exact id first, then a vendor-wide row for printer-class
    devices, then a generic row for any other printer-class device."""
    table = usb_id_table()
    for row in table:
        if row.vendor_id == vendor_id and row.product_id == product_id:
            return row
    if printer_class:
        for row in table:
            if row.vendor_id == vendor_id and row.product_id is None:
                return row
        return UsbPrinterId(vendor_id, product_id, "Unknown", "USB printer", "thermal",
                            "generic-80")
    return None


def _has_printer_interface(dev: Any) -> bool:
    import usb.core  # optional (pyusb, desktop extra): loaded when a scan runs

    try:
        if dev.bDeviceClass == PRINTER_CLASS:
            return True
        for cfg in dev:
            for intf in cfg:
                if intf.bInterfaceClass == PRINTER_CLASS:
                    return True
    except (usb.core.USBError, NotImplementedError, ValueError):
        return False
    return False


def scan(backend: Any = None) -> list[Candidate]:
    """Printers attached over USB (``backend``: a pyusb backend, default libusb)."""
    import usb.core  # optional (pyusb, desktop extra): loaded when a scan runs

    try:
        devices = list(usb.core.find(find_all=True, backend=backend) or [])
    except usb.core.NoBackendError as exc:
        raise DiscoveryUnavailable("libusb is not installed") from exc
    except (usb.core.USBError, OSError) as exc:
        raise DiscoveryUnavailable(f"USB scan failed: {exc}") from exc
    out = []
    for dev in devices:
        row = match(dev.idVendor, dev.idProduct, _has_printer_interface(dev))
        if row is None:
            continue
        name = f"{row.vendor} {row.model}".strip()
        out.append(Candidate("usb", name, "usb", row.kind, row.profile,
                             usb_vendor_id=dev.idVendor, usb_product_id=dev.idProduct,
                             vendor=row.vendor, model=row.model))
    return out


class UsbEnumerator:
    name = "usb"

    def __init__(self, backend: Any = None) -> None:
        self.backend = backend

    def enumerate(self, timeout: float) -> list[Candidate]:
        return scan(self.backend)
