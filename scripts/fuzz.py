"""`make fuzz`: schemathesis over both OpenAPI documents against real servers.

The cloud runs as `tillbridge-cloud serve` on PostgreSQL (a schema of its own in the `test`
database, dropped afterwards), logged in as a tenant admin; the till runs headless with a demo
shop, called with its local API token. Each server gets the whole schemathesis run (examples,
coverage, fuzzing and stateful phases) within a time budget, checked for server errors and for
answers that do not match the document. Any finding fails the run and is printed with the
curl command that reproduces it.

    python scripts/fuzz.py [--budget SECONDS] [--only cloud|till] [--seed N]

Why servers and not TestClient: proxies, uvicorn's own parsing (bodies, headers, encodings)
and process-level configuration are part of what an outsider attacks.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PG_SERVER = os.environ.get("FUZZ_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
CHECKS = "not_a_server_error,response_schema_conformance"
EMAIL, PASSWORD = "fuzz-admin@example.com", "Fuzz-admin-password-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"{url}: the server exited with {proc.returncode}")
        with suppress(httpx.TransportError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        if time.monotonic() > deadline:
            raise SystemExit(f"{url}: the server did not start")
        time.sleep(0.2)  # polling a starting process


@contextmanager
def _pg_schema() -> Iterator[str]:
    """A fresh schema in the test database; yields the SQLAlchemy URL that uses it."""
    import psycopg  # only the cloud side needs it

    schema = f"fuzz_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield (PG_SERVER.replace("postgresql://", "postgresql+psycopg://", 1)
               + f"?options=-csearch_path%3D{schema}")
    finally:
        with psycopg.connect(PG_SERVER, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@contextmanager
def _server(cmd: list[str], env: dict[str, str], health: str,
            log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        try:
            _wait(health, proc)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()


def _schemathesis(url: str, header: str, budget: int, seed: int, report: Path) -> int:
    cmd = [str(BIN / "schemathesis"), "run", f"{url}/openapi.json", "--checks", CHECKS,
           "--phases", "examples,coverage,fuzzing,stateful", "--max-time", str(budget),
           "--workers", "1", "--seed", str(seed), "-H", header, "--request-timeout", "30",
           "--suppress-health-check", "all", "--report", "junit",
           "--report-junit-path", str(report), "--no-color"]
    print("$", " ".join(c if c != header else "-H '<auth>'" for c in cmd), flush=True)
    return subprocess.call(cmd, cwd=report.parent)  # its crash cache stays out of the repo


def fuzz_cloud(work: Path, budget: int, seed: int) -> int:
    from cryptography.fernet import Fernet  # a dependency of the cloud

    with _pg_schema() as db_url:
        env = {**os.environ, "DATABASE_URL": db_url, "TILLBRIDGE_HOME": str(work / "cloud"),
               "JWT_SECRET": secrets.token_urlsafe(48),
               "ENCRYPTION_KEY": Fernet.generate_key().decode(),
               "RATE_LIMIT_ENABLED": "false", "SCHEDULER_ENABLED": "false"}
        cli = [sys.executable, "-m", "cloud.cli"]
        subprocess.run([*cli, "migrate"], env=env, check=True, cwd=ROOT)
        subprocess.run([*cli, "create-tenant", "Fuzz Shop", "--slug", "fuzz"], env=env,
                       check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        subprocess.run([*cli, "create-user", "fuzz", EMAIL, "--role", "admin", "--password",
                        PASSWORD], env=env, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        with _server([*cli, "serve", "--port", str(port)], env, f"{url}/health",
                     work / "cloud.log"):
            login = httpx.post(f"{url}/api/v1/auth/login",
                               json={"email": EMAIL, "password": PASSWORD}, timeout=30)
            login.raise_for_status()
            token = login.json()["data"]["accessToken"]
            return _schemathesis(url, f"Authorization: Bearer {token}", budget, seed,
                                 work / "cloud-junit.xml")


@contextmanager
def _datecs_emulator() -> Iterator[int]:
    """The Datecs emulator on a free TCP port (the fiscal routes drive a real protocol)."""
    proc = subprocess.Popen([sys.executable, "-m", "desktop.devices.emulators.datecs",
                             "--tcp", "0"], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().split()  # "tcp HOST PORT"
        if line[:1] != ["tcp"]:
            raise SystemExit(f"the Datecs emulator did not start: {line}")
        yield int(line[2])
    finally:
        proc.terminate()
        proc.wait(20)


def fuzz_till(work: Path, budget: int, seed: int) -> int:
    home = work / "till"
    env = {**os.environ, "TILLBRIDGE_HOME": str(home)}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    cli = [sys.executable, "-m", "desktop.cli"]
    subprocess.run([*cli, "seed-demo"], env=env, check=True, stdout=subprocess.DEVNULL,
                   cwd=ROOT)
    token = subprocess.run([*cli, "token"], env=env, check=True, capture_output=True,
                           text=True, cwd=ROOT).stdout.strip().split()[-1]
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with _datecs_emulator() as fiscal_port:
        (home / "till" / "fiscal.json").write_text(json.dumps({
            "device": "datecs", "country": "RO", "timezone": "Europe/Bucharest",
            "datecs": {"protocol": "x", "transport": "tcp", "host": "127.0.0.1",
                       "port": fiscal_port}}))
        with _server([*cli, "run", "--headless", "--port", str(port)], env, f"{url}/health",
                     work / "till.log"):
            return _schemathesis(url, f"Authorization: Bearer {token}", budget, seed,
                                 work / "till-junit.xml")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--budget", type=int, default=int(os.environ.get("FUZZ_BUDGET", 300)),
                    help="seconds per server")
    ap.add_argument("--only", choices=("cloud", "till"))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", 1)))
    ap.add_argument("--keep", type=Path, help="keep logs and reports in this folder")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="tb-fuzz-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        failed = []
        if args.only in (None, "cloud") and fuzz_cloud(work, args.budget, args.seed):
            failed.append("cloud")
        if args.only in (None, "till") and fuzz_till(work, args.budget, args.seed):
            failed.append("till")
    print("fuzz:", "FAILED " + ", ".join(failed) if failed else "no findings", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
