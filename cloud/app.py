"""Application factory. Importing this module has no side effects; ``create_app`` wires it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from cloud import __version__
from cloud.api import (
    admin,
    auth,
    health,
    pim_webhooks,
    pricing,
    products,
    queues,
    ratelimit,
    stock,
    stores,
    webhooks,
)
from cloud.api import reconciliation as recon_api
from cloud.api import sales as sales_api
from cloud.api import sync as sync_api
from cloud.api.errors import install_error_handlers
from cloud.api.methods import MethodGuard
from cloud.api.middleware import RequestMiddleware
from cloud.config import Settings, get_settings
from cloud.jobs.schedule_runner import start_scheduler
from cloud.logs import configure_logging
from cloud.runtime import Runtime
from cloud.services.queues import health_probe as queues_health
from shared.clock import Clock

__all__ = ["create_app"]


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.check_production()
    configure_logging(debug=settings.debug, json=settings.log_format == "json")
    runtime = Runtime(settings, clock=clock)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        scheduler = start_scheduler(runtime)  # APScheduler, only when SCHEDULER_ENABLED
        yield
        if scheduler is not None:
            scheduler.shutdown()
        await runtime.aclose()
        runtime.dispose()

    app = FastAPI(title="Tillbridge Cloud", version=__version__, lifespan=lifespan,
                  debug=False)
    app.state.runtime = runtime
    app.state.settings = settings
    app.state.engine = runtime.engine
    app.state.sessions = runtime.sessions
    install_error_handlers(app)
    app.add_middleware(MethodGuard, routes=app.router.routes)  # inside: gets the request id
    app.add_middleware(RequestMiddleware, runtime=runtime)
    app.include_router(health.router)
    app.include_router(auth.router)
    app.include_router(admin.router)
    app.include_router(ratelimit.router)
    app.include_router(queues.router)
    app.include_router(webhooks.router)
    app.include_router(pim_webhooks.router)
    app.include_router(products.router)
    app.include_router(pricing.router)
    app.include_router(stock.router)
    app.include_router(stores.router)
    for recon_router in recon_api.routers:  # seed 002
        app.include_router(recon_router)
    for sync_router in (*sync_api.routers, *sales_api.routers):  # tills: sync, synced sales
        app.include_router(sync_router)
    runtime.health_probes["jobs"] = queues_health
    return app
