"""``tillbridge-cloud``: run and operate the cloud service."""

from __future__ import annotations

import json
from pathlib import Path

import typer

app = typer.Typer(help="Tillbridge cloud service.", no_args_is_help=True)


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the API (embedded SQLite unless DATABASE_URL is set)."""
    import uvicorn

    from cloud.app import create_app
    from cloud.config import get_settings

    settings = get_settings()
    typer.echo(f"Tillbridge cloud on http://{host}:{port}  (docs: http://{host}:{port}/docs)")
    typer.echo(f"database: {settings.resolved_database_url}")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


@app.command()
def openapi(out: Path = Path("build/openapi/cloud.json")) -> None:
    """Write the OpenAPI document without starting a server."""
    from cloud.app import create_app
    from cloud.config import Settings

    doc = create_app(Settings(database_url="sqlite://")).openapi()
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
    from cloud.jobs.runner import run_worker

    raise typer.Exit(run_worker(queues=queue or None, concurrency=concurrency,
                                batch_size=batch_size, poll_interval=poll_interval,
                                visibility_timeout=visibility_timeout or None, burst=burst,
                                imports=imports or (), worker_id=worker_id or None))


if __name__ == "__main__":
    app()
