"""The durable print queue: enqueue, per-printer workers, restart recovery, reprints.

Exactly-once, as far as a printer allows. Printers have no idempotency key, so the rule is:

1. A job is sent only after a status read says the printer is ready; ``sending`` is committed
   before the first byte and ``done`` only after a status round-trip *after* the payload (the
   printer read the whole stream). A printer that is offline never sees a byte: the job stays
   ``queued`` across printer outages and till restarts, and is sent once when it is back.
2. The window between "bytes sent" and "marked done" (a crash, a cable pulled mid-job) leaves
   the job in ``sending``. We cannot ask the printer whether it printed, so such a job is resent
   **at most once**, after the usual confirmed-status check, and rendered as a **COPY** — a
   person may get a copy, never two originals. Jobs we cannot re-render as a copy (labels, raw
   bytes, drawer pulses) are failed with the reason instead of guessed at.
3. Reprints (``reprint``) are always new jobs marked COPY.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import structlog

from desktop.devices.errors import CapabilityNotSupported
from desktop.devices.printers.config import PrinterConfig
from desktop.devices.printers.connections import TransportFactory, transport_for
from desktop.devices.printers.document import ReceiptDocument
from desktop.devices.printers.drivers import (
    DriverRegistry,
    PrinterDriver,
    ReceiptDriver,
    default_registry,
)
from desktop.devices.printers.status import PrinterStatus
from desktop.devices.printers.store import JobRecord, PrintStore
from desktop.devices.printers.worker import PRINT_RETRY, PrinterWorker
from shared.backoff import BackoffPolicy
from shared.ids import uuid7

__all__ = ["PrintQueue", "render_document"]

log = structlog.get_logger(__name__)


def render_document(driver: PrinterDriver, document: str, *, is_copy: bool) -> bytes:
    """Re-render a stored job document (receipt or text) for ``driver``'s printer."""
    if not isinstance(driver, ReceiptDriver):
        raise CapabilityNotSupported("only receipt jobs can be re-rendered")
    doc: dict[str, Any] = json.loads(document)
    if doc["type"] == "receipt":
        receipt = ReceiptDocument.model_validate(doc["receipt"])
        return driver.renderer.render(receipt.model_copy(update={"is_copy": is_copy}))
    if doc["type"] == "text":
        return driver.renderer.render_text(doc["text"], language=doc.get("language", "uk"),
                                           is_copy=is_copy)
    raise CapabilityNotSupported(f"cannot re-render a {doc['type']} job")


class PrintQueue:
    def __init__(self, store: PrintStore, *, registry: DriverRegistry | None = None,
                 transports: TransportFactory = transport_for,
                 retry: BackoffPolicy = PRINT_RETRY, status_interval: float = 30.0) -> None:
        self.store = store
        self.registry = registry or default_registry()
        self.transports = transports
        self.retry = retry
        self.status_interval = status_interval
        self._workers: dict[str, PrinterWorker] = {}
        self._lock = threading.RLock()
        self._started = False

    # -- lifecycle -------------------------------------------------------------------------
    def driver_for(self, cfg: PrinterConfig) -> PrinterDriver:
        return self.registry.driver_for(cfg, self.transports(cfg))

    def start(self) -> None:
        """Recover interrupted jobs, then start one worker per configured printer."""
        with self._lock:
            if self._started:
                return
            self._started = True
            for rec in self.store.list_printers():
                self._spawn(rec.config)
            for job in self.store.interrupted():
                self._uncertain(job, "the till stopped while this job was being sent")
            for w in self._workers.values():
                w.start()

    def stop(self) -> None:
        with self._lock:
            workers = list(self._workers.values())
            self._workers.clear()
            self._started = False
        for w in workers:
            w.stop()

    def _spawn(self, cfg: PrinterConfig) -> PrinterWorker:
        worker = PrinterWorker(self.driver_for(cfg), self.store, retry=self.retry,
                               status_interval=self.status_interval,
                               on_uncertain=self._uncertain)
        self._workers[cfg.id] = worker
        return worker

    def sync_printer(self, cfg: PrinterConfig) -> None:
        """(Re)start the worker after a printer was added or changed."""
        with self._lock:
            old = self._workers.pop(cfg.id, None)
            if old is not None:
                old.stop()
            worker = self._spawn(cfg)
            if self._started:
                worker.start()

    def remove_printer(self, printer_id: str) -> None:
        with self._lock:
            old = self._workers.pop(printer_id, None)
        if old is not None:
            old.stop()

    def worker(self, printer_id: str) -> PrinterWorker | None:
        return self._workers.get(printer_id)

    # -- jobs --------------------------------------------------------------------------------
    def enqueue(self, printer_id: str, kind: str, payload: bytes, *, document: str | None = None,
                labels: int = 0, dedupe_key: str | None = None, is_copy: bool = False,
                copy_of: str | None = None) -> JobRecord:
        job, created = self.store.add_job(
            job_id=str(uuid7()), printer_id=printer_id, kind=kind, payload=payload,
            document=document, is_copy=is_copy, copy_of=copy_of, labels=labels,
            dedupe_key=dedupe_key)
        if created:
            log.info("print_job_queued", job=job.id, printer=printer_id, kind=kind, copy=is_copy)
        w = self._workers.get(printer_id)
        if w is not None:
            w.wake()
        return job

    def reprint(self, job: JobRecord, printer: PrinterConfig) -> JobRecord:
        """A new job printing ``job``'s document again, marked COPY."""
        if not job.document:
            raise CapabilityNotSupported("this job has no document to reprint")
        payload = render_document(self.driver(printer), job.document, is_copy=True)
        return self.enqueue(printer.id, job.kind, payload, document=job.document, is_copy=True,
                            copy_of=job.id)

    def driver(self, cfg: PrinterConfig) -> PrinterDriver:
        """The running worker's driver for ``cfg`` (or a fresh one when none runs)."""
        w = self._workers.get(cfg.id)
        return w.driver if w is not None else self.driver_for(cfg)

    def _uncertain(self, job: JobRecord, reason: str) -> None:
        """The job may or may not have printed: resend once as COPY, or fail it."""
        rec = self.store.get_printer(job.printer_id)
        if job.document and not job.resent and rec is not None:
            try:
                payload = render_document(self.driver(rec.config), job.document, is_copy=True)
            except (CapabilityNotSupported, ValueError) as exc:
                log.warning("print_job_copy_render_failed", job=job.id, error=str(exc))
            else:
                self.store.resend_as_copy(job.id, payload, f"{reason}; resent once as COPY")
                log.warning("print_job_resent_as_copy", job=job.id)
                return
        self.store.fail(job.id, f"{reason}; not resent because the outcome is unknown")
        log.warning("print_job_outcome_unknown", job=job.id)

    # -- status ------------------------------------------------------------------------------
    def status(self, printer_id: str, *, live: bool = False,
               timeout: float = 2.0) -> PrinterStatus | None:
        w = self._workers.get(printer_id)
        if w is None:
            rec = self.store.get_printer(printer_id)
            return rec.status if rec else None
        return w.probe(timeout) if live else w.last_status
