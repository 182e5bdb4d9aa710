"""The device error tree. Library errors (pyserial, sockets, pyusb) never escape a transport.

::

    DeviceError
    ├── TransientDeviceError          worth retrying: the job stays queued
    │   ├── DeviceOffline             cannot connect / connection lost
    │   ├── DeviceTimeout             no answer in time
    │   ├── PaperOut
    │   ├── CoverOpen
    │   └── DeviceBusy
    └── PermanentDeviceError          retrying will not help: a person must act
        ├── CapabilityNotSupported    the model cannot do what was asked
        ├── ProtocolError             the device answered bytes we cannot parse
        └── DeviceRejected            the device refused the command (with its own code)
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from shared.errors import TillbridgeError

__all__ = [
    "CapabilityNotSupported",
    "CoverOpen",
    "DeviceBusy",
    "DeviceError",
    "DeviceOffline",
    "DeviceRejected",
    "DeviceTimeout",
    "PaperOut",
    "PermanentDeviceError",
    "ProtocolError",
    "TransientDeviceError",
    "map_os_errors",
    "map_serial_errors",
]


class DeviceError(TillbridgeError):
    """Device error."""

    code = "EXTERNAL_SERVICE_ERROR"


class TransientDeviceError(DeviceError):
    """The device is temporarily unable to work; retry later."""


class DeviceOffline(TransientDeviceError):
    """The device is offline or unreachable."""


class DeviceTimeout(TransientDeviceError):
    """The device did not answer in time."""


class PaperOut(TransientDeviceError):
    """The printer is out of paper."""


class CoverOpen(TransientDeviceError):
    """The printer cover is open."""


class DeviceBusy(TransientDeviceError):
    """The device is busy with another job."""


class PermanentDeviceError(DeviceError):
    """The device cannot do this; a person must act."""


class CapabilityNotSupported(PermanentDeviceError):
    """This device model does not support the requested feature."""


class ProtocolError(PermanentDeviceError):
    """The device answered with bytes that do not follow its protocol."""


class DeviceRejected(PermanentDeviceError):
    """The device refused the command."""


@contextmanager
def map_os_errors(what: str) -> Iterator[None]:
    """Turn socket/OS errors into the device tree, keeping the cause."""
    try:
        yield
    except TimeoutError as exc:  # socket.timeout is TimeoutError
        raise DeviceTimeout(f"{what}: timed out") from exc
    except (ConnectionError, socket.gaierror, OSError) as exc:
        raise DeviceOffline(f"{what}: {exc.strerror or exc}") from exc


@contextmanager
def map_serial_errors(what: str) -> Iterator[None]:
    """Turn pyserial errors into the device tree."""
    import serial  # optional (pyserial, desktop extra): only serial devices need it

    try:
        yield
    except serial.SerialTimeoutException as exc:
        raise DeviceTimeout(f"{what}: write timed out") from exc
    except serial.SerialException as exc:
        raise DeviceOffline(f"{what}: {exc}") from exc
    except OSError as exc:
        raise DeviceOffline(f"{what}: {exc.strerror or exc}") from exc
