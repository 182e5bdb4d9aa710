"""A configured printer: how to reach it, which profile it follows, and its media."""

from __future__ import annotations

import ipaddress
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, model_validator

from desktop.devices.errors import CapabilityNotSupported
from desktop.devices.profiles import label_profile, receipt_profile

__all__ = ["ConfigFieldError", "ConnectionKind", "PrinterConfig", "PrinterKind", "check_host"]

_HOSTNAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)"
                       r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$")


def _printable_path(value: str) -> bool:
    """No control characters and encodable: a NUL or a lone surrogate cannot name a file."""
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class PrinterKind(StrEnum):
    THERMAL = "thermal"
    """ESC/POS receipt printer."""
    LABEL = "label"
    """ZPL or TSPL label printer."""


class ConnectionKind(StrEnum):
    NETWORK = "network"
    """Raw TCP (port 9100)."""
    USB = "usb"
    """USB by vendor/product id (libusb)."""
    SERIAL = "serial"
    """RS-232 or USB-serial device."""
    FILE = "file"
    """A device file such as /dev/usb/lp0 (write only, no status)."""


class ConfigFieldError(ValueError):
    """A cross-field rule failed; ``field`` names the setting to fix (snake_case)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_host(value: str) -> str:
    """An IP literal that can be a printer (unicast, not 0.0.0.0) or a DNS name."""
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        if _HOSTNAME.match(value) and not value.replace(".", "").isdigit():
            return value
        raise ValueError(f"{value!r} is not an IP address or host name") from None
    if ip.is_unspecified or ip.is_multicast or (ip.version == 4 and str(ip) == "255.255.255.255"):
        raise ValueError(f"{value} cannot be a printer address")
    return str(ip)


class PrinterConfig(BaseModel):
    """Stored as JSON in the device database; validated on every change."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: Annotated[str, Field(min_length=1, max_length=100)]
    type: PrinterKind
    connection: ConnectionKind
    ip: str | None = None
    port: Annotated[int, Field(ge=1, le=65535)] | None = None
    device: Annotated[str, Field(max_length=300)] | None = None
    baudrate: Annotated[int, Field(ge=1200, le=921600)] = 9600
    usb_vendor_id: Annotated[int, Field(ge=0, le=0xFFFF)] | None = None
    usb_product_id: Annotated[int, Field(ge=0, le=0xFFFF)] | None = None
    profile: str | None = None
    default: bool = False
    cut: Annotated[str, Field(pattern=r"^(full|partial|none)$")] = "partial"
    drawer_pin: Annotated[int, Field(ge=2, le=5)] = 2
    logo_path: str | None = None
    time_zone: str = "UTC"
    label_width_mm: Annotated[float, Field(ge=10, le=300)] = 58
    label_height_mm: Annotated[float, Field(ge=10, le=1000)] = 40
    dpi: int | None = None
    timeout: Annotated[float, Field(gt=0, le=60)] = 5.0

    @model_validator(mode="after")
    def _check(self) -> Self:
        for name in ("device", "logo_path", "name"):
            value = getattr(self, name)
            if value is not None and not _printable_path(value):
                raise ConfigFieldError(name, f"{name} must be printable text")
        if self.connection is ConnectionKind.NETWORK:
            if not self.ip:
                raise ConfigFieldError("ip", "ip is required for a network printer")
            try:
                check_host(self.ip)
            except ValueError as exc:
                raise ConfigFieldError("ip", str(exc)) from None
        elif self.connection in (ConnectionKind.SERIAL, ConnectionKind.FILE):
            if not self.device:
                raise ConfigFieldError(
                    "device", f"device is required for a {self.connection.value} printer")
        elif self.usb_vendor_id is None or self.usb_product_id is None:
            raise ConfigFieldError(
                "usb_vendor_id", "usbVendorId and usbProductId are required for a USB printer")
        if self.drawer_pin not in (2, 5):
            raise ConfigFieldError("drawer_pin", "drawerPin must be 2 or 5")
        if self.dpi is not None and self.dpi not in (203, 300):
            raise ConfigFieldError("dpi", "dpi must be 203 or 300")
        try:
            if self.type is PrinterKind.THERMAL:
                receipt_profile(self.profile_id)
            else:
                lp = label_profile(self.profile_id)
                if self.label_width_mm > lp.max_width_mm:
                    raise ConfigFieldError("label_width_mm", f"{lp.name} prints at most "
                                           f"{lp.max_width_mm:g} mm wide")
        except CapabilityNotSupported as exc:
            raise ConfigFieldError("profile", str(exc)) from None
        if self.logo_path and not Path(self.logo_path).is_file():
            raise ConfigFieldError("logo_path", f"no image file at {self.logo_path}")
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigFieldError("time_zone", f"unknown time zone {self.time_zone!r}") from None
        return self

    @property
    def profile_id(self) -> str:
        if self.profile:
            return self.profile
        return "generic-80" if self.type is PrinterKind.THERMAL else "generic-zpl"

    @property
    def tcp_port(self) -> int:
        return self.port or 9100

    @property
    def capabilities(self) -> list[str]:
        if self.type is PrinterKind.LABEL:
            return ["label", "barcode", "qr"]
        prof = receipt_profile(self.profile_id)
        caps = ["receipt", "barcode"]
        if prof.qr:
            caps.append("qr")
        if prof.cutter:
            caps.append("cut")
        if prof.drawer_pins:
            caps.append("drawer")
        if self.logo_path:
            caps.append("logo")
        return caps

    def address(self) -> str:
        """Where it is, for people and logs."""
        if self.connection is ConnectionKind.NETWORK:
            return f"{self.ip}:{self.tcp_port}"
        if self.connection is ConnectionKind.USB:
            return f"usb {self.usb_vendor_id:04x}:{self.usb_product_id:04x}"
        return str(self.device)
