"""Byte pipes to a configured printer.

Receipt printers use python-escpos's own connection classes (``Network``, ``Serial``, ``Usb``,
``File``) wrapped as our ``Transport``: we keep escpos's ``_raw``/``_read`` seam and convert its
errors (and socket, pyserial, pyusb ones) to the device error tree at this boundary. Label
printers use our thin ``TcpTransport``/``SerialTransport``; on USB or a device file they reuse
escpos's ``Usb``/``File`` as a raw pipe.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from desktop.devices.errors import DeviceOffline, DeviceTimeout, map_os_errors
from desktop.devices.printers.config import ConnectionKind, PrinterConfig, PrinterKind
from desktop.devices.transports import SerialTransport, TcpTransport, Transport
from desktop.devices.transports.base import TransportContext

__all__ = ["EscposConnection", "TransportFactory", "map_escpos_errors", "transport_for"]

TransportFactory = Callable[[PrinterConfig], Transport]


@contextmanager
def map_escpos_errors(what: str) -> Iterator[None]:
    """python-escpos, socket, pyserial and pyusb errors → DeviceOffline/DeviceTimeout."""
    from escpos.exceptions import Error as EscposError  # optional (desktop extra)

    try:
        import serial  # optional: absent, it raises none of these

        serial_errors: tuple[type[BaseException], ...] = (serial.SerialException,)
    except ImportError:  # pragma: no cover - pyserial is a desktop dependency
        serial_errors = ()
    try:
        import usb.core  # optional: absent, it raises none of these

        usb_timeout: tuple[type[BaseException], ...] = (usb.core.USBTimeoutError,)
        usb_errors: tuple[type[BaseException], ...] = (usb.core.USBError,
                                                        usb.core.NoBackendError)
    except ImportError:  # pragma: no cover
        usb_timeout, usb_errors = (), ()
    try:
        with map_os_errors(what):
            yield
    except usb_timeout as exc:
        raise DeviceTimeout(f"{what}: USB timeout") from exc
    except (EscposError, *serial_errors, *usb_errors) as exc:
        cause = exc.__cause__ or exc.__context__
        detail = (cause.strerror or str(cause)) if isinstance(cause, OSError) else str(exc)
        raise DeviceOffline(f"{what}: {detail}".splitlines()[0].rstrip(":")) from exc


def _network_class() -> type[Any]:
    """python-escpos ``Network`` whose ``open`` closes the socket when connect fails.

    python-escpos 3.1 drops the half-open socket on a failed connect (a ResourceWarning per
    retry while a printer is off); everything else is the library's own class.
    """
    from escpos.printer import Network  # optional (python-escpos, desktop extra)

    class _Network(Network):  # type: ignore[misc]
        def open(self, raise_not_found: bool = True) -> None:
            if self._device:
                self.close()
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                sock.settimeout(self.timeout)
                sock.connect((self.host, self.port))
            except OSError:
                sock.close()
                raise
            self.device = sock

    return _Network


class EscposConnection(TransportContext):
    """A python-escpos printer object used only as a connection (``open/_raw/_read/close``)."""

    def __init__(self, make: Callable[[], Any], what: str, *, can_read: bool = True) -> None:
        self._make = make
        self._printer: Any = None
        self._pending = bytearray()
        self.what = what
        self.can_read = can_read

    def __repr__(self) -> str:
        return f"EscposConnection({self.what})"

    def open(self) -> None:
        with map_escpos_errors(f"open {self.what}"):
            if self._printer is None:
                self._printer = self._make()
            self._printer.open()

    def close(self) -> None:
        self._pending.clear()
        if self._printer is not None:
            with map_escpos_errors(f"close {self.what}"):
                self._printer.close()

    def write(self, data: bytes) -> None:
        if self._printer is None or not self._printer._device:
            raise DeviceOffline(f"{self.what} is not open")
        with map_escpos_errors(f"write {self.what}"):
            self._printer._raw(data)
            flush = getattr(self._printer, "flush", None)
            if callable(flush):
                flush()

    def _set_timeout(self, timeout: float) -> None:
        dev = self._printer.device
        if isinstance(dev, socket.socket):
            dev.settimeout(timeout)
        elif hasattr(dev, "in_waiting"):  # pyserial
            dev.timeout = timeout

    def read(self, size: int = 1, timeout: float | None = None) -> bytes:
        """Up to ``size`` bytes; ``b""`` when nothing came in time or reading is unsupported."""
        if not self.can_read:
            return b""
        if not self._pending:
            if self._printer is None or not self._printer._device:
                raise DeviceOffline(f"{self.what} is not open")
            if timeout is not None:
                self._set_timeout(timeout)
            try:
                with map_escpos_errors(f"read {self.what}"):
                    dev = self._printer.device
                    if hasattr(dev, "in_waiting"):
                        # escpos Serial._read asks pyserial for 16 bytes, which blocks for the
                        # whole timeout on a one-byte status answer; read what was asked for.
                        chunk = bytes(dev.read(size))
                    else:
                        chunk = bytes(self._printer._read() or b"")
            except DeviceTimeout:
                return b""
            except NotImplementedError:
                self.can_read = False
                return b""
            if not chunk and isinstance(self._printer.device, socket.socket):
                raise DeviceOffline(f"{self.what} closed the connection")
            self._pending += chunk
        out = bytes(self._pending[:size])
        del self._pending[:size]
        return out


def _escpos(cfg: PrinterConfig) -> EscposConnection:
    from escpos import printer as ep  # optional (python-escpos, desktop extra)

    t = cfg.timeout
    kind = cfg.connection
    if kind is ConnectionKind.NETWORK:
        host, port = cfg.ip or "", cfg.tcp_port
        network = _network_class()
        return EscposConnection(lambda: network(host, port=port, timeout=t), f"{host}:{port}")
    if kind is ConnectionKind.SERIAL:
        dev, baud = cfg.device or "", cfg.baudrate
        return EscposConnection(lambda: ep.Serial(dev, baudrate=baud, timeout=t), dev)
    if kind is ConnectionKind.USB:
        vid, pid = cfg.usb_vendor_id, cfg.usb_product_id
        return EscposConnection(lambda: ep.Usb(vid, pid, timeout=int(t * 1000)),
                                f"usb {vid:04x}:{pid:04x}")
    path = cfg.device or ""
    return EscposConnection(lambda: ep.File(path), path, can_read=False)


def transport_for(cfg: PrinterConfig) -> Transport:
    """The default transport for a configured printer."""
    if cfg.type is PrinterKind.THERMAL:
        return _escpos(cfg)
    if cfg.connection is ConnectionKind.NETWORK:
        return TcpTransport(cfg.ip or "", cfg.tcp_port, timeout=cfg.timeout)
    if cfg.connection is ConnectionKind.SERIAL:
        return SerialTransport(cfg.device or "", cfg.baudrate, timeout=cfg.timeout)
    return _escpos(cfg)
