"""``tillbridge-till``: run the till (window or headless) and support it from the shell."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import structlog
import typer

from desktop.app import TillServices, build_till, open_till
from desktop.config import TillConfig, load_or_create_token
from desktop.core import CardDetails, CardTender, CashTender, Role, ShiftReport, Till, TillSettings
from desktop.core.payments import round_cash
from desktop.sync_cli import enroll_command, sync_app
from shared.errors import TillbridgeError
from shared.money import format_money, parse_amount

app = typer.Typer(help="Tillbridge till.", no_args_is_help=True)


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


@app.command()
def run(
    headless: bool = typer.Option(False, help="No windows: local API, queues and sync only."),
    port: int = typer.Option(0, help="Local API port (default 8765)."),
) -> None:
    """Start the till: the cashier UI, or headless when asked or when there is no display."""
    cfg = TillConfig()
    if port:
        cfg = TillConfig(home=cfg.home, api_port=port, cloud_url=cfg.cloud_url)
    if not headless and not _has_display():
        typer.echo("no display (DISPLAY/WAYLAND_DISPLAY unset): running headless")
        headless = True
    services = TillServices(cfg)
    if not headless:
        # The window first; the local API and device queues start beside it once it shows.
        # PySide6: only when there is a window to show
        from desktop.ui.app import run_gui

        raise typer.Exit(run_gui(services))
    typer.echo(f"till local API on http://{cfg.api_host}:{cfg.api_port} (token: {cfg.token_path})")
    # the web stack and the device services: only for the headless till
    from desktop.headless import run_headless

    run_headless(services)


@app.command()
def token() -> None:
    """Print the local API bearer token (created on first use)."""
    typer.echo(load_or_create_token(TillConfig().token_path))


@app.command()
def openapi(out: Path = Path("build/openapi/till.json")) -> None:
    """Write the local API's OpenAPI document without starting a server."""
    # the web stack: only for this command and the local API
    from desktop.api.app import create_app

    doc = create_app(TillServices()).openapi()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=1, ensure_ascii=False))
    typer.echo(f"wrote {out} ({len(doc.get('paths', {}))} paths)")


# -- headless till commands (scripts and support) ------------------------------------------------

UserOpt = typer.Option(None, "--user", envvar="TILLBRIDGE_USER", help="Login of the till user.")
PinOpt = typer.Option(None, "--pin", envvar="TILLBRIDGE_PIN", help="PIN (prompted if absent).")
JsonOpt = typer.Option(False, "--json", help="Print JSON instead of text.")

shift_app = typer.Typer(help="Open and close shifts, X report.", no_args_is_help=True)
report_app = typer.Typer(help="Shift reports.", no_args_is_help=True)
users_app = typer.Typer(help="Till users (cashiers and store managers).", no_args_is_help=True)
app.add_typer(shift_app, name="shift")
app.add_typer(report_app, name="report")
app.add_typer(users_app, name="users")


def _quiet_logs() -> None:
    """Keep stdout for command output: logs go to stderr, warnings and up.

    Always (re)configured: the command owns the process, and ``--json`` output must stay
    parseable whatever configured logging before.
    """
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
        logger_factory=lambda *_: structlog.PrintLogger(sys.stderr),
        cache_logger_on_first_use=False)


@contextmanager
def _till(*, user: str | None = None, pin: str | None = None,
          login: bool = True) -> Iterator[Till]:
    """Open the till, log in, and turn till errors into a message and exit code 2."""
    _quiet_logs()
    try:
        with open_till(TillConfig()) as till:
            if login:
                name = user or typer.prompt("user")
                till.login(name, pin or typer.prompt("PIN", hide_input=True))
            yield till
    except TillbridgeError as exc:
        typer.echo(f"error {exc.code}: {exc.message}"
                   + (f" {json.dumps(exc.details, default=str)}" if exc.details else ""),
                   err=True)
        raise typer.Exit(2) from None


def _money(minor: int, till: Till) -> str:
    return format_money(minor, till.settings.currency, till.settings.language)


def _amount(text: str, till: Till) -> int:
    try:
        return parse_amount(text, till.settings.currency)
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r}: {exc}") from None


