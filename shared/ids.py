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

__all__ = ["InvalidId", "parse_uuid7", "uuid7", "uuid7_time"]


class InvalidId(ValueError):
    """The text is not a UUIDv7."""


_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> uuid.UUID:
    """A new UUIDv7, strictly greater than the previous one made in this process."""
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            _last_ms = ms
            _counter = int.from_bytes(os.urandom(2), "big") & 0x7FF  # leave headroom
        else:
            _counter += 1
            if _counter > 0xFFF:  # counter exhausted: borrow the next millisecond
                _last_ms += 1
                _counter = 0
        ms, counter = _last_ms, _counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= rand_b
    return uuid.UUID(int=value)


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
