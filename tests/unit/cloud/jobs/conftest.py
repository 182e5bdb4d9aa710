"""A migrated database per test (SQLite and PostgreSQL), a manual clock, a webhook receiver."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session, sessionmaker

from cloud.db import make_engine, session_factory
from cloud.jobs.states import ManualClock
from cloud.models import Base
from cloud.services.webhooks_signing import SignatureError, verify


# The tables these tests touch. Creating just them from the models is several times faster than
# running every head's migrations per test; test_jobs_migration checks the migration builds the
# same tables.
JOB_TABLES = ("jobs", "job_queue_pauses", "job_schedules", "webhook_subscriptions",
              "webhook_deliveries", "webhook_event_retries", "tenants")


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    Base.metadata.create_all(engine, tables=[Base.metadata.tables[t] for t in JOB_TABLES])
    try:
        yield session_factory(engine)
    finally:
        engine.dispose()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))


class Receiver:
    """A webhook subscriber on 127.0.0.1 (FastAPI under uvicorn in a thread).

    It verifies each request's signature with ``secret`` against the test's clock and records
    what it saw; ``status`` sets what it answers.
    """

    def __init__(self, clock: ManualClock) -> None:
        self.secret = ""
        self.status = 200
        self.received: list[dict[str, Any]] = []
        app = FastAPI()

        @app.post("/hook")
        async def hook(request: Request) -> JSONResponse:
            body = await request.body()
            try:
                verify(self.secret, request.headers, body, now=clock.now().timestamp())
                verified: str | None = None
            except SignatureError as exc:
                verified = type(exc).__name__
            self.received.append({"headers": dict(request.headers), "body": body,
                                  "error": verified})
            return JSONResponse({"received": True, "signatureError": verified},
                                status_code=self.status)

        self.app = app
        self.server: Any = None
        self.thread: threading.Thread | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        import uvicorn

        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]},
                                       daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("receiver did not start")
            time.sleep(0.01)
        self._sock = sock

    def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
            assert self.thread is not None
            self.thread.join(10)
            self._sock.close()
            self.server = None


@pytest.fixture
def receiver(clock: ManualClock) -> Iterator[Receiver]:
    r = Receiver(clock)
    r.start()
    try:
        yield r
    finally:
        r.stop()
