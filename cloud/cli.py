"""``tillbridge-cloud``: run and operate the cloud service."""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Tillbridge cloud service.", no_args_is_help=True)

Plan = typer.Option(help="starter | professional | enterprise")


@contextmanager
def _operator_session(tenant: str | None = None) -> Iterator[tuple[object, object]]:
    """A session acting as the operator (audited as ``system``), optionally in one tenant."""
    # start-up time: a command loads only what it runs (``--help`` stays instant)
    from sqlalchemy import select

    from cloud import audit, tenancy
    from cloud.config import get_settings
    from cloud.db import make_engine, session_factory
    from cloud.models.tenancy import Tenant
    from shared.errors import TillbridgeError

    settings = get_settings()
    engine = make_engine(settings.resolved_database_url)
    try:
        with session_factory(engine)() as session:
            audit.set_context(session, audit.AuditContext(actor_type="system",
                                                          actor_email="tillbridge-cloud cli"))
            row = None
            if tenant is not None:
                try:
                    row = session.get(Tenant, uuid.UUID(tenant))
                except ValueError:
                    row = session.scalar(select(Tenant).where(Tenant.slug == tenant))
                if row is None:
                    typer.echo(f"no tenant {tenant!r} (give its slug or id)", err=True)
                    raise typer.Exit(1)
                tenancy.scope(session, row.id)
            try:
                yield session, row
                session.commit()
            except TillbridgeError as exc:
                typer.echo(f"error: {exc.message}" + (f" ({exc.field})" if exc.field else ""),
                           err=True)
                raise typer.Exit(1) from exc
    finally:
        engine.dispose()


def _remember_demo(path: Path, text: str) -> None:
    # start-up time: a command loads only what it runs (``--help`` stays instant)
    from cloud.auth.keys import write_private_file

    path.unlink(missing_ok=True)
    write_private_file(path, text.encode())


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000,
          migrate: Annotated[bool | None, typer.Option(
              help="apply migrations first (default: only in embedded mode)")] = None,
          demo: Annotated[bool, typer.Option(
              help="embedded mode: create a demo tenant when there is none")] = True,
          forwarded_allow_ips: Annotated[str, typer.Option(
              envvar="FORWARDED_ALLOW_IPS",
              help="comma-separated proxy addresses whose X-Forwarded-For/-Proto headers "
                   "are trusted (default: none; the peer address is the client)")] = "",
          ) -> None:
    """Serve the API (embedded SQLite unless DATABASE_URL is set).

    Proxy headers are trusted only from the proxies named in ``--forwarded-allow-ips``:
    uvicorn trusts 127.0.0.1 by default, and a client on the same host could then rotate
    ``X-Forwarded-For`` to escape the per-address login and enrollment limits.
    """
    # start-up time: a command loads only what it runs (``--help`` stays instant)
    import uvicorn

    from cloud.app import create_app
    from cloud.config import ConfigError, get_settings
    from cloud.migrate import upgrade
    from cloud.process import tune_gc

    settings = get_settings()
    try:
        settings.check_production()
    except ConfigError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    if migrate if migrate is not None else settings.embedded:
        upgrade(settings.resolved_database_url)
    if settings.embedded and demo:
        _bootstrap_demo(settings)
    typer.echo(f"Tillbridge cloud on http://{host}:{port}  (docs: http://{host}:{port}/docs)")
    typer.echo(f"database: {settings.resolved_database_url}")
    app = create_app(settings)
    tune_gc()
    proxies = forwarded_allow_ips.strip()
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=bool(proxies),
                forwarded_allow_ips=proxies or None)


