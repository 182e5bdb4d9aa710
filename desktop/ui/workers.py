"""Worker lanes: the UI thread never waits for SQLite, a printer, a fiscal device or the network.

A :class:`Lane` is one worker thread (a ``QThreadPool`` capped at one thread) that runs jobs in
the order they were submitted — scans must reach the cart in the order they were scanned — and
hands each result back on the UI thread through a queued signal. Separate lanes keep a slow
device from holding up the cart: the till (database), printing, the fiscal device and status
polling each have their own.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import structlog
from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal

__all__ = ["Lane", "Lanes"]

log = structlog.get_logger(__name__)

OnOk = Callable[[Any], None]
OnError = Callable[[Exception], None]


def _where(exc: BaseException) -> str:
    """``TypeError: … at file.py:12 in fn`` — enough to find a bug, no values (the locals of
    a till job hold receipts and PIN attempts, which never go to a log)."""
    tb = traceback.extract_tb(exc.__traceback__)
    last = tb[-1] if tb else None
    at = f" at {last.filename.rsplit('/', 1)[-1]}:{last.lineno} in {last.name}" if last else ""
    return f"{type(exc).__name__}: {exc}{at}"


@dataclass
class _Job:
    fn: Callable[[], Any]
    on_ok: OnOk | None
    on_error: OnError | None
    ok: bool = False
    value: Any = None


class Lane(QObject):
    """Runs callables one at a time, in order, off the UI thread."""

    failed = Signal(object)
    """An exception no job handled (``on_error`` missing or itself failing)."""
    busy = Signal(bool)
    _done = Signal(object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)
        self._pending = 0
        self._closed = False
        self._done.connect(self._deliver)

    @property
    def pending(self) -> int:
        """Jobs submitted whose result has not been delivered yet."""
        return self._pending

    def submit(
        self, fn: Callable[[], Any], on_ok: OnOk | None = None, on_error: OnError | None = None
    ) -> bool:
        """Queue ``fn``; ``on_ok(result)`` or ``on_error(exc)`` run later on the UI thread."""
        if self._closed:
            return False
        job = _Job(fn, on_ok, on_error)
        self._pending += 1
        if self._pending == 1:
            self.busy.emit(True)
        # A plain callable: the pool wraps it in a C++ runnable Python never sees. (A Python
        # QRunnable wrapper outlives its auto-deleted C++ object, and PySide may hand that stale
        # wrapper back for a new object at the same address.)
        self._pool.start(lambda: self._run(job))
        return True

    def _run(self, job: _Job) -> None:  # worker thread
        try:
            job.value, job.ok = job.fn(), True
        except Exception as exc:  # every failure goes back to the UI as a value
            job.value = exc
            if not getattr(exc, "code", None):
                log.error("lane_job_failed", lane=self.objectName(), error=_where(exc))
        self._done.emit(job)

    def _deliver(self, job: _Job) -> None:  # UI thread
        self._pending -= 1
        if self._pending == 0:
            self.busy.emit(False)
        try:
            if job.ok:
                if job.on_ok is not None:
                    job.on_ok(job.value)
            elif job.on_error is not None:
                job.on_error(job.value)
            else:
                self.failed.emit(job.value)
        except Exception as exc:  # a bug in a result handler must not take the till down
            log.error("lane_result_handler_failed", lane=self.objectName(), error=_where(exc))
            self.failed.emit(exc)

    def drain(self, timeout_ms: int = 30_000) -> bool:
        """Wait for running jobs and deliver their results (shutdown and tests)."""
        done = self._pool.waitForDone(timeout_ms)
        QCoreApplication.sendPostedEvents(self)
        return done and self._pending == 0

    def close(self, timeout_ms: int = 30_000) -> None:
        """Refuse new jobs and wait for the queued ones."""
        self._closed = True
        self._pool.waitForDone(timeout_ms)


class Lanes(QObject):
    """The lanes of one till: ``till`` (database), ``printer``, ``fiscal``, ``status``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.till = Lane("till", self)
        self.printer = Lane("printer", self)
        self.fiscal = Lane("fiscal", self)
        self.status = Lane("status", self)

    def all(self) -> tuple[Lane, ...]:
        return (self.till, self.printer, self.fiscal, self.status)

    def idle(self) -> bool:
        return all(lane.pending == 0 for lane in self.all())

    def close(self, timeout_ms: int = 30_000) -> None:
        for lane in self.all():
            lane.close(timeout_ms)
