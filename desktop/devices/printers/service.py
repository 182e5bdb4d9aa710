"""The hardware service: printers (CRUD + status), jobs and discovery, over the device store.

The local Hardware API and the till core call this; it never blocks on a printer except for
the short reachability check when a printer is added and the live status probe on request.
"""

from __future__ import annotations

import fnmatch
import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Self

from pydantic import ValidationError
from pydantic.alias_generators import to_camel

from desktop.devices.discovery import DiscoveryRegistry, DiscoveryResult, default_registry
from desktop.devices.printers.catalog import ProductCatalog, StaticCatalog
from desktop.devices.printers.config import (
    ConfigFieldError,
    ConnectionKind,
    PrinterConfig,
    PrinterKind,
)
from desktop.devices.printers.connections import TransportFactory, transport_for
from desktop.devices.printers.errors import (
    DeviceNotAllowed,
    DuplicatePrinter,
    InvalidPrinterConfig,
    JobNotFound,
    PrinterNotFound,
    PrinterUnreachable,
)
from desktop.devices.printers.printing import Printing
from desktop.devices.printers.queue import PrintQueue
from desktop.devices.printers.settings import HardwareSettings
from desktop.devices.printers.status import PrinterStatus
from desktop.devices.printers.store import (
    JobRecord,
    PrinterRecord,
    PrinterStats,
    PrintStore,
    StoreConflict,
)
from shared.backoff import TEN_PERCENT, BackoffPolicy
from shared.ids import uuid7

__all__ = ["HardwareService", "PrinterView"]

_ADDRESS_FIELDS = ("connection", "ip", "port", "device", "usb_vendor_id", "usb_product_id")


@dataclass(frozen=True)
class PrinterView:
    config: PrinterConfig
    status: PrinterStatus
    stats: PrinterStats | None = None


def _config_error(exc: ValidationError) -> InvalidPrinterConfig:
    err = exc.errors()[0]
    loc = [str(p) for p in err.get("loc", ())]
    cause = (err.get("ctx") or {}).get("error")
    if isinstance(cause, ConfigFieldError):
        loc = [cause.field]
    field = to_camel(loc[0]) if loc else None
    msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
    return InvalidPrinterConfig(msg, field=field)


