"""Serial (RS-232 / USB-serial / a pty in tests) over pyserial."""

from __future__ import annotations

from typing import Any

from desktop.devices.errors import DeviceOffline, map_serial_errors
from desktop.devices.transports.base import TransportContext

__all__ = ["SerialTransport"]


class SerialTransport(TransportContext):
    def __init__(self, port: str, baudrate: int = 115200, *, timeout: float = 2.0,
                 **options: Any) -> None:
        self.port, self.baudrate, self.timeout, self.options = port, baudrate, timeout, options
        self._ser: Any = None

    def __repr__(self) -> str:
        return f"SerialTransport({self.port}@{self.baudrate})"

    def open(self) -> None:
        if self._ser is not None:
            return
        import serial  # optional (pyserial, desktop extra): loaded when a port opens

        with map_serial_errors(f"open {self.port}"):
            self._ser = serial.Serial(self.port, self.baudrate, timeout=self.timeout,
                                      write_timeout=self.timeout, **self.options)

    def close(self) -> None:
        if self._ser is not None:
            try:
                self._ser.close()
            finally:
                self._ser = None

    def _live(self) -> Any:
        if self._ser is None:
            raise DeviceOffline(f"{self!r} is not open")
        return self._ser

    def write(self, data: bytes) -> None:
        ser = self._live()
        with map_serial_errors(f"write {self.port}"):
            ser.write(data)
            ser.flush()

    def read(self, size: int = 1, timeout: float | None = None) -> bytes:
        ser = self._live()
        with map_serial_errors(f"read {self.port}"):
            if timeout is not None:
                ser.timeout = timeout
            try:
                return bytes(ser.read(size))
            finally:
                ser.timeout = self.timeout
