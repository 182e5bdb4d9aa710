"""Local sync API: the cloud link's status, and "sync now".

``GET /api/sync/status`` answers what the status bar shows (configured, online, events waiting,
last push/pull, last error). ``POST /api/sync/run`` wakes the background runner. The runner
starts with the app when the till has a home (it waits quietly until the till is enrolled)
and stops with it, so a headless till and the window's agent both sync.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, FastAPI, Request
from fastapi.params import Depends as DependsParam
from pydantic import BaseModel

__all__ = ["SyncStatusOut", "router", "setup"]

router = APIRouter(prefix="/api/sync", tags=["sync"])


class SyncStatusOut(BaseModel):
    configured: bool
    online: bool
    pending: int
    last_seq: int
    acked_through: int
    last_push_at: datetime | None
    last_pull_at: datetime | None
    last_error: str
    last_error_code: str
    revoked: bool
    cloud_url: str
    device_id: str
    bootstrap: tuple[int, int] | None = None


def _home(request: Request) -> Path | None:
    home: Path | None = request.app.state.sync_home
    return home


@router.get("/status", response_model=SyncStatusOut)
def status(request: Request) -> Any:
    """Where the link to the cloud stands."""
    from desktop.sync_runtime import status_of

    home = _home(request)
    if home is None:
        return SyncStatusOut(configured=False, online=False, pending=0, last_seq=0,
                             acked_through=0, last_push_at=None, last_pull_at=None,
                             last_error="", last_error_code="", revoked=False, cloud_url="",
                             device_id="")
    return SyncStatusOut(**status_of(home).to_dict())


@router.post("/run", status_code=202)
def run_now(request: Request) -> dict[str, bool]:
    """Push and pull now instead of at the next round."""
    from desktop.sync_runtime import runner_for

    home = _home(request)
    runner = runner_for(home) if home is not None else None
    if runner is not None:
        runner.wake(pull=True)
    return {"accepted": runner is not None}


def setup(app: FastAPI, home: Path | None, *,
          dependencies: Sequence[DependsParam] = ()) -> None:
    """Mount the router; run the background sync for ``home`` while the app runs."""
    app.state.sync_home = home
    app.include_router(router, dependencies=list(dependencies))
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: Any) -> AsyncIterator[Any]:
        if home is not None:
            from desktop.sync_runtime import start_runner

            start_runner(home)
        try:
            async with inner(a) as state:
                yield state
        finally:
            if home is not None:
                from desktop.sync_runtime import stop_runner

                await anyio.to_thread.run_sync(stop_runner, home)

    app.router.lifespan_context = lifespan
