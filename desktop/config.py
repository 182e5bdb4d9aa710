"""Till settings: where the store, token and logs live, and where the local API listens."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from shared.paths import data_home

__all__ = ["TillConfig", "load_or_create_token"]


@dataclass(frozen=True)
class TillConfig:
    """Resolved once at start; ``home`` defaults to ``TILLBRIDGE_HOME``/till."""

    home: Path = field(default_factory=lambda: data_home() / "till")
    api_host: str = "127.0.0.1"
    api_port: int = int(os.environ.get("TILLBRIDGE_TILL_PORT", "8765"))
    cloud_url: str = os.environ.get("TILLBRIDGE_CLOUD_URL", "")

    @property
    def store_path(self) -> Path:
        return self.home / "till.sqlite3"

    @property
    def token_path(self) -> Path:
        return self.home / "api-token"


def load_or_create_token(path: Path) -> str:
    """The local API's bearer token, created with 0600 rights on first start."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(token + "\n")
    return token
