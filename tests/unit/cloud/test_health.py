from __future__ import annotations

from fastapi.testclient import TestClient

from cloud.app import create_app
from cloud.config import Settings


def test_health_checks_the_database(db_url: str) -> None:
    with TestClient(create_app(Settings(database_url=db_url))) as client:
        resp = client.get("/health")
    assert resp.status_code == 200
    body = resp.json()
    assert body["status"] == "ok"
    assert body["database"]["dialect"] in {"sqlite", "postgresql"}


def test_health_reports_an_unreachable_database() -> None:
    settings = Settings(database_url="postgresql://nobody@127.0.0.1:1/none")
    with TestClient(create_app(settings)) as client:
        resp = client.get("/health")
    assert resp.status_code == 503
    assert resp.json()["database"]["status"] == "error"
