"""Completed receipts and shift reports as the documents printers and fiscal devices take.

Shared by the document worker (headless or beside the window) and the cashier app, so both
send byte-identical fiscal documents for the same receipt id (the fiscal journal refuses a
resubmission that differs).

No arithmetic happens here beyond re-expressing amounts the till core computed: a printed or
fiscal receipt must add up to exactly what the journal holds.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from desktop.core import PaymentKind, Receipt, ReceiptKind, ReceiptLine, ShiftReport
from desktop.core.quantity import Unit
from desktop.devices.fiscal.model import FiscalLine, FiscalReceipt
from desktop.devices.fiscal.model import Payment as FiscalPayment
from desktop.devices.fiscal.model import PaymentKind as FiscalPaymentKind
from desktop.devices.printers import document as doc
from shared.money import format_money, round_half_up

__all__ = ["fiscal_receipt", "receipt_document", "report_text", "vat_letters"]

_LATIN = "ABCDEFGH"
_CYRILLIC = "АБВГДЕЖИ"


def vat_letters(receipt: Receipt) -> dict[tuple[str, Decimal], str]:
    """A letter per VAT group and rate on the receipt, highest rate first (A, B, … / А, Б, …)."""
    letters = _CYRILLIC if receipt.country == "UA" else _LATIN
    keys = sorted({(v.group, v.rate) for v in receipt.vat}, key=lambda k: (-k[1], k[0]))
    return {k: letters[i] if i < len(letters) else str(i + 1) for i, k in enumerate(keys)}


def receipt_document(
    receipt: Receipt,
    *,
    language: str,
    copy: bool = False,
    open_drawer: bool = False,
    time_zone: str | None = None,
) -> doc.ReceiptDocument:
    """The printer's receipt document for a completed sale or return."""
    letters = vat_letters(receipt)
    ret = receipt.kind is ReceiptKind.RETURN
    title = {"uk": "ПОВЕРНЕННЯ", "ro": "RETUR", "en": "RETURN"}.get(language, "RETURN")
    lines = [
        doc.ReceiptLine(
            name=ln.name[:200],
            quantity=ln.quantity,
            unit={Unit.PCS: "pcs", Unit.KG: "kg", Unit.L: "l", Unit.M: "m"}[ln.unit],
            unit_price=ln.unit_price,
            total=ln.base,
            vat_letter=letters.get((ln.vat_group, ln.vat_rate), ""),
            discount=ln.line_discount,
        )
        for ln in receipt.lines
    ]
    discounts = []
    on_receipt = sum(ln.receipt_discount for ln in receipt.lines)
    if on_receipt:
        label = {"uk": "Знижка на чек", "ro": "Reducere bon", "en": "Receipt discount"}.get(
            language, "Receipt discount"
        )
        discounts.append(doc.Adjustment(label=label, amount=-on_receipt))
    vat = [
        doc.VatGroup(letter=letters[(v.group, v.rate)], rate=v.rate, base=v.net, amount=v.vat)
        for v in receipt.vat
    ]
    payments = [
        doc.Payment(
            kind=p.kind.value if p.kind.value in ("cash", "card") else "other",
            amount=p.tendered if p.tendered and not ret else p.amount,
        )
        for p in receipt.payments
    ]
    header = list(receipt.header)
    fiscal_ids = []
    if receipt.fiscal is not None:
        fiscal_ids.append(
            doc.FiscalId(
                label={"uk": "ФН", "ro": "BF"}.get(language, "FN"),
                value=receipt.fiscal.fiscal_number[:200],
            )
        )
    if ret and receipt.original_number:
        header.append(f"{title} / {receipt.original_number}")
    return doc.ReceiptDocument(
        language=language,
        currency=receipt.currency,
        header_lines=header[:20],
        fiscal_ids=fiscal_ids,
        title=title if ret else None,
        cashier=receipt.cashier_name,
        receipt_number=receipt.number,
        issued_at=receipt.completed_at,
        time_zone=time_zone,
        lines=lines,
        subtotal=sum(ln.base - ln.line_discount for ln in receipt.lines),
        discounts=discounts,
        rounding=receipt.rounding,
        total=receipt.payable,
        vat=vat,
        payments=payments,
        change=receipt.change,
        footer_lines=list(receipt.footer)[:20],
        fiscal_qr_url=receipt.fiscal.verification_url if receipt.fiscal else None,
        is_copy=copy,
        open_drawer=open_drawer,
    )


