"""A signature-checking webhook receiver on 127.0.0.1, for local development, demos and tests.

It is what a subscriber does with our requests: verify ``X-Webhook-Signature`` against the
shared secret and the replay window, then answer. It records each request so a test (or a
developer) can see exactly what arrived; ``status`` sets the answer, :meth:`stop` makes the
target unreachable and :meth:`start` brings it back on the same port.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from cloud.services.webhooks.signing import SignatureError, verify

__all__ = ["Received", "WebhookReceiver"]


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes
    error: str | None  # the SignatureError class name, or None when the signature verified


class WebhookReceiver:
    """FastAPI under uvicorn in a daemon thread, listening on ``127.0.0.1:<port>/hook``."""

    def __init__(self, secret: str = "", *, now: Callable[[], float] = time.time,
                 port: int = 0) -> None:
        self.secret = secret
        self.status = 200
        self.port = port
        self.received: list[Received] = []
        self._now = now
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None
        self.app = self._make_app()

    def _make_app(self) -> FastAPI:
        app = FastAPI(title="webhook receiver")

        @app.post("/hook")
        async def hook(request: Request) -> JSONResponse:
            body = await request.body()
            error: str | None = None
            try:
                verify(self.secret, request.headers, body, now=self._now())
            except SignatureError as exc:
                error = type(exc).__name__
            self.received.append(Received(dict(request.headers), body, error))
            return JSONResponse({"received": True, "signatureError": error},
                                status_code=self.status)

        return app

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        self._server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning",
                                                     lifespan="off"))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        daemon=True, name="webhook-receiver")
        self._thread.start()
        self._sock = sock
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("webhook receiver did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)
        if self._sock is not None:
            self._sock.close()
        self._server = None

    def __enter__(self) -> WebhookReceiver:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
