"""``tillbridge-till`` headless commands driving the core (scripts and support)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from desktop.cli import app
from desktop.config import TillConfig
from desktop.core.demo_catalog import curated_products, scale_label

runner = CliRunner()
CASHIER = ["--user", "cashier", "--pin", "1234"]
MANAGER = ["--user", "manager", "--pin", "9999"]


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def barcode(sku: str) -> str:
    return next(p for p in curated_products("UA") if p.sku == sku).barcodes[0]


def test_demo_day_from_the_command_line(tmp_path: Path) -> None:
    out = run("seed-demo", "--country", "UA", "--size", "50")
    assert "manager / PIN 9999" in out and "(UA, UAH)" in out
    run("shift", "open", "--float", "500", *CASHIER)
    out = run("sell", barcode("UA-HLIB-ZHYT"), f"{barcode('UA-MOLOKO-25')}*2",
              scale_label("201", 756), "sku:UA-YABLUKA*1.5", "--pay", "card:100.00:123456",
              "--pay", "cash:1000", *CASHIER)
    assert "receipt S1-T1-0001-0001" in out and "rounding" in out
    sale = tmp_path / "sale.json"
    sale.write_text(json.dumps({"items": [{"sku": "UA-GORILKA"}],
                                "payments": [{"type": "card", "amount": "189.90"}]}))
    out = run("sell", "--from-json", str(sale), "--age-verified", "--json", *CASHIER)
    receipt = json.loads(out)
    assert receipt["number"] == "S1-T1-0001-0002" and receipt["excise_total"] == 904
    x = json.loads(run("shift", "x", "--json", *CASHIER))
    assert x["sales_count"] == 2 and {p["kind"] for p in x["payments"]} == {"card", "cash"}
    out = run("shift", "close", "--counted", f"{x['expected_cash'] / 100:.2f}", *CASHIER)
    assert "Z report, shift 1" in out and "difference 0,00" in out
    z = json.loads(run("report", "z", "--json"))
    assert z["sales_total"] == x["sales_total"] and z["cash_difference"] == 0
    assert "FAIL" not in run("doctor")


def test_errors_exit_2_with_the_code(tmp_path: Path) -> None:
    run("seed-demo", "--country", "RO", "--size", "10")
    result = runner.invoke(app, ["sell", "4006381333931", *CASHIER])
    assert result.exit_code == 2 and "TILL_SHIFT_CLOSED" in result.output
    run("shift", "open", *CASHIER)
    result = runner.invoke(app, ["sell", "4006381333931", *CASHIER])
    assert result.exit_code == 2 and "TILL_UNKNOWN_BARCODE" in result.output
    result = runner.invoke(app, ["shift", "x", "--user", "cashier", "--pin", "0000"])
    assert result.exit_code == 2 and "TILL_INVALID_PIN" in result.output


def test_import_catalog_users_and_configure(tmp_path: Path) -> None:
    out = run("configure", "--country", "UA", "--store", "K7", "--till", "T9")
    assert "country UA (UAH), store K7, till T9, cash rounding 10" in out
    csv = tmp_path / "cat.csv"
    csv.write_text("sku;name;price;vat_group;barcodes\nA;Хліб;29,50;standard;4820000000017\n"
                   "B;Кава;199,00;standard;\n", encoding="utf-8")
    assert "imported 2 new" in run("import-catalog", str(csv))
    run("users", "add", "boss", "Boss", "--role", "store_manager", "--new-pin", "4321")
    run("users", "add", "ana", "Ana", "--new-pin", "1111", "--user", "boss", "--pin", "4321")
    listing = run("users", "list")
    assert "boss" in listing and "store_manager" in listing and "ana" in listing
    result = runner.invoke(app, ["users", "add", "ion", "Ion", "--new-pin", "2222",
                                 "--user", "ana", "--pin", "1111"])
    assert result.exit_code == 2 and "TILL_PERMISSION_DENIED" in result.output
    run("shift", "open", "--user", "ana", "--pin", "1111")
    out = run("sell", "4820000000017", "--user", "ana", "--pin", "1111")
    assert "receipt K7-T9-0001-0001" in out and "29,50" in out


def test_doctor_fails_on_a_damaged_store() -> None:
    run("seed-demo", "--size", "5")
    run("shift", "open", *CASHIER)
    run("sell", "sku:RO-ZAHAR-1KG", *CASHIER)
    conn = sqlite3.connect(TillConfig().store_path)
    conn.execute("DROP TRIGGER outbox_keep_pending")
    conn.execute("DELETE FROM outbox WHERE type = 'sale.completed'")
    conn.commit()
    conn.close()
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1 and "FAIL receipts_have_events" in result.output