def _fiscal_line(ln: object) -> FiscalLine:
    assert isinstance(ln, ReceiptLine)
    unit_price = ln.unit_price
    amount = round_half_up(Decimal(unit_price) * ln.quantity)
    while amount < ln.gross:  # a price-label line may cost more than price × weight
        unit_price += 1
        amount = round_half_up(Decimal(unit_price) * ln.quantity)
    return FiscalLine(
        name=ln.name,
        qty=ln.quantity,
        unit_price=unit_price,
        vat_group=ln.vat_group,
        vat_rate=ln.vat_rate,
        excise=ln.excise_rate > 0,
        discount=amount - ln.gross,
        sku=ln.sku,
        barcode=ln.barcode,
        uktzed=ln.code,
    )


def fiscal_receipt(receipt: Receipt, *, original_fiscal_number: str | None = None) -> FiscalReceipt:
    """The fiscal device's document; ``receipt.id`` is its idempotency key."""
    ret = receipt.kind is ReceiptKind.RETURN
    payments = tuple(
        FiscalPayment(
            FiscalPaymentKind.CASH if p.kind is PaymentKind.CASH else FiscalPaymentKind.CARD,
            p.tendered if (p.tendered and not ret and p.kind is PaymentKind.CASH) else p.amount,
        )
        for p in receipt.payments
    )
    return FiscalReceipt(
        receipt_id=uuid.UUID(receipt.id),
        lines=tuple(_fiscal_line(ln) for ln in receipt.lines),
        payments=payments,
        at=receipt.completed_at,
        country=receipt.country,
        cashier=receipt.cashier_name,
        is_return=ret,
        original_fiscal_number=original_fiscal_number,
        rounding=receipt.rounding,
        header="\n".join(receipt.header) or None,
        footer="\n".join(receipt.footer) or None,
    )


_REPORT_WORDS = {
    "uk": (
        "Звіт",
        "Зміна",
        "Продажі",
        "Повернення",
        "Разом",
        "Знижки",
        "ПДВ",
        "Готівка",
        "Картка",
        "Розмінна монета",
        "Внесення",
        "Вилучення",
        "Очікувано в касі",
        "Пораховано",
        "Різниця",
    ),
    "ro": (
        "Raport",
        "Tura",
        "Vânzări",
        "Retururi",
        "Net",
        "Reduceri",
        "TVA",
        "Numerar",
        "Card",
        "Fond inițial",
        "Intrări",
        "Retrageri",
        "Numerar așteptat",
        "Numărat",
        "Diferență",
    ),
    "en": (
        "Report",
        "Shift",
        "Sales",
        "Returns",
        "Net",
        "Discounts",
        "VAT",
        "Cash",
        "Card",
        "Opening float",
        "Cash in",
        "Cash out",
        "Expected cash",
        "Counted",
        "Difference",
    ),
}


def report_text(report: ShiftReport, language: str) -> str:
    """The X/Z report as plain lines for a receipt printer (the screen shows its own table)."""
    w = _REPORT_WORDS.get(language, _REPORT_WORDS["en"])
    t, cur = report.totals, report.currency

    def m(v: int) -> str:
        return format_money(v, cur, language)

    out = [
        f"{w[0]} {report.kind.value}",
        f"{w[1]} {report.shift.number}",
        f"{report.generated_at:%Y-%m-%d %H:%M} UTC",
        "",
        f"{w[2]}: {t.sales_count}  {m(t.sales_total)}",
        f"{w[3]}: {t.returns_count}  {m(t.returns_total)}",
        f"{w[4]}: {m(report.net_total)}",
        f"{w[5]}: {m(t.sales_discounts)}",
    ]
    out += [f"{w[6]} {v.group} {v.rate}%: {m(v.vat)} / {m(v.gross)}" for v in t.sales_vat]
    names = {"cash": w[7], "card": w[8]}
    out += [f"{names.get(p.kind, p.kind)}: {m(p.sales)} / -{m(p.refunds)}" for p in t.payments]
    out += [
        f"{w[9]}: {m(report.shift.opening_float)}",
        f"{w[10]}: {m(t.cash_in)}",
        f"{w[11]}: {m(t.cash_out)}",
        f"{w[12]}: {m(report.expected_cash)}",
    ]
    if report.counted_cash is not None:
        out += [f"{w[13]}: {m(report.counted_cash)}", f"{w[14]}: {m(report.cash_difference or 0)}"]
    return "\n".join(out)