class HardwareService:
    def __init__(self, home: Path, *, settings: HardwareSettings | None = None,
                 catalog: ProductCatalog | None = None,
                 transports: TransportFactory = transport_for,
                 discovery: DiscoveryRegistry | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.settings = settings or HardwareSettings.from_env()
        s = self.settings
        self.store = PrintStore(Path(home) / "devices.sqlite3", clock=clock)
        self.queue = PrintQueue(self.store, transports=transports,
                                retry=BackoffPolicy(s.retry_base, s.retry_cap, TEN_PERCENT),
                                status_interval=s.status_interval)
        self.catalog: ProductCatalog = catalog or StaticCatalog()
        self._discovery = discovery
        self.printing = Printing(self)
        self.spool_dir = os.path.realpath(Path(home) / "spool")

    def start(self) -> Self:
        self.queue.start()
        return self

    def close(self) -> None:
        self.queue.stop()
        close_catalog = getattr(self.catalog, "close", None)
        if callable(close_catalog):
            close_catalog()

    # -- printers ----------------------------------------------------------------------------
    def printer(self, printer_id: str) -> PrinterRecord:
        rec = self.store.get_printer(printer_id)
        if rec is None:
            raise PrinterNotFound(f"printer {printer_id!r} not found", field="id")
        return rec

    def _status(self, rec: PrinterRecord, live: bool) -> PrinterStatus:
        st = self.queue.status(rec.config.id, live=live, timeout=self.settings.probe_timeout)
        return st or rec.status or PrinterStatus.testing()

    def list_printers(self) -> list[PrinterView]:
        return [PrinterView(r.config, self._status(r, live=False))
                for r in self.store.list_printers()]

    def view(self, printer_id: str, *, live: bool = True) -> PrinterView:
        rec = self.printer(printer_id)
        return PrinterView(rec.config, self._status(rec, live), self.store.stats(printer_id))

    def _build(self, fields: Mapping[str, Any]) -> PrinterConfig:
        try:
            return PrinterConfig.model_validate(dict(fields))
        except ValidationError as exc:
            raise _config_error(exc) from None

    def _check_device_allowed(self, cfg: PrinterConfig) -> None:
        """A file printer writes only to a printer device or the till's spool folder.

        The resolved path is matched, so ``..`` and symlinks cannot lead elsewhere.
        """
        if cfg.connection is not ConnectionKind.FILE:
            return
        real = os.path.realpath(cfg.device or "")
        allowed = (*self.settings.file_devices, os.path.join(self.spool_dir, "*"))
        if not any(fnmatch.fnmatchcase(real, pattern) for pattern in allowed):
            raise DeviceNotAllowed(
                f"a file printer may write only to {', '.join(allowed)}; not {cfg.device}",
                field="device")

    def _check_reachable(self, cfg: PrinterConfig) -> None:
        """Nothing is saved for a printer nobody answers for."""
        if cfg.connection is ConnectionKind.NETWORK:
            try:
                socket.create_connection((cfg.ip, cfg.tcp_port),
                                         timeout=self.settings.connect_check_timeout).close()
            except OSError as exc:
                why = exc.strerror or type(exc).__name__
                raise PrinterUnreachable(f"nothing answers at {cfg.address()}: {why}",
                                         field="ip") from None
        elif cfg.connection in (ConnectionKind.SERIAL, ConnectionKind.FILE):
            if not Path(cfg.device or "").exists():
                # A local path is the caller's input, not a device that failed to answer.
                raise InvalidPrinterConfig(f"{cfg.device} does not exist", field="device",
                                           reason="no_such_device")
        else:
            import usb.core  # optional (pyusb, desktop extra): USB printers only

            try:
                dev = usb.core.find(idVendor=cfg.usb_vendor_id, idProduct=cfg.usb_product_id)
            except (usb.core.NoBackendError, usb.core.USBError):
                return  # cannot look; the worker's status will tell
            if dev is None:
                raise PrinterUnreachable(f"no USB device {cfg.address()}", field="usbVendorId")

    def _save(self, cfg: PrinterConfig, status: PrinterStatus | None) -> None:
        if self.store.name_taken(cfg.name, except_id=cfg.id):
            raise DuplicatePrinter(f"a printer named {cfg.name!r} exists", field="name")
        try:
            self.store.save_printer(cfg, status)
        except StoreConflict as exc:
            raise DuplicatePrinter(f"a printer named {cfg.name!r} exists",
                                   field="name") from exc

    def add_printer(self, fields: Mapping[str, Any]) -> PrinterConfig:
        """Validate, check it answers, save, start its worker — or change nothing."""
        data = {**fields, "id": str(uuid7())}
        cfg = self._build(data)
        if self.store.name_taken(cfg.name):
            raise DuplicatePrinter(f"a printer named {cfg.name!r} exists", field="name")
        if not cfg.default and not any(r.config.type is cfg.type and r.config.default
                                       for r in self.store.list_printers()):
            cfg = cfg.model_copy(update={"default": True})
        self._check_device_allowed(cfg)
        self._check_reachable(cfg)
        self._save(cfg, PrinterStatus.testing())
        self.queue.sync_printer(cfg)
        return cfg

    def update_printer(self, printer_id: str, changes: Mapping[str, Any]) -> PrinterConfig:
        old = self.printer(printer_id).config
        cfg = self._build({**old.model_dump(), **changes, "id": printer_id})
        moved = any(getattr(cfg, f) != getattr(old, f) for f in _ADDRESS_FIELDS)
        if moved:
            self._check_device_allowed(cfg)
            self._check_reachable(cfg)
        self._save(cfg, PrinterStatus.testing() if moved else None)
        self.queue.sync_printer(cfg)
        return cfg

    def delete_printer(self, printer_id: str) -> None:
        self.printer(printer_id)
        self.queue.remove_printer(printer_id)
        if not self.store.delete_printer(printer_id, "printer removed before the job was sent"):
            raise PrinterNotFound(f"printer {printer_id!r} not found", field="id")

    def default_printer(self, kind: PrinterKind) -> PrinterConfig | None:
        of_kind = [r.config for r in self.store.list_printers() if r.config.type is kind]
        return next((c for c in of_kind if c.default), of_kind[0] if of_kind else None)

    # -- jobs and discovery --------------------------------------------------------------------
    def job(self, job_id: str) -> JobRecord:
        job = self.store.get_job(job_id)
        if job is None:
            raise JobNotFound(f"print job {job_id!r} not found", field="id")
        return job

    def discover(self, timeout: float, *,
                 sources: tuple[str, ...] | None = None) -> tuple[DiscoveryResult, set[str]]:
        """Candidates plus the keys of those already configured (offered as "added")."""
        reg = self._discovery or default_registry(self.settings.discovery_interfaces or None)
        result = reg.discover(timeout, only=sources)
        known = set()
        for r in self.store.list_printers():
            c = r.config
            if c.connection is ConnectionKind.NETWORK:
                known.add(f"network:{c.ip}:{c.tcp_port}")
            elif c.connection is ConnectionKind.USB:
                known.add(f"usb:{c.usb_vendor_id}:{c.usb_product_id}")
        return result, known
