"""The till's local HTTP API on 127.0.0.1, for back-office tools and the UI's own helpers.

Routers are thin shells over ``desktop/core`` and ``desktop/devices``; every route except
``/health`` needs the till's bearer token.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from pydantic import BaseModel

from desktop import __version__
from desktop.api.deps import RequireToken
from desktop.api.errors import install_error_handlers

__all__ = ["create_app"]


class TillHealth(BaseModel):
    status: str
    version: str
    headless: bool


def create_app(
    *, token: str | None = None, headless: bool = True, home: Path | None = None
) -> FastAPI:
    """Build the app; ``token`` protects every route but ``/health`` (None: open, for tests).

    ``home`` is the till's data directory; each feature module's ``setup(app, home)`` builds its
    service from it lazily (no I/O at import or in ``openapi``).
    """
    app = FastAPI(title="Tillbridge Till", version=__version__)
    app.state.token = token
    app.state.headless = headless
    app.state.home = home
    install_error_handlers(app)

    @app.get("/health", response_model=TillHealth, tags=["health"])
    def health() -> TillHealth:
        return TillHealth(status="ok", version=__version__, headless=app.state.headless)

    protected = [RequireToken]
    # Feature routers are added here, each as one `setup` line, e.g.:
    #   hardware.setup(app, home, dependencies=protected)
    from desktop.api import hardware
    hardware.setup(app, home, dependencies=protected)
    from desktop.api import fiscal
    fiscal.setup(app, home, dependencies=protected)
    from desktop.api import sync
    sync.setup(app, home, dependencies=protected)
    _ = protected
    return app
