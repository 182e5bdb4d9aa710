"""The till's local HTTP API on 127.0.0.1, for back-office tools and the UI's own helpers."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel

from desktop import __version__

__all__ = ["create_app"]


class TillHealth(BaseModel):
    status: str
    version: str
    headless: bool


def create_app(*, token: str | None = None, headless: bool = True) -> FastAPI:
    """Build the app; ``token`` protects every route but ``/health`` (none: open, for tests)."""
    app = FastAPI(title="Tillbridge Till", version=__version__)
    app.state.token = token
    app.state.headless = headless

    @app.get("/health", response_model=TillHealth, tags=["health"])
    def health() -> TillHealth:
        return TillHealth(status="ok", version=__version__, headless=app.state.headless)

    return app
