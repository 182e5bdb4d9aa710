"""Byte pipes to devices: TCP, serial, and test doubles. Receipts use python-escpos's own."""

from __future__ import annotations

from desktop.devices.transports.base import Transport, TransportContext
from desktop.devices.transports.dummy import DummyTransport, ScriptedTransport
from desktop.devices.transports.serial import SerialTransport
from desktop.devices.transports.tcp import TcpTransport

__all__ = [
    "DummyTransport",
    "ScriptedTransport",
    "SerialTransport",
    "TcpTransport",
    "Transport",
    "TransportContext",
]