def _print_report(report: ShiftReport, till: Till, as_json: bool) -> None:
    data = report.to_payload()
    if as_json:
        typer.echo(json.dumps(data, indent=1, ensure_ascii=False))
        return
    def m(value: int) -> str:
        return _money(value, till)

    typer.echo(f"{data['kind']} report, shift {data['shift_no']} ({data['currency']})")
    typer.echo(f"  sales   {data['sales_count']:>5}  {m(data['sales_total'])}")
    typer.echo(f"  returns {data['returns_count']:>5}  {m(data['returns_total'])}")
    typer.echo(f"  net            {m(data['net_total'])}")
    typer.echo(f"  discounts      {m(data['sales_discounts'])}   rounding "
               f"{m(data['sales_rounding'] - data['returns_rounding'])}")
    for v in data["sales_vat"]:
        typer.echo(f"  VAT {v['group']:<13} {v['rate']:>5}%  gross {m(v['gross'])}  "
                   f"VAT {m(v['vat'])}  excise {m(v['excise'])}")
    for p in data["payments"]:
        typer.echo(f"  {p['kind']:<6} taken {m(p['sales'])}  refunded {m(p['refunds'])}")
    typer.echo(f"  float {m(data['opening_float'])}  cash in {m(data['cash_in'])}  "
               f"cash out {m(data['cash_out'])}  expected cash {m(data['expected_cash'])}")
    if data["counted_cash"] is not None:
        typer.echo(f"  counted {m(data['counted_cash'])}  difference "
                   f"{m(data['cash_difference'])}")


@app.command("import-catalog")
def import_catalog(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV file."),
    replace: bool = typer.Option(False, help="Replace the whole catalog (else upsert by SKU)."),
) -> None:
    """Load products from a CSV file (columns: sku,name,price,vat_group,unit,barcodes,...)."""
    with _till(login=False) as till:
        res = till.import_catalog_csv(file, replace=replace)
        typer.echo(f"imported {res.inserted} new, {res.updated} updated in {res.seconds:.1f}s; "
                   f"catalog has {till.catalog_size()} products")


def _parse_item(text: str) -> tuple[str, str, str | None]:
    """``CODE``, ``CODE*QTY``, ``sku:SKU`` or ``sku:SKU*QTY`` → (kind, key, quantity)."""
    body, _, qty = text.partition("*")
    if body.startswith("sku:"):
        return "sku", body[4:], qty or None
    return "barcode", body, qty or None


@app.command()
def sell(
    items: list[str] = typer.Argument(None, help="CODE, CODE*QTY, sku:SKU or sku:SKU*QTY"),
    pay: list[str] = typer.Option([], "--pay", help="cash:AMOUNT or card:AMOUNT[:RRN]"),
    from_json: Path = typer.Option(None, "--from-json", exists=True, dir_okay=False,
                                   help='{"items":[{"barcode"|"sku","quantity"}],'
                                        '"payments":[{"type","amount","rrn"}]}'),
    age_verified: bool = typer.Option(False, help="The customer's age was checked."),
    user: str = UserOpt, pin: str = PinOpt, as_json: bool = JsonOpt,
) -> None:
    """Sell from the command line (scripts, support): scan items, pay, complete."""
    lines: list[tuple[str, str, str | None]] = [_parse_item(t) for t in items or []]
    pays: list[tuple[str, str, str | None]] = []  # (type, amount, card RRN)
    for p in pay:
        ptype, _, rest = p.partition(":")
        value, _, ref = rest.partition(":")
        pays.append((ptype.lower(), value, ref or None))
    if from_json:
        doc = json.loads(from_json.read_text(encoding="utf-8"))
        for it in doc.get("items", []):
            kind = "sku" if "sku" in it else "barcode"
            lines.append((kind, str(it[kind]),
                          str(it["quantity"]) if it.get("quantity") is not None else None))
        for p in doc.get("payments", []):
            pays.append((p["type"].lower(), str(p["amount"]), p.get("rrn")))
    if not lines:
        raise typer.BadParameter("nothing to sell")
    with _till(user=user, pin=pin) as till:
        cart = till.new_cart()
        try:
            for kind, key, qty in lines:
                if kind == "sku":
                    cart = till.add_product(cart.id, key, qty, age_verified=age_verified)
                else:
                    cart = till.scan(cart.id, key, qty, age_verified=age_verified)
            tenders: list[CashTender | CardTender] = []
            for kind, amount, rrn in pays or [("cash", "", None)]:
                if kind == "cash":  # no amount: exactly what is due (rounded for cash)
                    tenders.append(CashTender(_amount(amount, till) if amount else
                                              round_cash(cart.due - sum(
                                                  t.amount or 0 for t in tenders
                                                  if isinstance(t, CardTender)),
                                                  till.settings.cash_rounding)))
                elif kind == "card":
                    tenders.append(CardTender(_amount(amount, till) if amount else None,
                                              CardDetails(rrn=rrn)))
                else:
                    raise typer.BadParameter(f"unknown payment type {kind!r}")
            receipt = till.complete_sale(cart.id, tenders)
        except TillbridgeError:
            try:
                till.cancel_cart(cart.id)
            except TillbridgeError:
                typer.echo(f"cart {cart.id} left open (cancelling it needs a manager)", err=True)
            raise
        if as_json:
            typer.echo(json.dumps(receipt.to_payload(), indent=1, ensure_ascii=False))
            return
        typer.echo(f"receipt {receipt.number}")
        for ln in receipt.lines:
            typer.echo(f"  {ln.name[:32]:<32} {ln.quantity:>8} x {_money(ln.unit_price, till):>12}"
                       f" = {_money(ln.gross, till):>12}  {ln.vat_group} {ln.vat_rate}%")
        typer.echo(f"  total {_money(receipt.total, till)}"
                   + (f"  rounding {_money(receipt.rounding, till)}" if receipt.rounding else "")
                   + f"  paid {_money(receipt.paid, till)}  change {_money(receipt.change, till)}")


