"""Two tenants on a migrated cloud (SQLite or PostgreSQL), an API client, and a job worker.

Reuses the shared tenant seeding (``tests.support.cloud_api``) so users, roles and tokens are
the real ones; jobs run in-process with ``Worker.run_once`` on a manual clock.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

import cloud.services.catalog.jobs  # noqa: F401  (registers the catalog tasks)
from cloud.app import create_app
from cloud.jobs.worker import Worker, WorkerConfig
from shared.clock import ManualClock
from tests.support.cloud_api import NOW, Api, TenantData, error_code, make_settings, seed_tenant

__all__ = ["NOW", "Api", "CatalogWorld", "TenantData", "error_code", "make_world",
           "product_body"]


def product_body(sku: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"sku": sku, "name": f"Product {sku}", "category": "General",
                            "price": 10, "vatRate": 21, "unit": "buc"}
    body.update(extra)
    return body


@dataclass
class CatalogWorld:
    app: FastAPI
    api: Api
    a: TenantData
    b: TenantData
    url: str
    sessions: sessionmaker[Session]

    def run_jobs(self, limit: int = 50, queues: tuple[str, ...] | None = None) -> int:
        """Run queued jobs (of ``queues``, default all) until none is left (bounded)."""
        worker = Worker(self.sessions, config=WorkerConfig(batch_size=5, poll_interval=0,
                                                           queues=queues),
                        clock=ManualClock(NOW))
        ran = 0
        for _ in range(limit):
            n = worker.run_once()
            if n == 0:
                break
            ran += n
        return ran

    def as_a(self, method: str, path: str, **kw: Any) -> Any:
        return self.api.as_(self.a.admin, method, path, **kw)

    def as_b(self, method: str, path: str, **kw: Any) -> Any:
        return self.api.as_(self.b.admin, method, path, **kw)

    def create(self, sku: str, tenant: str = "a", **extra: Any) -> dict[str, Any]:
        call = self.as_a if tenant == "a" else self.as_b
        resp = call("POST", "/api/v1/products", json=product_body(sku, **extra))
        assert resp.status_code == 201, resp.text
        return dict(resp.json()["data"])

    @staticmethod
    def new_id() -> str:
        return str(uuid.uuid4())


def make_world(url: str, **settings: Any) -> Iterator[CatalogWorld]:
    """An app on ``url`` (already migrated) with two freshly seeded tenants."""
    clock = ManualClock(NOW)
    app = create_app(make_settings(url, **settings), clock=clock)
    sessions = app.state.runtime.sessions
    a = seed_tenant(sessions, "Shop A", NOW)
    b = seed_tenant(sessions, "Shop B", NOW)
    with TestClient(app) as client:
        yield CatalogWorld(app, Api(client, clock), a, b, url, sessions)
