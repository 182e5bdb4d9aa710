"""Drivers: what to send to ask a printer for its status and to confirm a job arrived.

A driver owns one transport and is used by one worker thread. The registry picks a driver by
``supports(config)`` and priority (explicit registration, no import-time magic).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import ClassVar

import structlog

from desktop.devices.errors import DeviceError, DeviceOffline, DeviceTimeout, ProtocolError
from desktop.devices.printers.config import PrinterConfig, PrinterKind
from desktop.devices.printers.labels import LabelSpec
from desktop.devices.printers.receipt import ReceiptRenderer
from desktop.devices.printers.status import PrinterStatus
from desktop.devices.profiles import (
    LabelProfile,
    ReceiptProfile,
    label_profile,
    receipt_profile,
)
from desktop.devices.protocols.escpos import status as rt
from desktop.devices.protocols.escpos.image import raster_image
from desktop.devices.protocols.escpos.paper import CutMode
from desktop.devices.protocols.tspl.status import STATUS_QUERY, parse_status
from desktop.devices.protocols.zpl.status import HOST_STATUS, parse_host_status
from desktop.devices.transports import Transport

log = structlog.get_logger(__name__)

__all__ = ["DriverRegistry", "LabelDriver", "PrinterDriver", "ReceiptDriver", "default_registry"]


class PrinterDriver:
    """Base: session handling and the probe; subclasses speak one printer language."""

    priority: ClassVar[int] = 0
    status_timeout: float = 2.0

    def __init__(self, config: PrinterConfig, transport: Transport) -> None:
        self.config = config
        self.transport = transport

    @classmethod
    def supports(cls, config: PrinterConfig) -> bool:
        raise NotImplementedError

    @property
    def can_read(self) -> bool:
        return bool(getattr(self.transport, "can_read", True))

    @contextmanager
    def session(self) -> Iterator[PrinterDriver]:
        """Open the connection for one job or probe; always closed afterwards."""
        self.transport.open()
        try:
            yield self
        finally:
            try:
                self.transport.close()
            except DeviceError:
                pass

    def probe(self) -> PrinterStatus:
        """Connect, ask, disconnect; an unreachable printer is reported, not raised."""
        try:
            with self.session():
                return self.read_status()
        except (DeviceOffline, DeviceTimeout) as exc:
            return PrinterStatus.offline(str(exc))

    def write(self, payload: bytes) -> None:
        self.transport.write(payload)

    def read_status(self) -> PrinterStatus:
        raise NotImplementedError

    def confirm(self) -> None:
        """After a payload: prove the printer read the stream (a status round-trip)."""
        if self.can_read:
            self.read_status()

    def _read_exactly(self, n: int) -> bytes:
        deadline = time.monotonic() + self.status_timeout
        buf = bytearray()
        while len(buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            buf += self.transport.read(n - len(buf), timeout=left)
        if len(buf) < n:
            raise DeviceTimeout(f"{self.config.address()}: no status answer")
        return bytes(buf)


class ReceiptDriver(PrinterDriver):
    """ESC/POS: ``DLE EOT 1/2/4`` (and 3 on error) for status."""

    priority = 10

    @classmethod
    def supports(cls, config: PrinterConfig) -> bool:
        return config.type is PrinterKind.THERMAL

    @cached_property
    def profile(self) -> ReceiptProfile:
        return receipt_profile(self.config.profile_id)

    @cached_property
    def renderer(self) -> ReceiptRenderer:
        logo = None
        if self.config.logo_path:
            from PIL import UnidentifiedImageError  # optional (Pillow), slow: logos only

            try:
                logo = raster_image(self.config.logo_path, max_width=self.profile.dots)
            except (OSError, UnidentifiedImageError, ValueError) as exc:
                log.warning("printer_logo_unusable", printer=self.config.id, error=str(exc))
        return ReceiptRenderer(self.profile, logo=logo, cut_mode=CutMode(self.config.cut),
                               time_zone=self.config.time_zone,
                               drawer_pin=self.config.drawer_pin)

    def read_status(self) -> PrinterStatus:
        if not self.profile.realtime_status or not self.can_read:
            return PrinterStatus.unknown()
        answers: dict[int, int] = {}
        for n in (1, 2, 4):
            self.transport.write(rt.query(n))
            answers[n] = self._read_exactly(1)[0]
        if answers[2] & 0x40:
            self.transport.write(rt.query(3))
            answers[3] = self._read_exactly(1)[0]
        try:
            return PrinterStatus.from_escpos(rt.parse(answers))
        except ValueError as exc:
            raise ProtocolError(f"{self.config.address()}: {exc}") from exc

    def confirm(self) -> None:
        if self.profile.realtime_status and self.can_read:
            self.transport.write(rt.query(1))
            self._read_exactly(1)


class LabelDriver(PrinterDriver):
    """ZPL (``~HS``) or TSPL (``ESC ! ?``) label printers."""

    priority = 10

    @classmethod
    def supports(cls, config: PrinterConfig) -> bool:
        return config.type is PrinterKind.LABEL

    @cached_property
    def profile(self) -> LabelProfile:
        return label_profile(self.config.profile_id)

    @cached_property
    def spec(self) -> LabelSpec:
        return LabelSpec.for_profile(self.profile, self.config.label_width_mm,
                                     self.config.label_height_mm, self.config.dpi)

    def read_status(self) -> PrinterStatus:
        if not self.can_read:
            return PrinterStatus.unknown()
        if self.profile.language == "tspl":
            self.transport.write(STATUS_QUERY)
            return PrinterStatus.from_tspl(parse_status(self._read_exactly(1)[0]))
        self.transport.write(HOST_STATUS)
        deadline = time.monotonic() + self.status_timeout
        buf = bytearray()
        while buf.count(b"\x03") < 3 and time.monotonic() < deadline:
            buf += self.transport.read(128, timeout=max(0.01, deadline - time.monotonic()))
        if buf.count(b"\x03") < 3:
            raise DeviceTimeout(f"{self.config.address()}: no ~HS answer")
        try:
            return PrinterStatus.from_zpl(parse_host_status(bytes(buf)))
        except ValueError as exc:
            raise ProtocolError(f"{self.config.address()}: {exc}") from exc


class DriverRegistry:
    """Driver classes in priority order; ``driver_for`` picks the best that supports a config."""

    def __init__(self) -> None:
        self._drivers: list[type[PrinterDriver]] = []

    def register(self, driver: type[PrinterDriver]) -> None:
        self._drivers.append(driver)
        self._drivers.sort(key=lambda d: -d.priority)

    def driver_for(self, config: PrinterConfig, transport: Transport) -> PrinterDriver:
        for d in self._drivers:
            if d.supports(config):
                return d(config, transport)
        raise LookupError(f"no driver for {config.type.value} printers")


def default_registry() -> DriverRegistry:
    reg = DriverRegistry()
    reg.register(ReceiptDriver)
    reg.register(LabelDriver)
    return reg
