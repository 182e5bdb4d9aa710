"""Local sync API: the cloud link's status, and "sync now".

``GET /api/sync/status`` answers what the status bar shows (configured, online, events waiting,
last push/pull, last error). ``POST /api/sync/run`` wakes the background runner — the till's
(:attr:`desktop.app.TillServices.sync`), which runs while the app runs, so a headless till and
the window's local API both sync.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from desktop.api.deps import Services
from desktop.sync_runtime import status_of

__all__ = ["SyncStatusOut", "router"]

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
    # [done, total] products while a bootstrap runs (a list: a tuple type renders as an
    # invalid ``items: [...]`` schema in the OpenAPI document).
    bootstrap: Annotated[list[int], Field(min_length=2, max_length=2)] | None = None


@router.get("/status", response_model=SyncStatusOut)
def status(services: Services) -> Any:
    """Where the link to the cloud stands."""
    return SyncStatusOut(**status_of(services.home, runner=services.sync.peek()).to_dict())


@router.post("/run", status_code=202)
def run_now(services: Services) -> dict[str, bool]:
    """Push and pull now instead of at the next round."""
    runner = services.sync.peek()
    if runner is not None:
        runner.wake(pull=True)
    return {"accepted": runner is not None}
