"""Where Tillbridge keeps its files: ``TILLBRIDGE_HOME`` or the platform's user data dir."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["data_home"]


def data_home() -> Path:
    """The data directory (not created here: callers create what they write)."""
    env = os.environ.get("TILLBRIDGE_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("tillbridge", appauthor=False)
