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


if __name__ == "__main__":
    app()
