"""Build the configured fiscal driver and service from the till's home directory."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from desktop.devices.fiscal.base import FiscalDriver
from desktop.devices.fiscal.config import JOURNAL_NAME, FiscalConfig, load_config
from desktop.devices.fiscal.errors import NotConfigured
from desktop.devices.fiscal.journal import Journal
from desktop.devices.fiscal.service import FiscalService
from shared.clock import Clock, SystemClock

__all__ = ["build_driver", "build_service"]


def build_driver(cfg: FiscalConfig, journal: Journal, *, clock: Clock = SystemClock()
                 ) -> FiscalDriver:
    if cfg.device == "datecs":
        # only the configured driver is loaded (start-up time: each costs 40-80 ms)
        from desktop.devices.fiscal.datecs import DatecsDriver, DatecsSettings, Variant
        from desktop.devices.transports import SerialTransport, TcpTransport

        d = cfg.datecs
        if d.transport == "serial":
            if not d.serial_port:
                raise NotConfigured("Datecs over serial needs datecs.serial_port")
            transport = SerialTransport(d.serial_port, d.baudrate, timeout=d.timeout)
        else:
            transport = TcpTransport(d.host, d.port, timeout=d.timeout)  # type: ignore[assignment]
        settings = DatecsSettings(Variant(d.protocol), d.operator, d.password, d.till,
                                  d.encoding, d.timeout, sync_clock=d.sync_clock,
                                  vat_overrides=dict(d.vat_overrides))
        return DatecsDriver(transport, settings, clock=clock)
    if cfg.device == "checkbox":
        # only the configured driver is loaded (start-up time: each costs 40-80 ms)
        from desktop.devices.fiscal.checkbox.driver import CheckboxDriver, CheckboxSettings

        c = cfg.checkbox
        return CheckboxDriver(
            CheckboxSettings(c.base_url, c.license_key, c.login, c.password, c.pin_code,
                             c.timeout, poll_interval=c.poll_interval,
                             poll_attempts=c.poll_attempts, codes_min=c.offline_codes_min,
                             codes_batch=c.offline_codes_batch,
                             tax_overrides=dict(c.tax_overrides)),
            journal, clock=clock)
    raise NotConfigured()


def build_service(home: Path, *, clock: Clock = SystemClock(),
                  cfg: FiscalConfig | None = None) -> FiscalService:
    """The service for the device configured under ``home`` (nothing is contacted yet)."""
    cfg = cfg or load_config(home)
    if cfg.device == "none":
        raise NotConfigured()
    journal = Journal(home / JOURNAL_NAME)
    driver = build_driver(cfg, journal, clock=clock)
    return FiscalService(driver, journal, clock=clock,
                         max_shift=timedelta(hours=cfg.max_shift_hours),
                         auto_retry=cfg.auto_retry)
