"""The document worker's small durable state and options: ``home/agent.json`` (the file keeps
the name it had when the worker was called the till agent, so existing tills keep their
positions).

``fiscal_after_seq``/``print_after_seq`` are outbox positions every earlier document has been
handled through (so a restart never rescans the whole journal); ``datecs_receipt_copy`` asks
for a receipt-printer copy even though a Datecs prints its own fiscal receipt.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

__all__ = ["WorkerState"]

NAME = "agent.json"


class WorkerState:
    """A JSON object replaced atomically (write to a temp file, fsync, rename) on each change."""

    def __init__(self, home: Path) -> None:
        self.path = Path(home) / NAME
        self._lock = threading.Lock()
        try:
            self._data: dict[str, Any] = json.loads(self.path.read_text())
        except FileNotFoundError:
            self._data = {}
        except (OSError, ValueError):  # a damaged file: start over, positions are re-derived
            self._data = {}

    def get(self, key: str, default: Any = None) -> Any:
        with self._lock:
            return self._data.get(key, default)

    def set(self, key: str, value: Any) -> None:
        with self._lock:
            if self._data.get(key) == value and key in self._data:
                return
            self._data[key] = value
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            with tmp.open("w") as fh:
                json.dump(self._data, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
