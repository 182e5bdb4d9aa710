"""The fiscal service behind the routes, built from ``home`` on first use.

Building it starts the device and reconciles unfinished documents, so nothing happens at import
or for ``openapi``; a start that fails (device off) is retried on the next call.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from desktop.devices.fiscal.config import FiscalConfig, load_config
from desktop.devices.fiscal.errors import NotConfigured
from desktop.devices.fiscal.service import FiscalService

__all__ = ["FiscalHolder", "Holder"]


class FiscalHolder:
    """Builds the service from ``home`` on first use; a failed start is retried next time."""

    def __init__(self, home: Path | None, service: FiscalService | None = None) -> None:
        self.home, self._service, self._lock = home, service, threading.Lock()
        self.config: FiscalConfig | None = None

    def get(self) -> FiscalService:
        with self._lock:
            if self._service is None:
                if self.home is None:
                    raise NotConfigured("the till has no data directory")
                from desktop.devices.fiscal.factory import build_service

                self.config = load_config(self.home)
                service = build_service(self.home, cfg=self.config)
                service.start()
                self._service = service
            return self._service

    def settings(self) -> FiscalConfig:
        if self.config is None and self.home is not None:
            self.config = load_config(self.home)
        return self.config or FiscalConfig()

    def close(self) -> None:
        with self._lock:
            if self._service is not None:
                self._service.close()
                self._service = None


def _holder(request: Request) -> FiscalHolder:
    holder: FiscalHolder = request.app.state.fiscal
    return holder


Holder = Annotated[FiscalHolder, Depends(_holder)]
