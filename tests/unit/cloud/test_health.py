from __future__ import annotations

from cryptography.fernet import Fernet
from fastapi.testclient import TestClient

from cloud.app import create_app
from cloud.config import Settings


def _settings(url: str) -> Settings:
    return Settings(database_url=url, jwt_secret="s" * 40,
                    encryption_key=Fernet.generate_key().decode())


def test_health_checks_the_database(db_url: str) -> None:
    with TestClient(create_app(_settings(db_url))) as client:
        resp = client.get("/health")
    assert resp.status_code == 200
    body = resp.json()
    assert body["status"] == "ok"
    assert body["database"]["dialect"] in {"sqlite", "postgresql"}
    assert resp.headers["x-request-id"].startswith("req_")
    assert int(resp.headers["x-ratelimit-limit"]) > 0


def test_health_reports_an_unreachable_database() -> None:
    settings = _settings("postgresql://nobody@127.0.0.1:1/none")
    with TestClient(create_app(settings)) as client:
        resp = client.get("/health")
    assert resp.status_code == 503
    assert resp.json()["database"]["status"] == "error"
