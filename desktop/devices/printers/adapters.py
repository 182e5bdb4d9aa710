"""From the till core's ``Receipt`` to the printable ``ReceiptDocument``.

The core owns the amounts; this only chooses words and letters: VAT groups become the letters
printed on the receipt (Ukrainian receipts use Cyrillic А/Б/В, Romanian ones A/B/C), the
fiscal result becomes the QR and fiscal number lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from desktop.devices.printers.document import (
    Adjustment,
    FiscalId,
    Payment,
    ReceiptDocument,
    ReceiptLine,
    VatGroup,
)
from desktop.devices.printers.i18n import words

if TYPE_CHECKING:
    from desktop.core.receipt import Receipt

__all__ = ["VAT_LETTERS", "from_core_receipt"]

VAT_LETTERS: dict[str, dict[str, str]] = {
    "UA": {"standard": "А", "reduced": "Б", "agri": "В", "zero": "Г", "exempt": "Д"},
    "RO": {"standard": "A", "reduced": "B", "super_reduced": "C", "housing": "D", "zero": "E",
           "exempt": "E"},
}
_LANGUAGE = {"UA": "uk", "RO": "ro"}
_ZONE = {"UA": "Europe/Kyiv", "RO": "Europe/Bucharest"}
_TITLE = {"UA": {"sale": "ФІСКАЛЬНИЙ ЧЕК", "return": "ВИДАТКОВИЙ ЧЕК"},
          "RO": {"sale": "BON FISCAL", "return": "BON FISCAL - RETUR"}}


def from_core_receipt(receipt: Receipt, *, language: str | None = None,
                      vat_letters: Mapping[str, str] | None = None,
                      fiscal_ids: Sequence[FiscalId] = (), is_copy: bool = False,
                      open_drawer: bool = False, time_zone: str | None = None) -> ReceiptDocument:
    """Map a completed core receipt; line discounts print under their line, the receipt
    discount and cash rounding under the subtotal."""
    country = receipt.country.upper()
    lang = language or _LANGUAGE.get(country, "en")
    letters = {**VAT_LETTERS.get(country, {}), **(vat_letters or {})}
    w = words(lang)
    lines = [ReceiptLine(name=ln.name, quantity=ln.quantity, unit=ln.unit.value,
                         unit_price=ln.unit_price, total=ln.base,
                         vat_letter=letters.get(ln.vat_group, ln.vat_group[:3].upper()),
                         discount=ln.line_discount)
             for ln in receipt.lines]
    receipt_discount = sum(ln.receipt_discount for ln in receipt.lines)
    subtotal = sum(ln.base - ln.line_discount for ln in receipt.lines)
    ids = list(fiscal_ids)
    qr = None
    if receipt.fiscal is not None:
        ids.append(FiscalId(label="ФН" if country == "UA" else "Nr. fiscal",
                            value=receipt.fiscal.fiscal_number))
        qr = receipt.fiscal.verification_url
    if receipt.original_number:
        ids.append(FiscalId(label=w["receipt"], value=receipt.original_number))
    return ReceiptDocument(
        language=lang, currency=receipt.currency, header_lines=list(receipt.header),
        fiscal_ids=ids, title=_TITLE.get(country, {}).get(receipt.kind.value),
        cashier=receipt.cashier_name, receipt_number=receipt.number,
        issued_at=receipt.completed_at, time_zone=time_zone or _ZONE.get(country),
        lines=lines, subtotal=subtotal,
        discounts=[Adjustment(label=w["discount"], amount=-receipt_discount)]
        if receipt_discount else [],
        rounding=receipt.rounding, total=receipt.payable,
        vat=[VatGroup(letter=letters.get(v.group, v.group[:3].upper()), rate=v.rate,
                      base=v.net, amount=v.vat) for v in receipt.vat],
        payments=[Payment(kind=p.kind.value if p.kind.value in ("cash", "card") else "other",
                          amount=p.tendered if p.tendered is not None else p.amount)
                  for p in receipt.payments],
        change=receipt.change, footer_lines=list(receipt.footer), fiscal_qr_url=qr,
        is_copy=is_copy, open_drawer=open_drawer)
