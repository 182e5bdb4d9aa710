"""The till agent: the local API (with the print queue and fiscal service it owns), started
beside the window or on its own for headless tills.

With a window, the agent starts on a background thread *after* the first frame (importing the
web stack takes longer than drawing the login screen), and the window's printer and fiscal
adapters borrow the agent's services — one print queue and one fiscal connection per till.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import structlog

from desktop.config import TillConfig, load_or_create_token

if TYPE_CHECKING:
    from desktop.devices.fiscal.service import FiscalService
    from desktop.devices.printers.service import HardwareService

__all__ = ["Agent"]

log = structlog.get_logger(__name__)


class Agent:
    def __init__(self, cfg: TillConfig, *, headless: bool) -> None:
        self.cfg = cfg
        self.headless = headless
        self.app: Any = None
        self.server: Any = None
        self.ready = threading.Event()
        self.error: BaseException | None = None
        self._thread: threading.Thread | None = None

    def _build(self) -> None:
        import uvicorn

        from desktop.api.app import create_app

        token = load_or_create_token(self.cfg.token_path)
        self.app = create_app(token=token, headless=self.headless, home=self.cfg.home)
        self.server = uvicorn.Server(
            uvicorn.Config(
                self.app, host=self.cfg.api_host, port=self.cfg.api_port, log_level="warning"
            )
        )

    def run(self) -> None:
        """Serve in this thread until stopped (headless mode)."""
        try:
            self._build()
        finally:
            self.ready.set()
        log.info("till_agent_listening", host=self.cfg.api_host, port=self.cfg.api_port)
        self.server.run()

    def start(self) -> None:
        """Serve on a background thread (window mode); device getters wait until ready."""

        def target() -> None:
            try:
                self.run()
            except BaseException as exc:  # the window keeps working without the local API
                self.error = exc
                log.exception("till_agent_failed")
            finally:
                self.ready.set()

        self._thread = threading.Thread(target=target, name="till-agent", daemon=True)
        self._thread.start()

    def _app(self) -> Any:
        self.ready.wait(60)
        if self.app is None:
            from desktop.devices.errors import DeviceOffline

            raise DeviceOffline("the till agent did not start")
        return self.app

    def hardware(self) -> HardwareService:
        """The print service (built on first use, shared with the local API)."""
        return self._app().state.hardware.get()

    def fiscal(self) -> FiscalService:
        return self._app().state.fiscal.get()

    def reset_fiscal(self) -> None:
        """Drop the fiscal connection so the next use reads the new configuration."""
        if self.app is not None:
            holder = self.app.state.fiscal
            holder.close()
            holder.config = None

    def stop(self, timeout: float = 10.0) -> None:
        if self.server is not None:
            self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        if self.app is not None:
            for name in ("hardware", "fiscal"):
                holder = getattr(self.app.state, name, None)
                if holder is not None:
                    holder.close()