def _bootstrap_demo(settings: object) -> None:
    # start-up time: a command loads only what it runs (``--help`` stays instant)
    from cloud.config import Settings
    from cloud.db import make_engine, session_factory
    from cloud.services.bootstrap import DEMO_CREDENTIALS_FILE, ensure_demo_tenant

    assert isinstance(settings, Settings)
    engine = make_engine(settings.resolved_database_url)
    try:
        creds = ensure_demo_tenant(session_factory(engine), now=datetime.now(UTC))
    finally:
        engine.dispose()
    if creds is None:
        return
    text = (f"tenant:   {creds.tenant}\nemail:    {creds.email}\n"
            f"password: {creds.password}\n")
    path = settings.secrets_dir / DEMO_CREDENTIALS_FILE
    _remember_demo(path, text)
    typer.echo("First run: created the demo tenant. Log in with\n" + text
               + f"(also saved to {path}, readable only by you)")


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (every Alembic head)."""
    # start-up time: a command loads only what it runs (``--help`` stays instant)
    from alembic.script import ScriptDirectory

    from cloud.config import get_settings
    from cloud.migrate import alembic_config, upgrade

    url = get_settings().resolved_database_url
    upgrade(url)
    heads = ScriptDirectory.from_config(alembic_config(url)).get_heads()
    typer.echo(f"database at {', '.join(sorted(heads))}")


@app.command("create-tenant")
def create_tenant(name: str, slug: Annotated[str | None, typer.Option()] = None,
                  plan: Annotated[str, Plan] = "professional",
                  company_name: str = "", cui: str = "") -> None:
    """Create a tenant; prints its id and slug."""
    # start-up time: a command loads only what it runs (``--help`` stays instant)
    from cloud.services.identity import tenants

    with _operator_session() as (session, _):
        row = tenants.create_tenant(session=session, name=name, slug=slug, plan=plan,  # type: ignore[arg-type]
                                    company_name=company_name, cui=cui)
        typer.echo(f"tenant {row.slug} {row.id}")


@app.command("create-user")
def create_user(
    tenant: Annotated[str, typer.Argument(help="tenant slug or id")],
    email: str,
    role: Annotated[str, typer.Option(help="admin, sales_manager, sales_rep, viewer, "
                                           "store_manager, cashier")] = "admin",
    first_name: str = "", last_name: str = "",
    password: Annotated[str | None, typer.Option(
        help="initial password (default: a random one, printed)")] = None,
    invite: Annotated[bool, typer.Option(help="invite instead of setting a password")] = False,
) -> None:
    """Create a user in a tenant."""
    # start-up time: a command loads only what it runs (``--help`` stays instant)
    from cloud.config import get_settings
    from cloud.services.identity import users

    settings = get_settings()
    chosen = None if invite else (password or secrets.token_urlsafe(12))
    with _operator_session(tenant) as (session, row):
        user, token = users.create_user(
            session=session, tenant=row, now=datetime.now(UTC),  # type: ignore[arg-type]
            invite_ttl_s=settings.invite_ttl_s,
            data=users.NewUser(email=email, first_name=first_name, last_name=last_name,
                               role=role, send_invite=invite, temp_password=chosen))
        typer.echo(f"user {user.email} {user.id} ({user.role}, {user.status})")
        if token:
            typer.echo(f"invite link: {settings.public_url.rstrip('/')}"
                       f"/accept-invite?token={token}")
        elif password is None:
            typer.echo(f"password: {chosen}")


@app.command("create-api-key")
def create_api_key(
    tenant: Annotated[str, typer.Argument(help="tenant slug or id")],
    name: str,
    scope: Annotated[list[str], typer.Option(help="repeat for several scopes")],
    expires_days: Annotated[int | None, typer.Option(min=1)] = None,
    rate_limit: Annotated[int | None, typer.Option(min=1, help="requests per minute")] = None,
    mode: Annotated[str, typer.Option(help="live | test")] = "live",
) -> None:
    """Issue an API key; the key is printed once and only its hash is stored."""
    # start-up time: a command loads only what it runs (``--help`` stays instant)
    import cloud.app  # noqa: F401  (each API family registers its scopes when imported)
    from cloud.services.identity import api_keys

    if mode not in ("live", "test"):
        typer.echo("mode must be live or test", err=True)
        raise typer.Exit(2)
    now = datetime.now(UTC)
    with _operator_session(tenant) as (session, _row):
        row, key = api_keys.create_api_key(
            session=session, principal=None, name=name, scopes=list(scope),  # type: ignore[arg-type]
            expires_at=now + timedelta(days=expires_days) if expires_days else None,
            rate_limit=rate_limit, mode=mode, now=now)  # type: ignore[arg-type]
        typer.echo(f"api key {row.id} ({', '.join(row.scopes)})")
        typer.echo(key)


@app.command()
def openapi(out: Path = Path("build/openapi/cloud.json")) -> None:
    """Write the OpenAPI document without starting a server."""
    # start-up time: a command loads only what it runs (``--help`` stays instant)
    from cloud.app import create_app
    from cloud.config import Settings

    doc = create_app(Settings(database_url="sqlite://", tillbridge_env="embedded")).openapi()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=1, ensure_ascii=False))
    typer.echo(f"wrote {out} ({len(doc.get('paths', {}))} paths)")


@app.command()
def worker(
    queue: list[str] = typer.Option(None, "--queue", "-q", help="queue(s) to work; all if none"),
    concurrency: int = typer.Option(1, min=1, help="worker threads in this process"),
    batch_size: int = typer.Option(10, min=1, help="jobs claimed per poll"),
    poll_interval: float = typer.Option(1.0, min=0.0, help="seconds between idle polls"),
    visibility_timeout: float = typer.Option(0.0, min=0.0,
                                             help="lease seconds (0: JOBS_VISIBILITY_TIMEOUT_S)"),
    burst: bool = typer.Option(False, help="exit when no job is due"),
    imports: list[str] = typer.Option(None, "--import", help="extra handler module or .py"),
    worker_id: str = typer.Option("", help="name in the jobs table (default host:pid)"),
) -> None:
    """Run background job workers (PostgreSQL: run several; SQLite: one process)."""
    # start-up time: a command loads only what it runs (``--help`` stays instant)
    from cloud.jobs.runner import run_worker

    raise typer.Exit(run_worker(queues=queue or None, concurrency=concurrency,
                                batch_size=batch_size, poll_interval=poll_interval,
                                visibility_timeout=visibility_timeout or None, burst=burst,
                                imports=imports or (), worker_id=worker_id or None,
                                tune=True))


@app.command("rotate-connector-keys")
def rotate_connector_keys() -> None:
    """Re-encrypt reconciliation connector configs under the first ENCRYPTION_KEY.

    Rotation: set ENCRYPTION_KEY="<new>,<old>", run this, then drop <old>.
    """
    # start-up time: a command loads only what it runs (``--help`` stays instant)
    from cloud.config import get_settings
    from cloud.crypto import box_from_settings
    from cloud.services.reconciliation.connectors import rotate_keys

    box = box_from_settings(get_settings())
    with _operator_session() as (session, _):
        changed = rotate_keys(session, box=box)  # type: ignore[arg-type]
    typer.echo(f"re-encrypted {changed} connector config(s)")


if __name__ == "__main__":
    app()
