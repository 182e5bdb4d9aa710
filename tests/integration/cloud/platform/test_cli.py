"""``tillbridge-cloud`` operator commands against SQLite and PostgreSQL, then the API."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cloud.app import create_app
from cloud.cli import app as cli
from cloud.config import get_settings

runner = CliRunner()


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("JWT_SECRET", "j" * 48)
    monkeypatch.setenv("ENCRYPTION_KEY", Fernet.generate_key().decode())
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()


def _run(*args: str) -> str:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_operator_commands(cli_env: str) -> None:
    assert "database at" in _run("migrate")
    out = _run("create-tenant", "Corner Shop", "--plan", "starter", "--cui", "RO123")
    assert out.startswith("tenant corner-shop ")
    out = _run("create-user", "corner-shop", "Owner@Example.com", "--password",
               "owner password 1", "--first-name", "Olga")
    assert "owner@example.com" in out and "(admin, active)" in out
    generated = _run("create-user", "corner-shop", "cashier@example.com", "--role", "cashier")
    cashier_password = generated.split("password: ")[1].strip()
    invited = _run("create-user", "corner-shop", "late@example.com", "--invite")
    assert "invite link: http" in invited
    key_out = _run("create-api-key", "corner-shop", "pos-sync", "--scope", "products:read",
                   "--scope", "admin:users", "--rate-limit", "50", "--expires-days", "7")
    key = key_out.strip().splitlines()[-1]
    assert key.startswith("sk_live_")

    bad = runner.invoke(cli, ["create-user", "corner-shop", "owner@example.com"])
    assert bad.exit_code == 1 and "already exists" in bad.output
    missing = runner.invoke(cli, ["create-api-key", "no-such-shop", "k", "--scope", "x:y"])
    assert missing.exit_code == 1
    unknown = runner.invoke(cli, ["create-api-key", "corner-shop", "k", "--scope", "root:all"])
    assert unknown.exit_code == 1 and "Unknown scope" in unknown.output

    with TestClient(create_app(get_settings())) as client:
        login = client.post("/api/v1/auth/login", json={"email": "owner@example.com",
                                                        "password": "owner password 1"})
        assert login.status_code == 200
        assert login.json()["data"]["user"]["tenantName"] == "Corner Shop"
        assert client.post("/api/v1/auth/login", json={
            "email": "cashier@example.com", "password": cashier_password}).status_code == 200
        users = client.get("/api/v1/admin/users", headers={"X-API-Key": key})
        assert users.status_code == 200 and users.json()["data"]["pagination"]["total"] == 3
        audit = client.get("/api/v1/admin/audit", headers={
            "Authorization": f"Bearer {login.json()['data']['accessToken']}"},
            params={"entityType": "user"}).json()["data"]["entries"]
        assert {e["user"]["type"] for e in audit if e["action"] == "user.created"} == {"system"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.e2e
def test_first_serve_migrates_and_prints_demo_credentials(tmp_path: Path) -> None:
    home = tmp_path / "home"
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "JWT_SECRET", "ENCRYPTION_KEY", "REDIS_URL"}}
    env.update(TILLBRIDGE_HOME=str(home), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "cloud.cli", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "cloud did not start"
            time.sleep(0.2)
        creds = home / "cloud" / "secrets" / "demo-credentials.txt"
        assert creds.stat().st_mode & 0o777 == 0o600
        fields = dict(line.split(":", 1) for line in creds.read_text().splitlines())
        email, password = fields["email"].strip(), fields["password"].strip()
        login = httpx.post(f"{base}/api/v1/auth/login",
                           json={"email": email, "password": password}, timeout=10)
        assert login.status_code == 200, login.text
        jwks = httpx.get(f"{base}/api/v1/auth/jwks", timeout=5).json()
        assert jwks["keys"][0]["crv"] == "Ed25519"
        assert (home / "cloud" / "secrets" / "jwt_ed25519.pem").stat().st_mode & 0o777 == 0o600
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    text = out.decode()
    assert "First run: created the demo tenant" in text and password in text
