"""Sync wired into the till: enrollment, one-shot sync, the background runner and its status.

* :func:`enroll_till` trades a code for a device token (``tillbridge-till enroll``), takes the
  store and till codes, the country and the receipt texts from the cloud into the till
  settings (:func:`desktop.sync_settings.cloud_settings`; unless a shift is open), and
  downloads the catalog snapshot. Later changes arrive through the feed (:mod:`sync.feed`).
* :func:`sync_once` pushes and pulls once (``tillbridge-till sync``).
* :func:`status_of`: the link's status, from the process's runner when it runs (the window's
  status bar reads it through :class:`desktop.ui.sync_status.SyncStatusSource`).

The background :class:`~sync.runner.SyncRunner` itself belongs to the process's
:class:`desktop.app.TillServices` (``services.sync``), which makes it sync through the
process's own ``Till``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop.app import build_till
from desktop.config import TillConfig
from desktop.core import Till
from desktop.sync_ports import TillSyncPorts
from desktop.sync_settings import cloud_settings
from sync import state
from sync.client import BootstrapResult, SyncClient, enroll
from sync.errors import NotEnrolled
from sync.runner import SyncRunner, SyncStatus

__all__ = ["Enrolled", "enroll_till", "status_of", "sync_once"]


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
            with SyncClient(TillSyncPorts(till), enrollment, home=home) as client:
                result = client.bootstrap(progress=progress)
        return Enrolled(enrollment, applied, result)
    finally:
        till.close()


def sync_once(home: Path, *, progress: Callable[[int, int], None] | None = None,
              till: Till | None = None) -> dict[str, int]:
    """Push everything waiting and pull the feed (bootstrap first if needed)."""
    enrollment = state.load(home)
    if enrollment is None:
        raise NotEnrolled()
    own = till is None
    t = till or build_till(TillConfig(home=home))
    try:
        with SyncClient(TillSyncPorts(t), enrollment, home=home) as client:
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


def status_of(home: Path, till: Till | None = None, *,
              runner: SyncRunner | None = None) -> SyncStatus:
    """The link's status: ``runner``'s (this process's runner, if it runs), else the last one
    written to disk."""
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
