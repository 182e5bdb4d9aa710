"""Sync wired into the till: enrollment, one-shot sync, the background runner and its status.

* :func:`enroll_till` trades a code for a device token (``tillbridge-till enroll``), takes the
  store and till codes, the country and the receipt texts from the cloud into the till
  settings (:func:`sync.settings.cloud_settings`; unless a shift is open), and downloads the
  catalog snapshot. Later changes arrive through the feed (:mod:`sync.feed`).
* :func:`start_runner` / :func:`runner_for` / :func:`stop_runner`: one background
  :class:`~sync.runner.SyncRunner` per till home in this process; the local API starts it with
  the app, so both ``run --headless`` and the window (whose agent serves the local API) sync.
* :func:`attach` / :func:`detach`: the window's own ``Till`` serves as the runner's till, so
  what the feed changes (settings, users) applies to the till the cashier is using; the runner
  starts at once when the till is enrolled.
* :class:`SyncStatusSource` is the :class:`desktop.ui.status.SyncSource` the status bar reads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop.app import build_till
from desktop.config import TillConfig
from desktop.core import Till
from sync import state
from sync.client import BootstrapResult, SyncClient, enroll
from sync.runner import SyncRunner, SyncStatus
from sync.settings import cloud_settings

__all__ = ["Enrolled", "SyncStatusSource", "attach", "detach", "enroll_till", "runner_for",
           "start_runner", "status_of", "stop_runner", "sync_once"]

_RUNNERS: dict[Path, SyncRunner] = {}
_LIVE: dict[Path, Till] = {}
"""Tills open in this process (the window's), which runners for their home use."""
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Enrolled:
    enrollment: state.Enrollment
    settings_applied: bool
    bootstrap: BootstrapResult | None


def enroll_till(home: Path, cloud_url: str, code: str, *, bootstrap: bool = True,
                progress: Callable[[int, int], None] | None = None,
                till_factory: Callable[[], Till] | None = None) -> Enrolled:
    """Enroll the till at ``home`` (see the module docstring)."""
    factory = till_factory or (lambda: build_till(TillConfig(home=home)))
    till = factory()
    try:
        enrollment = enroll(till, home, cloud_url, code)
        wanted = cloud_settings(till.settings, enrollment)
        applied = False
        if wanted != till.settings and till.current_shift() is None:
            till.close()
            till = build_till(TillConfig(home=home), settings=wanted)
            applied = True
        result = None
        if bootstrap:
            with SyncClient(till, enrollment, home=home) as client:
                result = client.bootstrap(progress=progress)
        return Enrolled(enrollment, applied, result)
    finally:
        till.close()


def sync_once(home: Path, *, progress: Callable[[int, int], None] | None = None,
              till: Till | None = None) -> dict[str, int]:
    """Push everything waiting and pull the feed (bootstrap first if needed)."""
    enrollment = state.load(home)
    if enrollment is None:
        from sync.errors import NotEnrolled

        raise NotEnrolled()
    own = till is None
    t = till or build_till(TillConfig(home=home))
    try:
        with SyncClient(t, enrollment, home=home) as client:
            boot = 0
            if t.catalog_cursor() is None:
                boot = client.bootstrap(progress=progress).products
            pushed = client.push_all()
            pulled = client.pull_all()
            return {"pushed": pushed, "bootstrapped": boot, "pulled": pulled,
                    "pending": t.outbox_stats().pending}
    finally:
        if own:
            t.close()


def start_runner(home: Path, *, till: Till | None = None, **kwargs: Any) -> SyncRunner:
    """The home's background runner, started on first call (it waits for enrollment).

    It syncs through ``till``, else the till :func:`attach` registered for ``home``, else a
    till of its own opened once the home is enrolled."""
    key = home.resolve()
    with _LOCK:
        runner = _RUNNERS.get(key)
        if runner is None:
            live = till or _LIVE.get(key)
            source: Till | Callable[[], Till] = (
                live if live is not None else (lambda: build_till(TillConfig(home=home))))
            runner = SyncRunner(source, home, **kwargs)
            runner.start()
            _RUNNERS[key] = runner
        return runner


def attach(home: Path, till: Till, **kwargs: Any) -> SyncRunner | None:
    """Make ``till`` the one every runner for ``home`` uses; start the runner if enrolled.

    The window calls this before its local API starts, so the API's runner is this one. An
    unenrolled till starts nothing (the local API's runner, if any, waits for enrollment and
    then uses ``till`` too)."""
    with _LOCK:
        _LIVE[home.resolve()] = till
    if state.load(home) is None:
        return None
    return start_runner(home, till=till, **kwargs)


def detach(home: Path) -> None:
    """Stop the home's runner and forget its till (before the till is closed)."""
    stop_runner(home)
    with _LOCK:
        _LIVE.pop(home.resolve(), None)


def runner_for(home: Path) -> SyncRunner | None:
    with _LOCK:
        return _RUNNERS.get(home.resolve())


def stop_runner(home: Path) -> None:
    with _LOCK:
        runner = _RUNNERS.pop(home.resolve(), None)
    if runner is not None:
        runner.stop()


def status_of(home: Path, till: Till | None = None) -> SyncStatus:
    """The link's status: the runner's in this process, else the last one written to disk."""
    runner = runner_for(home)
    if runner is not None and runner.till is not None:
        return runner.status()
    enrollment = state.load(home)
    saved = state.read_status(home) or {}
    stats = till.outbox_stats() if till is not None else None
    return SyncStatus(
        configured=enrollment is not None, online=bool(saved.get("online")) and runner is not None,
        pending=stats.pending if stats else int(saved.get("pending") or 0),
        last_seq=stats.last_seq if stats else int(saved.get("last_seq") or 0),
        acked_through=stats.acked_through if stats else int(saved.get("acked_through") or 0),
        last_push_at=_when(saved.get("last_push_at")),
        last_pull_at=_when(saved.get("last_pull_at")),
        last_error=str(saved.get("last_error") or ""),
        last_error_code=str(saved.get("last_error_code") or ""),
        revoked=bool(saved.get("revoked")),
        cloud_url=enrollment.cloud_url if enrollment else "",
        device_id=enrollment.device_id if enrollment else "")


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


class SyncStatusSource:
    """The status bar's sync slot (``desktop.ui.status.SyncSource``) for one till.

    Plug it in with ``build_context(..., sync=SyncStatusSource(till, cfg.home))``.
    """

    def __init__(self, till: Till, home: Path) -> None:
        self._till = till
        self._home = home

    def state(self) -> Any:
        from desktop.ui.status import SyncState

        s = status_of(self._home, self._till)
        last = max((t for t in (s.last_push_at, s.last_pull_at) if t), default=None)
        error = s.last_error_code if s.revoked else (s.last_error if not s.online else "")
        return SyncState(configured=s.configured, online=s.online, pending=s.pending,
                         last_sync=last, error=error)

    def bootstrap_progress(self) -> tuple[int, int] | None:
        """(done, expected) while the catalog snapshot downloads, for a progress bar."""
        return status_of(self._home, self._till).bootstrap