@shift_app.command("open")
def shift_open(
    float_: str = typer.Option("0", "--float", help="Opening cash in the drawer."),
    user: str = UserOpt, pin: str = PinOpt,
) -> None:
    """Open a shift."""
    with _till(user=user, pin=pin) as till:
        shift = till.open_shift(_amount(float_, till))
        typer.echo(f"shift {shift.number} open at {shift.opened_at.isoformat(timespec='seconds')}"
                   f" with float {_money(shift.opening_float, till)}")


@shift_app.command("close")
def shift_close(
    counted: str = typer.Option(..., "--counted", help="Cash counted in the drawer."),
    user: str = UserOpt, pin: str = PinOpt, as_json: bool = JsonOpt,
) -> None:
    """Close the shift with the counted cash and print the Z report."""
    with _till(user=user, pin=pin) as till:
        _print_report(till.close_shift(_amount(counted, till)), till, as_json)


@shift_app.command("x")
def shift_x(user: str = UserOpt, pin: str = PinOpt, as_json: bool = JsonOpt) -> None:
    """Print the X report of the open shift."""
    with _till(user=user, pin=pin) as till:
        _print_report(till.x_report(), till, as_json)


@report_app.command("z")
def report_z(
    shift: int = typer.Option(None, "--shift", help="Shift number (default: last closed)."),
    as_json: bool = JsonOpt,
) -> None:
    """Print the Z report of a closed shift."""
    with _till(login=False) as till:
        _print_report(till.z_report(shift), till, as_json)


@app.command()
def doctor(quick: bool = typer.Option(False, help="Skip the slow full checks.")) -> None:
    """Check the store: SQLite integrity, search index, outbox gaps, receipts vs events."""
    with _till(login=False) as till:
        report = till.doctor(quick=quick)
        for check in report.checks:
            typer.echo(f"{'ok  ' if check.ok else 'FAIL'} {check.name:<24} {check.detail}")
        stats = till.outbox_stats()
        typer.echo(f"outbox: last seq {stats.last_seq}, acknowledged through "
                   f"{stats.acked_through}, {stats.pending} pending")
        if not report.ok:
            raise typer.Exit(1)


