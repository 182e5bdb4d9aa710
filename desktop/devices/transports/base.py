"""What a transport is: bytes in, bytes out, nothing about any protocol."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self, runtime_checkable

__all__ = ["Transport", "TransportContext"]


@runtime_checkable
class Transport(Protocol):
    """open/close/write/read over one connection; protocols build and parse the bytes."""

    def open(self) -> None: ...

    def close(self) -> None: ...

    def write(self, data: bytes) -> None: ...

    def read(self, size: int = 1, timeout: float | None = None) -> bytes:
        """Up to ``size`` bytes; ``b""`` when nothing came within ``timeout``."""
        ...


class TransportContext:
    """Mixin: ``with transport:`` opens and always closes."""

    def open(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
