"""The status bar's sync slot over :func:`desktop.sync_runtime.status_of`.

It lives with the UI (the status bar's :class:`desktop.ui.status.SyncSource` protocol is the
UI's), so the sync runtime knows nothing of the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop.core import Till
from desktop.sync_runtime import status_of
from desktop.ui.status import SyncState
from sync.runner import SyncRunner

__all__ = ["SyncStatusSource"]


class SyncStatusSource:
    """The status bar's sync slot (``desktop.ui.status.SyncSource``) for one till; ``runner``
    answers the process's runner if it runs (``services.sync.peek``).

    Plug it in with ``build_context(..., sync=SyncStatusSource(till, cfg.home, runner))``.
    """

    def __init__(self, till: Till, home: Path,
                 runner: Callable[[], SyncRunner | None] = lambda: None) -> None:
        self._till = till
        self._home = home
        self._runner = runner

    def state(self) -> SyncState:
        s = status_of(self._home, self._till, runner=self._runner())
        last = max((t for t in (s.last_push_at, s.last_pull_at) if t), default=None)
        error = s.last_error_code if s.revoked else (s.last_error if not s.online else "")
        return SyncState(configured=s.configured, online=s.online, pending=s.pending,
                         last_sync=last, error=error)

    def bootstrap_progress(self) -> tuple[int, int] | None:
        """(done, expected) while the catalog snapshot downloads, for a progress bar."""
        return status_of(self._home, self._till, runner=self._runner()).bootstrap
