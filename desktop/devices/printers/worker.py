"""One thread per printer: takes its queued jobs in order, checks status, sends, confirms.

Device I/O never runs on the UI thread or an API request thread; the API only enqueues and
reads rows. The worker's ``lock`` serialises every use of the device (jobs and live probes),
because most 9100 printers accept one connection at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import structlog

from desktop.devices.errors import DeviceError, PermanentDeviceError, TransientDeviceError
from desktop.devices.printers.drivers import PrinterDriver
from desktop.devices.printers.status import PrinterState, PrinterStatus
from desktop.devices.printers.store import JobRecord, PrintStore, StoreError
from shared.backoff import TEN_PERCENT, BackoffPolicy

__all__ = ["PRINT_RETRY", "PrinterWorker"]

log = structlog.get_logger(__name__)

UncertainHandler = Callable[[JobRecord, str], None]


PRINT_RETRY = BackoffPolicy(base=1.0, cap=30.0, jitter=TEN_PERCENT)
"""A failed job waits ``min(30 s, 1 s · 2^(failures-1))`` ±10 % (see :mod:`shared.backoff`)."""


class PrinterWorker(threading.Thread):
    def __init__(self, driver: PrinterDriver, store: PrintStore, *, retry: BackoffPolicy,
                 status_interval: float, on_uncertain: UncertainHandler) -> None:
        super().__init__(name=f"printer-{driver.config.id}", daemon=True)
        self.driver = driver
        self.store = store
        self.retry = retry
        self.status_interval = status_interval
        self.on_uncertain = on_uncertain
        self.lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self.last_status: PrinterStatus = PrinterStatus.testing()
        self.printer_id = driver.config.id

    # -- control ---------------------------------------------------------------------------
    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout)

    def probe(self, timeout: float) -> PrinterStatus:
        """A live status read, unless a job holds the device longer than ``timeout``."""
        if not self.lock.acquire(timeout=timeout):
            return self.last_status
        try:
            self._record(self.driver.probe())
        finally:
            self.lock.release()
        return self.last_status

    # -- loop --------------------------------------------------------------------------------
    def run(self) -> None:
        failures = 0
        try:
            self.probe(timeout=self.status_interval or 5.0)
        except Exception:  # the loop below reports errors per job
            log.exception("printer_probe_failed", printer=self.printer_id)
        while not self._stopping.is_set():
            try:
                job = self.store.next_queued(self.printer_id)
            except StoreError:
                log.exception("print_queue_read_failed", printer=self.printer_id)
                job = None
            if job is None:
                self._idle()
                continue
            try:
                done = self._attempt(job)
            except Exception as exc:  # a bug must not kill the printer's thread
                log.exception("print_job_crashed", job=job.id)
                try:
                    self.store.fail(job.id, f"internal error: {type(exc).__name__}")
                except StoreError:
                    log.exception("print_queue_write_failed", job=job.id)
                done = True
            if done:
                failures = 0
                continue
            failures += 1
            self._wake.wait(self.retry.delay(failures - 1))
            self._wake.clear()

    def _idle(self) -> None:
        woke = self._wake.wait(self.status_interval or None)
        self._wake.clear()
        if not woke and not self._stopping.is_set() and self.status_interval:
            try:
                self.probe(timeout=0.1)
            except Exception:
                log.exception("printer_probe_failed", printer=self.printer_id)

    def _record(self, status: PrinterStatus) -> None:
        stamped = status.at(self.store.clock())
        changed = status.to_dict() | {"checked_at": None} != \
            self.last_status.to_dict() | {"checked_at": None}
        self.last_status = stamped
        if changed:
            try:
                self.store.set_status(self.printer_id, stamped)
            except StoreError:
                log.exception("printer_status_write_failed", printer=self.printer_id)

    def _attempt(self, job: JobRecord) -> bool:
        """Try one job; True when the job reached a final state or left the queue."""
        attempts = job.attempts + 1
        sending = blocked_by_status = False
        with self.lock:
            try:
                with self.driver.session() as drv:
                    status = drv.read_status()
                    self._record(status)
                    blocked = status.blocking_error()
                    if blocked is not None:
                        blocked_by_status = True
                        raise blocked
                    if not self.store.mark_sending(job.id, attempts):
                        return True  # no longer queued (printer removed meanwhile)
                    sending = True
                    drv.write(job.payload)
                    drv.confirm()
                self.store.mark_done(job.id)
                log.info("print_job_done", job=job.id, printer=self.printer_id, copy=job.is_copy)
                return True
            except TransientDeviceError as exc:
                if not sending:
                    self.store.retry_later(job.id, attempts, str(exc))
                    if not blocked_by_status:
                        self._record(PrinterStatus.offline(str(exc)))
                    log.info("print_job_waiting", job=job.id, printer=self.printer_id,
                             error=type(exc).__name__)
                    return False
                self._record(PrinterStatus.offline(str(exc)))
                self.on_uncertain(job, f"interrupted while sending: {exc}")
                return False
            except PermanentDeviceError as exc:
                if sending:
                    self.on_uncertain(job, f"device error while sending: {exc}")
                    return False
                self.store.fail(job.id, str(exc), attempts=attempts)
                self._record(PrinterStatus(PrinterState.ERROR, online=True, error=True,
                                           detail=str(exc)))
                return True
            except StoreError:
                log.exception("print_queue_write_failed", job=job.id)
                return False
            except (DeviceError, ValueError, OSError) as exc:
                log.exception("print_job_failed", job=job.id)
                self.store.fail(job.id, f"{type(exc).__name__}: {exc}", attempts=attempts)
                return True
