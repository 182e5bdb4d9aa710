"""UUIDv7 ids: time-ordered, made on the device, safe to create offline.

Why by hand: Python 3.11 has no ``uuid.uuid7``; RFC 9562 §6.2 method 1 (a 12-bit counter in
``rand_a`` seeded randomly each millisecond) is ~30 lines and keeps ids monotonic within a process
even when the clock stands still or steps back.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from datetime import UTC, datetime

__all__ = ["InvalidId", "parse_uuid7", "uuid7", "uuid7_texts", "uuid7_time"]


class InvalidId(ValueError):
    """The text is not a UUIDv7."""


_lock = threading.Lock()
_last_ms = 0
_counter = 0


def _reserve(n: int) -> tuple[int, int]:
    """(millisecond, first counter) for ``n`` consecutive ids, all greater than any made before.

    A run that would overflow the 12-bit counter starts on the next millisecond instead.
    """
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            _last_ms = ms
            _counter = int.from_bytes(os.urandom(2), "big") & 0x7FF  # leave headroom
        else:
            _counter += 1
        if _counter + n - 1 > 0xFFF:  # counter exhausted: borrow the next millisecond
            _last_ms += 1
            _counter = 0
        first = _counter
        _counter += n - 1
        return _last_ms, first


def _value(ms: int, counter: int, rand_b: int) -> int:
    return ((ms & 0xFFFFFFFFFFFF) << 80 | 0x7 << 76 | counter << 64 | 0b10 << 62
            | rand_b & 0x3FFFFFFFFFFFFFFF)


def uuid7() -> uuid.UUID:
    """A new UUIDv7, strictly greater than the previous one made in this process."""
    ms, counter = _reserve(1)
    return uuid.UUID(int=_value(ms, counter, int.from_bytes(os.urandom(8), "big")))


def uuid7_texts(n: int) -> list[str]:
    """``n`` new UUIDv7s in canonical text form, ascending (for bulk writes: no ``UUID``
    objects, one random read). More than 4,096 at once span several milliseconds."""
    out: list[str] = []
    while n > 0:
        chunk = min(n, 0x1000)
        ms, first = _reserve(chunk)
        rand = os.urandom(8 * chunk)
        for i in range(chunk):
            h = f"{_value(ms, first + i, int.from_bytes(rand[8 * i:8 * i + 8])):032x}"
            out.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
        n -= chunk
    return out


def parse_uuid7(text: str | uuid.UUID) -> uuid.UUID:
    """Parse and check that the id is a version-7 RFC 9562 UUID."""
    try:
        u = text if isinstance(text, uuid.UUID) else uuid.UUID(str(text))
    except (ValueError, AttributeError, TypeError):
        raise InvalidId(f"not a UUID: {text!r}") from None
    if u.version != 7 or u.variant != uuid.RFC_4122:
        raise InvalidId(f"not a UUIDv7: {text!r}")
    return u


def uuid7_time(u: uuid.UUID | str) -> datetime:
    """The UTC millisecond timestamp embedded in a UUIDv7."""
    ms = parse_uuid7(u).int >> 80
    return datetime.fromtimestamp(ms / 1000, tz=UTC)
