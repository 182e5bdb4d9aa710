"""Background sync on the till: push the outbox, pull the feed, forever, off the sale path.

The runner is one daemon thread. Each round pushes until the outbox is drained, pulls when a
pull is due (every ``pull_interval`` seconds, and on :meth:`SyncRunner.wake`), then sleeps
``idle_interval`` — or is woken early. A failure never stops it: transient errors (offline,
5xx, a cut answer) wait an exponential backoff with jitter (:class:`shared.backoff.Backoff`,
``base·2^n``, capped, reset after a success); refusals that need a person (revoked device,
conflicts) wait the cap and are shown in :meth:`SyncRunner.status`. Sales never wait for it:
they commit to the till store, and the runner reads the outbox on its own connection.

Until the till is enrolled (``sync.json`` appears in ``home``) the runner only waits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import structlog

from shared.backoff import Backoff
from sync import state
from sync.client import SyncClient
from sync.errors import DeviceRevoked, DeviceUnauthorized, PermanentSyncError, SyncError
from sync.ports import TillPorts

__all__ = ["SyncRunner", "SyncStatus"]

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class SyncStatus:
    """What the UI and the local API show about the cloud link."""

    configured: bool
    online: bool
    pending: int
    last_seq: int = 0
    acked_through: int = 0
    last_push_at: datetime | None = None
    last_pull_at: datetime | None = None
    last_error: str = ""
    last_error_code: str = ""
    revoked: bool = False
    cloud_url: str = ""
    device_id: str = ""
    bootstrap: tuple[int, int] | None = None
    """(done, expected) while a snapshot downloads."""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("last_push_at", "last_pull_at"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        return data


class SyncRunner:
    """The till's sync thread (see the module docstring)."""

    def __init__(self, till: TillPorts | Callable[[], TillPorts], home: Path, *,
                 idle_interval: float = 2.0, pull_interval: float = 30.0,
                 backoff: Backoff | None = None, transport: httpx.BaseTransport | None = None,
                 timeout: float = 15.0, batch_size: int = 500) -> None:
        """``till`` is the till's ports, or a factory of them: it is then called once the till
        is enrolled (a till that is never enrolled never opens a second store connection for
        sync), and the runner closes what it made when it stops."""
        self._till: TillPorts | None = None
        self._till_factory: Callable[[], TillPorts] | None = None
        if callable(till):
            self._till_factory = till
        else:
            self._till = till
        self._owns_till = self._till is None
        self.home = home
        self.idle_interval = idle_interval
        self.pull_interval = pull_interval
        self.backoff = backoff or Backoff()
        self._transport, self._timeout, self._batch = transport, timeout, batch_size
        self._client: SyncClient | None = None
        self._token: str | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_pull = 0.0
        self._lock = threading.Lock()
        self._status = SyncStatus(configured=False, online=False, pending=0)
        self._status_written = 0.0

    # -- control ---------------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="till-sync", daemon=True)
        self._thread.start()

    @property
    def till(self) -> TillPorts | None:
        return self._till

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._owns_till and self._till is not None:
            self._till.close()
            self._till = None

    def wake(self, *, pull: bool = False) -> None:
        """Sync now (after a sale, or when the cashier asks); ``pull`` also pulls the feed."""
        if pull:
            self._next_pull = 0.0
        self._wake.set()

    def status(self) -> SyncStatus:
        with self._lock:
            current = self._status
        if self._till is None:
            return current
        stats = self._till.outbox_stats()
        return replace(current, pending=stats.pending, last_seq=stats.last_seq,
                       acked_through=stats.acked_through)

    # -- one round -------------------------------------------------------------------------------

    def _link(self) -> SyncClient | None:
        enrollment = state.load(self.home)
        if enrollment is None:
            self._set(configured=False, online=False)
            return None
        if self._till is None:
            assert self._till_factory is not None
            self._till = self._till_factory()
        if self._client is None or self._token != enrollment.device_token:
            if self._client is not None:
                self._client.close()
            self._client = SyncClient(self._till, enrollment, home=self.home,
                                      transport=self._transport, timeout=self._timeout,
                                      batch_size=self._batch)
            self._token = enrollment.device_token
            self._set(configured=True, revoked=False, cloud_url=enrollment.cloud_url,
                      device_id=enrollment.device_id)
        return self._client

    def run_once(self) -> float:
        """One round; returns how long to wait before the next."""
        client = self._link()
        if client is None:
            return 5.0
        try:
            if client.pending():
                client.push_all(max_batches=50)
                self._set(online=True, last_push_at=datetime.now(UTC), last_error="",
                          last_error_code="")
            if time.monotonic() >= self._next_pull:
                if client.till.catalog_cursor() is None:
                    client.bootstrap(progress=lambda d, t: self._set(bootstrap=(d, t)))
                    self._set(bootstrap=None)
                client.pull_all()
                self._next_pull = time.monotonic() + self.pull_interval
                self._set(online=True, last_pull_at=datetime.now(UTC), last_error="",
                          last_error_code="")
        except PermanentSyncError as exc:
            revoked = isinstance(exc, DeviceRevoked | DeviceUnauthorized)
            self._failed(exc, revoked=revoked)
            return self.backoff.cap
        except SyncError as exc:
            self._failed(exc)
            return self.backoff.next()
        self.backoff.reset()
        return 0.0 if client.pending() else self.idle_interval

    def _failed(self, exc: SyncError, *, revoked: bool = False) -> None:
        log.warning("sync_failed", code=exc.code, error=exc.message)
        self._set(online=False, last_error=exc.message, last_error_code=exc.code,
                  revoked=revoked, bootstrap=None)

    def _set(self, **changes: Any) -> None:
        with self._lock:
            self._status = replace(self._status, **changes)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                wait = self.run_once()
            except Exception as exc:  # a bug or a store error: log, back off, keep running
                log.exception("sync_round_failed")
                self._set(online=False, last_error=f"{type(exc).__name__}: {exc}"[:300],
                          last_error_code="SYNC_INTERNAL")
                wait = self.backoff.next()
            self._publish()
            if wait > 0:
                self._wake.wait(wait)
            self._wake.clear()

    def _publish(self) -> None:
        """Share the status with other processes (``tillbridge-till sync status``)."""
        now = time.monotonic()
        if now - self._status_written < 1.0:
            return
        self._status_written = now
        try:
            state.write_status(self.home, self.status().to_dict())
        except Exception as exc:  # a status file must never stop sync
            log.debug("sync_status_not_written", error=type(exc).__name__)
