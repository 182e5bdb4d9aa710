"""Raw TCP (port 9100 printers, Datecs over LAN, label printers)."""

from __future__ import annotations

import socket

from desktop.devices.errors import DeviceOffline, map_os_errors
from desktop.devices.transports.base import TransportContext

__all__ = ["TcpTransport"]


class TcpTransport(TransportContext):
    def __init__(self, host: str, port: int = 9100, *, timeout: float = 5.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self._sock: socket.socket | None = None

    def __repr__(self) -> str:
        return f"TcpTransport({self.host}:{self.port})"

    def open(self) -> None:
        if self._sock is not None:
            return
        with map_os_errors(f"connect {self.host}:{self.port}"):
            self._sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
            self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def close(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            finally:
                self._sock = None

    def _live(self) -> socket.socket:
        if self._sock is None:
            raise DeviceOffline(f"{self!r} is not open")
        return self._sock

    def write(self, data: bytes) -> None:
        sock = self._live()
        with map_os_errors(f"write {self.host}:{self.port}"):
            sock.sendall(data)

    def read(self, size: int = 1, timeout: float | None = None) -> bytes:
        sock = self._live()
        sock.settimeout(self.timeout if timeout is None else timeout)
        try:
            data = sock.recv(size)
        except TimeoutError:
            return b""
        except OSError as exc:
            with map_os_errors(f"read {self.host}:{self.port}"):
                raise exc
        if data == b"" and size > 0:
            self.close()
            raise DeviceOffline(f"{self.host}:{self.port} closed the connection")
        return data
