"""``tillbridge-till``: run the till agent and support it from the shell."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer

from desktop.config import TillConfig, load_or_create_token

app = typer.Typer(help="Tillbridge till agent.", no_args_is_help=True)


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


@app.command()
def run(
    headless: bool = typer.Option(False, help="No windows: local API, queues and sync only."),
    port: int = typer.Option(0, help="Local API port (default 8765)."),
) -> None:
    """Start the till: the cashier UI, or headless when asked or when there is no display."""
    import uvicorn

    from desktop.api.app import create_app

    cfg = TillConfig()
    if port:
        cfg = TillConfig(home=cfg.home, api_port=port, cloud_url=cfg.cloud_url)
    if not headless and not _has_display():
        typer.echo("no display (DISPLAY/WAYLAND_DISPLAY unset): running headless")
        headless = True
    token = load_or_create_token(cfg.token_path)
    typer.echo(f"till local API on http://{cfg.api_host}:{cfg.api_port} (token: {cfg.token_path})")
    uvicorn.run(create_app(token=token, headless=headless, home=cfg.home), host=cfg.api_host,
                port=cfg.api_port, log_level="warning")


@app.command()
def token() -> None:
    """Print the local API bearer token (created on first use)."""
    typer.echo(load_or_create_token(TillConfig().token_path))


@app.command()
def openapi(out: Path = Path("build/openapi/till.json")) -> None:
    """Write the local API's OpenAPI document without starting a server."""
    from desktop.api.app import create_app

    doc = create_app().openapi()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=1, ensure_ascii=False))
    typer.echo(f"wrote {out} ({len(doc.get('paths', {}))} paths)")


if __name__ == "__main__":
    app()
