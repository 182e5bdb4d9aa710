"""Everything one cloud process holds: settings, engine, sessions, clock, keys, rate limiter.

Built by ``create_app`` without I/O; the keyring (which may generate key files in embedded
mode) and the limiter (which may connect to Redis) are made on first use, so writing the
OpenAPI document touches nothing.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from cloud.auth.keys import Keyring
from cloud.config import Settings
from cloud.db import make_engine, session_factory
from cloud.ratelimit import Limiter
from shared.clock import Clock, SystemClock

__all__ = ["Runtime", "TTLCache"]


class TTLCache:
    """A small bounded mapping whose entries expire (monotonic clock). Thread-safe."""

    def __init__(self, maxsize: int = 10_000, ttl_s: float = 60.0) -> None:
        self._data: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._max, self._ttl = maxsize, ttl_s
        self._lock = threading.Lock()

    def get(self, key: str, default: Any = None) -> Any:
        with self._lock:
            item = self._data.get(key)
            if item is None or item[0] < time.monotonic():
                self._data.pop(key, None)
                return default
            self._data.move_to_end(key)
            return item[1]

    def set(self, key: str, value: Any) -> None:
        with self._lock:
            self._data[key] = (time.monotonic() + self._ttl, value)
            self._data.move_to_end(key)
            while len(self._data) > self._max:
                self._data.popitem(last=False)

    def pop(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)


class Runtime:
    def __init__(self, settings: Settings, *, clock: Clock | None = None) -> None:
        self.settings = settings
        self.engine: Engine = make_engine(settings.resolved_database_url)
        self.sessions: sessionmaker[Session] = session_factory(self.engine)
        self.clock: Clock = clock or SystemClock()
        self.started_at = self.clock.now()
        self.api_key_identities = TTLCache(maxsize=10_000, ttl_s=60)
        # Extra /api/v1/admin/health sections (e.g. job queues): name -> callable(session).
        self.health_probes: dict[str, Callable[[Session], Any]] = {}
        self._lock = threading.Lock()
        self._keyring: Keyring | None = None
        self._limiter: Limiter | None = None

    @property
    def keyring(self) -> Keyring:
        if self._keyring is None:
            with self._lock:
                if self._keyring is None:
                    self._keyring = Keyring.load(self.settings)
        return self._keyring

    @property
    def limiter(self) -> Limiter:
        if self._limiter is None:
            with self._lock:
                if self._limiter is None:
                    self._limiter = Limiter(self.settings.redis_url,
                                            self.settings.rate_limit_overrides,
                                            key_prefix=self.settings.rate_limit_key_prefix)
        return self._limiter

    async def aclose(self) -> None:
        """Close what is bound to the serving event loop (the limiter's connections)."""
        limiter, self._limiter = self._limiter, None
        if limiter is not None:
            await limiter.aclose()

    def dispose(self) -> None:
        self.engine.dispose()