@users_app.command("add")
def users_add(
    login: str, name: str,
    role: Role = typer.Option(Role.CASHIER, help="cashier or store_manager"),
    new_pin: str = typer.Option(..., "--new-pin", prompt=True, hide_input=True,
                                confirmation_prompt=True, help="The new user's PIN."),
    user: str = UserOpt, pin: str = PinOpt,
) -> None:
    """Create a till user. The first user needs no login; later ones a store manager's."""
    _quiet_logs()
    with open_till(TillConfig()) as probe:
        first = not probe.users()
    with _till(user=user, pin=pin, login=not first) as till:
        created = till.create_user(login, name, role, new_pin)
        typer.echo(f"created {created.role.value} {created.login} ({created.name})")


@users_app.command("list")
def users_list() -> None:
    """List till users."""
    with _till(login=False) as till:
        for u in till.users():
            state = "locked" if u.locked_until else ("active" if u.active else "inactive")
            typer.echo(f"{u.login:<16} {u.role.value:<14} {state:<8} {u.name}")


@app.command()
def configure(
    country: str = typer.Option(None, help="RO or UA (sets its currency, rounding, limits)."),
    store: str = typer.Option(None, help="Store code in receipt numbers."),
    till_code: str = typer.Option(None, "--till", help="Till code in receipt numbers."),
    user: str = UserOpt, pin: str = PinOpt,
) -> None:
    """Set the till's country and codes (a store manager's login once users exist)."""
    _quiet_logs()
    cfg = TillConfig()
    probe = build_till(cfg)
    current, has_users = probe.settings, bool(probe.users())
    probe.close()
    changes: dict[str, object] = {}
    if store:
        changes["store_code"] = store
    if till_code:
        changes["till_code"] = till_code
    if country:
        base = TillSettings.for_country(country, **{k: v for k, v in current.to_dict().items()
                                                    if k in ("store_code", "till_code",
                                                             "header", "footer")})
        changes.update({k: getattr(base, k) for k in ("country", "currency", "language",
                                                      "cash_rounding", "shift_max_hours")})
    if has_users:
        with _till(user=user, pin=pin) as till:
            new = till.update_settings(approval=None, **changes)
    else:
        try:
            till = build_till(cfg, settings=current.with_changes(**changes))
        except TillbridgeError as exc:
            typer.echo(f"error {exc.code}: {exc.message}", err=True)
            raise typer.Exit(2) from None
        new = till.settings
        till.close()
    typer.echo(f"country {new.country} ({new.currency}), store {new.store_code}, "
               f"till {new.till_code}, cash rounding {new.cash_rounding}, "
               f"shift limit {new.shift_max_hours} h")


@app.command("seed-demo")
def seed_demo(
    country: str = typer.Option("RO", help="RO or UA."),
    size: int = typer.Option(5000, help="Generated products beside the curated ones."),
    store: str = typer.Option("S1", help="Store code."),
    till_code: str = typer.Option("T1", "--till", help="Till code."),
) -> None:
    """Load a demo shop: Romanian and Ukrainian products (weighted, excise), demo users.

    Users (created only on an empty till): manager / PIN 9999, cashier / PIN 1234.
    """
    from desktop.core.demo_catalog import curated_products, generate_products  # demo data only

    _quiet_logs()
    settings = TillSettings.for_country(country, store_code=store, till_code=till_code,
                                        header=("Tillbridge demo",),
                                        footer=("Mulțumim! / Дякуємо!",))
    try:
        till = build_till(TillConfig(), settings=settings)
    except TillbridgeError as exc:
        typer.echo(f"error {exc.code}: {exc.message}", err=True)
        raise typer.Exit(2) from None
    try:
        records = [*curated_products(country), *generate_products(max(0, size),
                                                                  country=country)]
        res = till.import_catalog(records, replace=True)
        if not till.users():
            till.create_user("manager", "Demo Manager", Role.STORE_MANAGER, "9999")
            till.login("manager", "9999")
            till.create_user("cashier", "Demo Cashier", Role.CASHIER, "1234")
            typer.echo("users: manager / PIN 9999 (store_manager), cashier / PIN 1234")
        typer.echo(f"demo catalog: {res.inserted} products ({country}, "
                   f"{till.settings.currency}) in {res.seconds:.1f}s")
    finally:
        till.close()


# Cloud sync (desktop/sync_cli.py): `enroll --cloud URL --code CODE`, `sync`, `sync status`.
app.command("enroll")(enroll_command)
app.add_typer(sync_app, name="sync")


if __name__ == "__main__":
    app()
