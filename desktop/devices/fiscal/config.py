"""Which fiscal device this till drives, stored as ``home/fiscal.json`` (0600: it holds the
Checkbox cashier password and licence key).

Example (Datecs X over TCP, exempt sales on letter E)::

    {"device": "datecs", "country": "RO", "timezone": "Europe/Bucharest",
     "datecs": {"protocol": "x", "transport": "tcp", "host": "192.168.1.50", "port": 9100,
                "vat_overrides": {"exempt": "E"}}}
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from desktop.devices.fiscal.errors import NotConfigured

__all__ = ["CheckboxConfig", "DatecsConfig", "FiscalConfig", "config_path", "load_config",
           "save_config"]

FILE_NAME = "fiscal.json"
JOURNAL_NAME = "fiscal.sqlite3"


class DatecsConfig(BaseModel):
    protocol: Literal["x", "old"] = "x"
    transport: Literal["tcp", "serial"] = "tcp"
    host: str = "127.0.0.1"
    port: int = 9100
    serial_port: str | None = None
    baudrate: int = 115200
    operator: str = "1"
    password: str = "0000"
    till: str = "1"
    encoding: str = "cp1250"
    timeout: float = 0.5
    sync_clock: bool = True
    vat_overrides: dict[str, str] = Field(default_factory=dict)


class CheckboxConfig(BaseModel):
    base_url: str = "https://api.checkbox.in.ua"
    license_key: str = ""
    login: str = ""
    password: str = ""
    pin_code: str | None = None
    timeout: float = 10.0
    poll_interval: float = 0.75
    poll_attempts: int = 40
    offline_codes_min: int = 20
    offline_codes_batch: int = 100
    tax_overrides: dict[str, str] = Field(default_factory=dict)


class FiscalConfig(BaseModel):
    device: Literal["datecs", "checkbox", "none"] = "none"
    country: str = "RO"
    timezone: str = "Europe/Bucharest"
    max_shift_hours: float = 24.0
    auto_retry: bool = True
    datecs: DatecsConfig = Field(default_factory=DatecsConfig)
    checkbox: CheckboxConfig = Field(default_factory=CheckboxConfig)


def config_path(home: Path) -> Path:
    return home / FILE_NAME


def load_config(home: Path) -> FiscalConfig:
    """The stored configuration; ``NotConfigured`` when absent or unreadable."""
    path = config_path(home)
    if not path.exists():
        raise NotConfigured(f"no fiscal device configured ({path} missing)")
    try:
        return FiscalConfig.model_validate(json.loads(path.read_text()))
    except (ValueError, ValidationError) as exc:
        raise NotConfigured(f"fiscal configuration {path} is invalid: {exc}") from exc


def save_config(home: Path, cfg: FiscalConfig) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = config_path(home)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(cfg.model_dump_json(indent=1))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path
