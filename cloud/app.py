"""Application factory. Importing this module has no side effects; ``create_app`` wires it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from cloud import __version__
from cloud.api import admin, auth, health, ratelimit
from cloud.api import pricing, products, stock, stores
from cloud.api.errors import install_error_handlers
from cloud.api.middleware import RequestMiddleware
from cloud.clock import Clock
from cloud.config import Settings, get_settings
from cloud.logs import configure_logging
from cloud.runtime import Runtime

__all__ = ["create_app"]


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.check_production()
    configure_logging(debug=settings.debug)
    runtime = Runtime(settings, clock=clock)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await runtime.aclose()
        runtime.dispose()

    app = FastAPI(title="Tillbridge Cloud", version=__version__, lifespan=lifespan,
                  debug=False)
    app.state.runtime = runtime
    app.state.settings = settings
    app.state.engine = runtime.engine
    app.state.sessions = runtime.sessions
    install_error_handlers(app)
    app.add_middleware(RequestMiddleware, runtime=runtime)
    app.include_router(health.router)
    app.include_router(auth.router)
    app.include_router(admin.router)
    app.include_router(ratelimit.router)
    app.include_router(products.router)
    app.include_router(pricing.router)
    app.include_router(stock.router)
    app.include_router(stores.router)
    return app
