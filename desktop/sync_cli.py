"""``tillbridge-till enroll`` and ``tillbridge-till sync [status]`` (mounted by ``desktop.cli``).

The till's commands over sync: they open the till (:mod:`desktop.app`) and drive the sync client
through :mod:`desktop.sync_runtime`. Those imports (the till store, httpx) happen inside the
commands, so ``tillbridge-till --help`` stays fast.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import structlog
import typer

from desktop.config import TillConfig
from desktop.sync_ports import TillSyncPorts
from shared.errors import TillbridgeError
from sync import state

__all__ = ["enroll_command", "sync_app"]

sync_app = typer.Typer(help="Cloud sync: push the journal, pull catalog and users, status.",
                       invoke_without_command=True)


def _quiet_logs() -> None:
    """Keep stdout for the command's output: logs go to stderr, warnings and up."""
    if not structlog.is_configured():
        structlog.configure(
            wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
            logger_factory=lambda *_: structlog.PrintLogger(sys.stderr),
            cache_logger_on_first_use=False)


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress callback drawing a bar once the total is known."""
    bar: Any = None
    shown = 0

    def update(done: int, total: int) -> None:
        nonlocal bar, shown
        if bar is None:
            bar = typer.progressbar(length=max(total, done, 1), label=label)
            bar.__enter__()
        bar.update(max(0, done - shown))
        shown = max(shown, done)

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def _fail(exc: Exception) -> typer.Exit:
    code = getattr(exc, "code", type(exc).__name__)
    typer.echo(f"error {code}: {getattr(exc, 'message', exc)}", err=True)
    return typer.Exit(2)


def enroll_command(
    cloud: str = typer.Option(..., "--cloud", envvar="TILLBRIDGE_CLOUD_URL",
                              help="Cloud URL, e.g. https://cloud.example.com"),
    code: str = typer.Option(..., "--code", help="One-time code from the back office."),
    bootstrap: bool = typer.Option(True, help="Download the catalog now."),
) -> None:
    """Enroll this till with the cloud (one-time code) and download the catalog."""
    from desktop.sync_runtime import enroll_till  # ~3 s to import (desktop.app): keeps --help fast

    _quiet_logs()
    home = TillConfig().home
    try:
        with _progress("catalog") as progress:
            done = enroll_till(home, cloud, code, bootstrap=bootstrap, progress=progress)
    except TillbridgeError as exc:
        raise _fail(exc) from None
    e = done.enrollment
    typer.echo(f"enrolled: store {e.store.get('code')} ({e.store.get('name')}), "
               f"till {e.till.get('code')}, device {e.device_id}")
    if done.settings_applied:
        typer.echo("till settings updated from the cloud (store/till codes, country)")
    if done.bootstrap is not None:
        typer.echo(f"catalog: {done.bootstrap.products} products, {done.bootstrap.users} users")
    typer.echo("a running till agent starts syncing within seconds")


@sync_app.callback(invoke_without_command=True)
def sync_now(ctx: typer.Context) -> None:
    """Sync now: push every waiting event, pull the feed (bootstrap first if needed)."""
    if ctx.invoked_subcommand is not None:
        return
    from desktop.sync_runtime import sync_once  # ~3 s to import (desktop.app): keeps --help fast

    _quiet_logs()
    try:
        with _progress("catalog") as progress:
            out = sync_once(TillConfig().home, progress=progress)
    except TillbridgeError as exc:
        raise _fail(exc) from None
    typer.echo(f"pushed {out['pushed']} events, pulled {out['pulled']} changes"
               + (f", bootstrapped {out['bootstrapped']} products" if out["bootstrapped"]
                  else "") + f"; {out['pending']} events waiting")


@sync_app.command("status")
def sync_status(as_json: bool = typer.Option(False, "--json", help="Print JSON."),
                cloud: bool = typer.Option(True, help="Also ask the cloud.")) -> None:
    """Show the link: enrollment, events waiting, last push/pull, last error."""
    # desktop.app and httpx take ~3 s to import: loaded when the command runs, keeps --help fast.
    from desktop.app import open_till
    from desktop.sync_runtime import status_of
    from sync.client import SyncClient

    _quiet_logs()
    home = TillConfig().home
    with open_till(TillConfig()) as till:
        local = status_of(home, till).to_dict()
        remote: dict[str, Any] | None = None
        enrollment = state.load(home)
        if cloud and enrollment is not None:
            try:
                with SyncClient(TillSyncPorts(till), enrollment, timeout=5) as client:
                    remote = client.status().model_dump(mode="json")
                local["online"] = True
            except TillbridgeError as exc:
                remote = {"error": exc.code, "message": exc.message}
                local["online"] = False
    if as_json:
        typer.echo(json.dumps({"till": local, "cloud": remote}, default=str, indent=1))
        return
    if not local["configured"]:
        typer.echo("not enrolled (tillbridge-till enroll --cloud URL --code CODE)")
        return
    typer.echo(f"cloud {local['cloud_url']}  device {local['device_id']}")
    typer.echo(f"online {local['online']}  waiting {local['pending']} events  "
               f"(journal {local['last_seq']}, acknowledged {local['acked_through']})")
    typer.echo(f"last push {local['last_push_at'] or '-'}  "
               f"last pull {local['last_pull_at'] or '-'}")
    if local["last_error"]:
        typer.echo(f"last error {local['last_error_code']}: {local['last_error']}")
    if remote:
        typer.echo(f"cloud says: {json.dumps(remote, default=str)}")
