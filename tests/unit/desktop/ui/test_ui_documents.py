"""A completed receipt becomes a printer document and a fiscal document that add up to exactly
what the till journalled (discounts, mixed payments, Ukrainian cash rounding, price labels)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ui_helpers import make_till

from desktop.core import (
    CardDetails,
    CardTender,
    CashTender,
    Discount,
    Receipt,
    ReturnItem,
    Till,
)
from desktop.core.demo_catalog import ean13, scale_label
from desktop.devices.printers.receipt import ReceiptRenderer
from desktop.devices.profiles import receipt_profile, receipt_profiles
from desktop.devices.protocols.escpos.decode import decode
from desktop.documents.render import fiscal_receipt, receipt_document


@pytest.fixture
def ua_till(tmp_path: Path) -> Till:
    till = make_till(tmp_path / "ua.sqlite3", country="UA")
    till.login("manager", "9999")
    till.open_shift(500_00)
    return till


def _sale(till: Till) -> Receipt:
    cart = till.new_cart()
    cart = till.scan(cart.id, ean13("482", 900_000_013), 2)           # bread ×2
    cart = till.scan(cart.id, scale_label("201", 1234))              # beef 1,234 kg
    cart = till.scan(cart.id, scale_label("202", 777, prefix="22"))  # price label 7,77
    cart = till.discount_line(cart.id, 2, Discount.percent(7))
    cart = till.discount_cart(cart.id, Discount.amount(333))
    return till.complete_sale(cart.id, [CardTender(100_00, CardDetails(rrn="A1")),
                                        CashTender(1000_00)])


def test_fiscal_document_matches_the_journal(ua_till: Till) -> None:
    receipt = _sale(ua_till)
    doc = fiscal_receipt(receipt)
    doc.check()  # the device would accept it
    assert sum(ln.gross for ln in doc.lines) == receipt.total
    assert doc.total == receipt.payable
    assert doc.rounding == receipt.rounding != 0
    assert doc.change == receipt.change
    assert {ln.vat_rate for ln in doc.lines} == {ln.vat_rate for ln in receipt.lines}
    refund = ua_till.complete_return(receipt.number, [ReturnItem(1, 1)])
    ret = fiscal_receipt(refund, original_fiscal_number="FN-1")
    ret.check()
    assert ret.is_return and ret.total == refund.payable and ret.change == 0


@pytest.mark.parametrize("language", ["uk", "en"])
def test_printed_receipt_adds_up_on_every_profile(ua_till: Till, language: str) -> None:
    receipt = _sale(ua_till)
    doc = receipt_document(receipt, language=language, copy=True)
    assert doc.total == receipt.payable
    assert doc.subtotal + sum(a.amount for a in doc.discounts) == receipt.total
    assert sum(ln.total - ln.discount for ln in doc.lines) == doc.subtotal
    for profile in receipt_profiles():
        printed = decode(ReceiptRenderer(receipt_profile(profile)).render(doc))
        text = "\n".join(line for page in printed.pages for line in page.text)
        assert receipt.number in text
