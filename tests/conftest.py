"""Suite-wide fixtures: a database URL per backend, PostgreSQL per run, cloud databases
migrated once per run (``migrated_dbs``), the printer emulators, offscreen Qt.

``pg`` tests get their own freshly created PostgreSQL database for the run, dropped afterwards.
When PostgreSQL is unreachable they are skipped with the reason, except under ``CI=true``, where
that is a failure: CI must test production's database for real.

``SCHEDULER_ENABLED`` defaults to true in the cloud; the suite turns it off for every app,
fixture and child process it starts, so no background scheduler fires unless a test asks for
one (``Settings(scheduler_enabled=True)``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.devices.emulators.escpos_printer import EscposPrinterEmulator
from desktop.devices.emulators.label_printer import LabelPrinterEmulator
from tests.support.db import MigratedDatabases, pg_schema

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["SCHEDULER_ENABLED"] = "false"

PG_ADMIN_URL = os.environ.get("TILLBRIDGE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_admin_connect():  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """URL of a database created for this test run (dropped at the end)."""
    try:
        admin = _pg_admin_connect()
    except Exception as exc:  # psycopg.OperationalError and friends
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL unreachable at {PG_ADMIN_URL} under CI=true: {exc}")
        pytest.skip(f"PostgreSQL unreachable at {PG_ADMIN_URL}: {exc}")
    name = f"tb_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"postgresql+psycopg://{base.split('://', 1)[1]}/{name}"
    finally:
        with _pg_admin_connect() as admin2:
            admin2.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))
            admin2.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same test on embedded SQLite and on PostgreSQL, each with an empty database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    with pg_schema(request.getfixturevalue("pg_server_url")) as url:
        yield url


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """PostgreSQL only, with an empty schema of its own (mark the test ``pg``)."""
    with pg_schema(request.getfixturevalue("pg_server_url")) as url:
        yield url


@pytest.fixture(scope="session", params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def migrated_dbs(request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[MigratedDatabases]:
    """Cloud databases migrated once per backend and run, one per suite (``.url(name)``)."""
    server = request.getfixturevalue("pg_server_url") if request.param == "pg" else None
    dbs = MigratedDatabases(request.param, tmp_path_factory.mktemp("migrated"), server)
    try:
        yield dbs
    finally:
        dbs.close()


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes to the real user data dir."""
    monkeypatch.setenv("TILLBRIDGE_HOME", str(tmp_path / "home"))


@pytest.fixture
def escpos_emulator() -> Iterator[EscposPrinterEmulator]:
    """An ESC/POS receipt printer on 127.0.0.1:<free port>."""
    with EscposPrinterEmulator() as emu:
        yield emu


@pytest.fixture
def label_emulator() -> Iterator[LabelPrinterEmulator]:
    """A ZPL/TSPL label printer on 127.0.0.1:<free port>."""
    with LabelPrinterEmulator() as emu:
        yield emu
