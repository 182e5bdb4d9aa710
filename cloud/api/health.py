"""Liveness and database health."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from cloud import __version__
from cloud.db import check_database
from cloud.schemas.health import (
    Health,
)

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, responses={503: {"model": Health}})
def health(request: Request) -> Any:
    """Answers 200 when the database answers, 503 otherwise."""
    try:
        db = check_database(request.app.state.engine)
        return Health(status="ok", version=__version__, database=db)
    except Exception as exc:  # the health endpoint reports, it never raises
        body = Health(status="degraded", version=__version__,
                      database={"status": "error", "error": type(exc).__name__})
        return JSONResponse(body.model_dump(), status_code=503)
