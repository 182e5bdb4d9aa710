"""What a till keeps about its cloud link, in its data directory.

* ``sync.json`` (0600): cloud URL, device id and token, tenant, store and till as the cloud
  knows them, the cloud's public signing keys. Written atomically (temp file, fsync, rename).
* ``device-uid``: this installation's own id, made once; enrolling again from the same
  installation keeps the device (and its event stream) in the cloud.
* ``sync-status.json``: the background runner's last status, for other processes (CLI).

The feed cursor is not here: it lives in the till store, committed with each applied page.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from shared.ids import uuid7

__all__ = ["Enrollment", "device_uid", "forget", "load", "read_status", "save", "write_status"]

_STATE = "sync.json"
_UID = "device-uid"
_STATUS = "sync-status.json"


@dataclass(frozen=True)
class Enrollment:
    cloud_url: str
    device_id: str
    device_token: str = field(repr=False)
    tenant_id: str
    store: Mapping[str, Any]
    till: Mapping[str, Any]
    enrolled_at: str
    jwks: Mapping[str, Any] = field(default_factory=dict)
    cloud_config: Mapping[str, Any] = field(default_factory=dict)
    """The latest store/till settings received through the feed (printers, fiscal, …)."""


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(home: Path) -> Enrollment | None:
    path = home / _STATE
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    known = set(Enrollment.__dataclass_fields__)
    return Enrollment(**{k: v for k, v in data.items() if k in known})


def save(home: Path, enrollment: Enrollment) -> None:
    _write_private(home / _STATE, json.dumps(asdict(enrollment), indent=1, default=str))


def forget(home: Path) -> None:
    (home / _STATE).unlink(missing_ok=True)


def device_uid(home: Path) -> str:
    """This installation's id (created on first use)."""
    path = home / _UID
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        uid = str(uuid7())
        _write_private(path, uid + "\n")
        return uid


def write_status(home: Path, status: Mapping[str, Any]) -> None:
    _write_private(home / _STATUS, json.dumps(dict(status), default=str))


def read_status(home: Path) -> dict[str, Any] | None:
    try:
        return dict(json.loads((home / _STATUS).read_text()))
    except (FileNotFoundError, ValueError):
        return None
