"""``LocalApiServer``: the local API served by uvicorn on 127.0.0.1, in the foreground (the
headless till) or on a background thread beside the cashier window.

Beside the window it starts *after* the first frame (importing the web stack takes longer
than drawing the login screen). The server owns nothing but itself: the till, the device
services and the sync runner it serves are the process's :class:`desktop.app.TillServices`,
which the window uses too — one print queue and one fiscal connection per till.
"""

from __future__ import annotations

import threading

import structlog
import uvicorn

from desktop.api.app import create_app
from desktop.app import TillServices
from desktop.config import load_or_create_token

__all__ = ["LocalApiServer"]

log = structlog.get_logger(__name__)


class LocalApiServer:
    def __init__(self, services: TillServices, *, headless: bool) -> None:
        self.services = services
        self.headless = headless
        self.server: uvicorn.Server | None = None
        self.error: BaseException | None = None
        self._thread: threading.Thread | None = None

    def _build(self) -> uvicorn.Server:
        cfg = self.services.config
        token = load_or_create_token(cfg.token_path)
        app = create_app(self.services, token=token, headless=self.headless)
        self.server = uvicorn.Server(
            uvicorn.Config(app, host=cfg.api_host, port=cfg.api_port, log_level="warning"))
        return self.server

    def run(self) -> None:
        """Serve in this thread until stopped (the headless till, or the background thread)."""
        server = self._build()
        cfg = self.services.config
        log.info("local_api_listening", host=cfg.api_host, port=cfg.api_port)
        server.run()

    def start(self) -> None:
        """Serve on a background thread (beside the window)."""

        def target() -> None:
            try:
                self.run()
            except BaseException as exc:  # the window keeps working without the local API
                self.error = exc
                log.exception("local_api_failed")

        self._thread = threading.Thread(target=target, name="local-api", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        if self.server is not None:
            self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
