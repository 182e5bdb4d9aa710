"""One router for the Fiscal API and ``setup``, which mounts it with the service's lifetime."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
import structlog
from fastapi import APIRouter, FastAPI
from fastapi.params import Depends as DependsParam

from desktop.api.fiscal import attention, receipts, reports, shifts
from desktop.api.fiscal.holder import FiscalHolder
from desktop.api.fiscal.schemas import ERRORS
from desktop.devices.fiscal.config import config_path
from desktop.devices.fiscal.service import FiscalService
from shared.errors import TillbridgeError

__all__ = ["router", "setup"]

log = structlog.get_logger(__name__)

router = APIRouter(prefix="/api/admin/fiscal", tags=["fiscal"], responses=ERRORS)
for _area in (shifts, receipts, reports, attention):
    router.include_router(_area.router)


def setup(app: FastAPI, home: Path | None, *,
          dependencies: Sequence[DependsParam] | None = None,
          service: FiscalService | None = None) -> None:
    """Mount the router. When the app starts with a configured device, the service starts
    and reconciles unfinished documents (a device that is off is retried on the first call);
    the service is closed with the app."""
    holder = FiscalHolder(home, service)
    app.state.fiscal = holder
    app.include_router(router, dependencies=list(dependencies or []))
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: Any) -> AsyncIterator[Any]:
        if home is not None and config_path(home).exists():
            try:
                await anyio.to_thread.run_sync(holder.get)
            except TillbridgeError as exc:
                log.warning("fiscal_start_deferred", code=exc.code, error=exc.message)
        try:
            async with inner(a) as state:
                yield state
        finally:
            holder.close()

    app.router.lifespan_context = lifespan
