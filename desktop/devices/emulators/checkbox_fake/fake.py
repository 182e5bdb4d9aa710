"""The fake Checkbox server: a :class:`Register` behind FastAPI on 127.0.0.1, with switches.

``set_unreachable(True)`` stops the listener (connection refused), ``hold()``/``release()``
stall requests (the client times out), ``latency`` delays each request. Every request but
sign-in needs a bearer token and an ``X-Client-Name`` header, as the real service does.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from desktop.devices.emulators.checkbox_fake.auth import Cashiers
from desktop.devices.emulators.checkbox_fake.register import Register
from desktop.devices.emulators.checkbox_fake.routes import ROUTERS
from desktop.devices.emulators.checkbox_fake.routes._common import PREFIX
from shared.clock import Clock, SystemClock

__all__ = ["CheckboxFake"]


class CheckboxFake:
    """State in ``register``, logins in ``cashiers``; ``requests`` logs (method, path)."""

    def __init__(self, *, clock: Clock = SystemClock(), license_key: str = "test-license",
                 login: str = "cashier", password: str = "secret",
                 fiscal_number: str = "4000012345", polls_to_done: int = 1) -> None:
        self.license_key = license_key
        self.register = Register(clock=clock, fiscal_number=fiscal_number,
                                 polls_to_done=polls_to_done)
        self.cashiers = Cashiers({login: password})
        self.requests: list[tuple[str, str]] = []
        self.latency = 0.0
        self._held = False
        self._in_flight = 0
        self._cond = threading.Condition()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None
        self.port = 0
        self.app = self._build()

    # -- switches and server -----------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> str:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # inherited by clients
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        self._sock = sock
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off",
                                timeout_graceful_shutdown=1)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        daemon=True, name="checkbox-fake")
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("fake Checkbox did not start")
            time.sleep(0.005)
        return self.base_url

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
            self._server = self._thread = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def set_unreachable(self, on: bool = True) -> None:
        """On: nothing listens on the port (connection refused). Off: listen again."""
        if on:
            self.stop()
        elif self._server is None:
            self.start()

    def hold(self) -> None:
        self._held = True

    def release(self) -> None:
        self._held = False

    def wait_idle(self, timeout: float = 10.0) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self._in_flight == 0 and not self._held, timeout)

    def __enter__(self) -> CheckboxFake:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._held = False
        self.stop()

    # -- inspection --------------------------------------------------------------------------
    def documents(self, *types: str) -> list[dict[str, Any]]:
        return self.register.documents(*types)

    # -- app ---------------------------------------------------------------------------------
    def _build(self) -> FastAPI:
        app = FastAPI(title="Fake Checkbox")
        app.state.register, app.state.cashiers = self.register, self.cashiers
        fake = self

        @app.middleware("http")
        async def gate(request: Request, call_next: Any) -> Any:
            with fake._cond:
                fake._in_flight += 1
            try:
                while fake._held:
                    await asyncio.sleep(0.01)
                if fake.latency:
                    await asyncio.sleep(fake.latency)
                fake.requests.append((request.method, request.url.path))
                if request.url.path != f"{PREFIX}/cashier/signin":
                    auth = request.headers.get("authorization", "")
                    if auth.removeprefix("Bearer ") not in fake.cashiers.tokens:
                        return JSONResponse({"message": "Not authenticated"}, 401)
                if not request.headers.get("x-client-name"):
                    return JSONResponse({"message": "X-Client-Name is required"}, 400)
                return await call_next(request)
            finally:
                with fake._cond:
                    fake._in_flight -= 1
                    fake._cond.notify_all()

        for router in ROUTERS:
            app.include_router(router)
        return app
