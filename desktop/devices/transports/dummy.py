"""Test transports: record what was written, replay canned answers (like escpos Dummy)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from desktop.devices.errors import DeviceOffline
from desktop.devices.transports.base import TransportContext

__all__ = ["DummyTransport", "ScriptedTransport"]


class DummyTransport(TransportContext):
    """Keeps every written byte in ``output``; reads return nothing."""

    def __init__(self) -> None:
        self.output = bytearray()
        self.is_open = False

    def open(self) -> None:
        self.is_open = True

    def close(self) -> None:
        self.is_open = False

    def write(self, data: bytes) -> None:
        if not self.is_open:
            raise DeviceOffline("dummy transport is closed")
        self.output += data

    def read(self, size: int = 1, timeout: float | None = None) -> bytes:
        return b""


class ScriptedTransport(DummyTransport):
    """Like DummyTransport, and each read returns the next canned answer (status bytes)."""

    def __init__(self, answers: Iterable[bytes] = ()) -> None:
        super().__init__()
        self._answers: deque[bytes] = deque(answers)
        self._pending = bytearray()

    def feed(self, *answers: bytes) -> None:
        self._answers.extend(answers)

    def read(self, size: int = 1, timeout: float | None = None) -> bytes:
        if not self._pending and self._answers:
            self._pending += self._answers.popleft()
        out = bytes(self._pending[:size])
        del self._pending[:size]
        return out
