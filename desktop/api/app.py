"""The till's local HTTP API on 127.0.0.1, for back-office tools and the UI's own helpers.

Routers are thin shells over ``desktop/core`` and ``desktop/devices``; every route except
``/health`` needs the till's bearer token. A new API family is a router in
``desktop/api/<family>.py`` (or a package, like ``fiscal/``) included below; its routes reach
the till's collaborators through :data:`desktop.api.deps.Services`.

While the app runs it runs the till's background work: the print workers and the fiscal
device start with it (a device that is off is retried on the first call), the sync runner
too (it waits quietly until the till is enrolled); all stop with it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
import structlog
from fastapi import FastAPI
from pydantic import BaseModel

from desktop import __version__
from desktop.api import fiscal, hardware, sync
from desktop.api.deps import RequireToken
from desktop.api.errors import ERROR_RESPONSES, install_error_handlers
from desktop.app import TillServices
from shared.errors import TillbridgeError

__all__ = ["create_app"]

log = structlog.get_logger(__name__)


class TillHealth(BaseModel):
    status: str
    version: str
    headless: bool


def create_app(services: TillServices, *, token: str | None = None,
               headless: bool = True) -> FastAPI:
    """Build the app over ``services``; ``token`` protects every route but ``/health`` (None:
    open, for tests). Nothing is built or contacted before the app starts (``openapi``)."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[Any]:
        services.sync.get()
        if services.fiscal_configured():
            try:
                await anyio.to_thread.run_sync(services.fiscal.get)
            except TillbridgeError as exc:
                log.warning("fiscal_start_deferred", code=exc.code, error=exc.message)
        services.hardware.get()  # queued jobs from before a restart print without a call
        try:
            yield
        finally:
            services.hardware.reset()
            services.fiscal.reset()
            await anyio.to_thread.run_sync(services.sync.reset)

    app = FastAPI(title="Tillbridge Till", version=__version__, lifespan=lifespan)
    app.state.token = token
    app.state.headless = headless
    app.state.services = services
    install_error_handlers(app)

    @app.get("/health", response_model=TillHealth, tags=["health"])
    def health() -> TillHealth:
        return TillHealth(status="ok", version=__version__, headless=app.state.headless)

    protected = [RequireToken]
    for family in (hardware.router, fiscal.router, sync.router):
        app.include_router(family, dependencies=protected, responses=ERROR_RESPONSES)
    return app
