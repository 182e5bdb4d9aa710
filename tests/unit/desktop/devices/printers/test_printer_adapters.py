"""The till core's receipt prints through the device-neutral document."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from desktop.core.payments import Payment, PaymentKind
from desktop.core.quantity import Unit
from desktop.core.receipt import FiscalResult, Receipt, ReceiptKind, ReceiptLine, VatLine
from desktop.devices.printers.adapters import from_core_receipt
from desktop.devices.printers.catalog import TillStoreCatalog
from desktop.devices.printers.receipt import ReceiptRenderer
from desktop.devices.profiles import receipt_profile
from desktop.devices.protocols.escpos.decode import decode

AT = datetime(2026, 3, 2, 9, 15, tzinfo=UTC)


def _row(left: str, right: str, width: int = 42) -> str:
    return left + right.rjust(width - len(left))


def _line(no: int, name: str, qty: str, price: int, group: str, rate: str, *,
          line_discount: int = 0, receipt_discount: int = 0) -> ReceiptLine:
    base = int(Decimal(qty) * price)
    gross = base - line_discount - receipt_discount
    vat = round(gross * Decimal(rate) / (100 + Decimal(rate)))
    return ReceiptLine(no, f"SKU{no}", name, Unit.KG if "." in qty else Unit.PCS,
                       Decimal(qty), price, price, base, line_discount, receipt_discount,
                       gross, gross - vat, vat, 0, group, Decimal(rate))


def test_core_sale_maps_to_a_printable_romanian_receipt() -> None:
    """GIVEN a completed Romanian sale from the till core (line and receipt discounts, cash
    rounding, fiscal result) WHEN printed THEN the paper shows letters, discounts, rounding,
    the tendered cash and change, and the fiscal QR."""
    lines = (_line(1, "Pâine țărănească", "2", 1250, "reduced", "11", line_discount=100),
             _line(2, "Vin roșu", "1", 4590, "standard", "21", receipt_discount=90))
    total = sum(ln.gross for ln in lines)
    cash = Payment("p1", PaymentKind.CASH, total, AT, tendered=10000, change=10000 - total)
    receipt = Receipt(
        id="r1", number="S01-T01-0003-0007", kind=ReceiptKind.SALE, store_code="S01",
        till_code="T01", shift_id="sh", shift_no=3, seq=7, cashier_id="u1",
        cashier_name="Ștefan", opened_at=AT, completed_at=AT, country="RO", currency="RON",
        lines=lines, vat=(VatLine("reduced", Decimal(11), lines[0].gross, lines[0].net,
                                  lines[0].vat),
                          VatLine("standard", Decimal(21), lines[1].gross, lines[1].net,
                                  lines[1].vat)),
        subtotal=sum(ln.base for ln in lines), discount_total=190, total=total, rounding=0,
        paid=total, change=10000 - total, payments=(cash,), header=("Magazin SRL",),
        footer=("Mulțumim!",),
        fiscal=FiscalResult("r1", "0007", AT, AT, verification_url="https://anaf.ro/v?0007"))
    doc = from_core_receipt(receipt)
    assert doc.language == "ro" and doc.title == "BON FISCAL"
    page = decode(ReceiptRenderer(receipt_profile("generic-80-42")).render(doc)).pages[0]
    text = page.text
    assert "Casier: Ştefan" in text
    assert _row("  2 buc x 12,50", "25,00 B") in text
    assert _row("  Reducere", "-1,00") == text[text.index("Vin roşu") - 1]
    assert [_row("Subtotal", "69,90"), _row("Reducere", "-0,90"), _row("TOTAL", "69,00")] \
        == text[13:16]
    assert _row("Numerar", "100,00") in text and _row("Rest", "31,00") in text
    assert "Nr. fiscal 0007" in text
    assert page.qr_codes == ["https://anaf.ro/v?0007"]
    assert any(ln.startswith("TVA A 21%") for ln in text)


def test_product_labels_come_from_the_till_store(tmp_path: Path) -> None:
    """GIVEN products in the till store WHEN a label is asked by SKU or barcode
    THEN name, price, the valid EAN-13 and the per-kg unit come from the catalog."""
    from desktop.core.catalog import ProductRecord
    from desktop.store import SqliteStorage

    path = tmp_path / "till.sqlite3"
    storage = SqliteStorage(path)
    storage.load_catalog([
        ProductRecord("CHEESE-1", "Caşcaval", 4599, "reduced", Unit.KG,
                      barcodes=("INT-77", "4006381333931")),
        ProductRecord("OLD", "Gone", 100, "standard", active=False)], replace=True)
    storage.close()
    catalog = TillStoreCatalog(path, currency="RON")
    try:
        by_sku = catalog.label_product("CHEESE-1")
        assert by_sku is not None
        assert (by_sku.name, by_sku.price, by_sku.barcode, by_sku.unit, by_sku.currency) == (
            "Caşcaval", 4599, "4006381333931", "kg", "RON")
        assert catalog.label_product("4006381333931") == by_sku.__class__(
            **{**by_sku.__dict__, "id": "4006381333931"})
        assert catalog.label_product("OLD") is None
        assert catalog.label_product("nope") is None
    finally:
        catalog.close()
    assert TillStoreCatalog(tmp_path / "missing.sqlite3", currency="RON").label_product("x") \
        is None
