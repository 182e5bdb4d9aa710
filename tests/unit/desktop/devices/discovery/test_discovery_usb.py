"""USB scan through pyusb with a backend that describes devices from a table (no hardware)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
import usb.backend

from desktop.devices.discovery import DiscoveryUnavailable
from desktop.devices.discovery.usb import PRINTER_CLASS, UsbEnumerator, match, scan


@dataclass
class _Dev:
    idVendor: int
    idProduct: int
    interfaces: list[int] = field(default_factory=list)
    bDeviceClass: int = 0
    bLength: int = 18
    bDescriptorType: int = 1
    bcdUSB: int = 0x200
    bDeviceSubClass: int = 0
    bDeviceProtocol: int = 0
    bMaxPacketSize0: int = 64
    bcdDevice: int = 0x100
    iManufacturer: int = 0
    iProduct: int = 0
    iSerialNumber: int = 0
    bNumConfigurations: int = 1
    address: int = 1
    bus: int = 1
    port_number: int = 1
    port_numbers: tuple[int, ...] = (1,)
    speed: int = 2


@dataclass
class _Cfg:
    bNumInterfaces: int
    bLength: int = 9
    bDescriptorType: int = 2
    wTotalLength: int = 32
    bConfigurationValue: int = 1
    iConfiguration: int = 0
    bmAttributes: int = 0x80
    bMaxPower: int = 50
    extra_descriptors: bytes = b""


@dataclass
class _Intf:
    bInterfaceNumber: int
    bInterfaceClass: int
    bLength: int = 9
    bDescriptorType: int = 4
    bAlternateSetting: int = 0
    bNumEndpoints: int = 0
    bInterfaceSubClass: int = 1
    bInterfaceProtocol: int = 2
    iInterface: int = 0
    extra_descriptors: bytes = b""


class TableBackend(usb.backend.IBackend):  # type: ignore[misc]
    """A pyusb backend answering descriptor requests from a list of devices."""

    def __init__(self, devices: list[_Dev]) -> None:
        self.devices = devices

    def enumerate_devices(self):  # type: ignore[no-untyped-def]
        return iter(self.devices)

    def get_device_descriptor(self, dev: _Dev) -> _Dev:
        return dev

    def get_configuration_descriptor(self, dev: _Dev, config: int) -> _Cfg:
        return _Cfg(len(dev.interfaces))

    def get_interface_descriptor(self, dev: _Dev, intf: int, alt: int, config: int) -> _Intf:
        if alt > 0:
            raise IndexError("no alternate setting")
        return _Intf(intf, dev.interfaces[intf])


def test_scan_offers_known_printers_only() -> None:
    """GIVEN a keyboard, an Epson by exact id, a Zebra matched by vendor and printer class,
    and an unknown printer-class device WHEN the USB scan runs THEN the three printers are
    offered with kind and profile, the keyboard is not."""
    backend = TableBackend([
        _Dev(0x046D, 0xC31C, [3]),                      # keyboard (HID)
        _Dev(0x04B8, 0x0E28, [0xFF]),                   # Epson TM-T20III, vendor class
        _Dev(0x0A5F, 0x0120, [PRINTER_CLASS]),          # Zebra, any product
        _Dev(0x1234, 0x5678, [3, PRINTER_CLASS]),       # unknown printer-class device
    ])
    found = {(c.usb_vendor_id, c.usb_product_id): c for c in scan(backend)}
    assert set(found) == {(0x04B8, 0x0E28), (0x0A5F, 0x0120), (0x1234, 0x5678)}
    assert (found[(0x04B8, 0x0E28)].profile, found[(0x04B8, 0x0E28)].type) == (
        "epson-tm-t20", "thermal")
    assert found[(0x0A5F, 0x0120)].type == "label"
    assert found[(0x1234, 0x5678)].profile == "generic-80"
    assert all(c.connection == "usb" and c.source == "usb" for c in found.values())


def test_vendor_row_needs_a_printer_interface() -> None:
    assert match(0x0A5F, 0x9999, printer_class=False) is None
    row = match(0x0A5F, 0x9999, printer_class=True)
    assert row is not None and row.kind == "label"


class _NoBackend(usb.backend.IBackend):  # type: ignore[misc]
    def enumerate_devices(self):  # type: ignore[no-untyped-def]
        raise usb.core.USBError("access denied")


def test_scan_failure_is_reported_as_unavailable() -> None:
    with pytest.raises(DiscoveryUnavailable, match="USB scan failed"):
        UsbEnumerator(_NoBackend()).enumerate(0.1)
