"""Sample receipts (Ukrainian and Romanian) for the demo, benchmarks and tests.

Amounts are consistent: line totals add up, VAT comes from ``shared.tax``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from desktop.devices.printers.document import (
    FiscalId,
    Payment,
    ReceiptDocument,
    ReceiptLine,
    VatGroup,
)
from shared.tax import vat_from_gross

__all__ = ["sample_receipt"]

_ITEMS = {
    "uk": [("Хліб «Український» житній", Decimal(1), "pcs", 3250, "А", Decimal(20)),
           ("Ґринджоли дитячі «Їжачок»", Decimal(1), "pcs", 89900, "А", Decimal(20)),
           ("Сир твердий «Гауда» вагова", Decimal("0.345"), "kg", 42990, "А", Decimal(20)),
           ("Пігулки від кашлю", Decimal(2), "pcs", 8740, "Б", Decimal(7))],
    "ro": [("Pâine țărănească feliată", Decimal(2), "pcs", 1250, "B", Decimal(11)),
           ("Brânză de burduf Șercaia", Decimal("0.412"), "kg", 5990, "B", Decimal(11)),
           ("Țuică de prune 0,5 l", Decimal(1), "pcs", 4590, "A", Decimal(21)),
           ("Săpun lichid „Ștrand”", Decimal(3), "pcs", 899, "A", Decimal(21))],
}
_HEAD = {
    "uk": (["ТОВ «Тілбрідж Маркет»", "м. Київ, вул. Січових Стрільців, 1"],
           [FiscalId(label="ПН", value="123456789012"),
            FiscalId(label="ФН ПРРО", value="4000123456")],
           "ФІСКАЛЬНИЙ ЧЕК", "Іванна Ґудзь", "UAH", "Europe/Kyiv",
           ["Дякуємо за покупку!"], "https://cabinet.tax.gov.ua/cashregs/check?fn=4000123456"),
    "ro": (["SC Tillbridge Market SRL", "Str. Ștefan cel Mare 5, Iași"],
           [FiscalId(label="CIF", value="RO12345678")],
           "BON FISCAL", "Țuțu Ștefănescu", "RON", "Europe/Bucharest",
           ["Vă mulțumim!"], "https://anaf.ro/bon?id=RO12345678-000123"),
}


def sample_receipt(language: str = "uk", *, lines: int = 4, is_copy: bool = False,
                   number: str = "S01-T01-0001-0001") -> ReceiptDocument:
    """A paid cash receipt with ``lines`` lines (cycling through a few products)."""
    items = _ITEMS[language]
    header, ids, title, cashier, cur, zone, footer, qr = _HEAD[language]
    out: list[ReceiptLine] = []
    by_group: dict[str, tuple[Decimal, int]] = {}
    for i in range(lines):
        name, qty, unit, price, letter, rate = items[i % len(items)]
        total = int((qty * price).to_integral_value())
        out.append(ReceiptLine(name=name, quantity=qty, unit=unit, unit_price=price, total=total,
                               vat_letter=letter))
        r, gross = by_group.get(letter, (rate, 0))
        by_group[letter] = (r, gross + total)
    total = sum(ln.total for ln in out)
    vat = [VatGroup(letter=k, rate=r, amount=vat_from_gross(g, r))
           for k, (r, g) in sorted(by_group.items())]
    paid = -(-total // 10000) * 10000
    return ReceiptDocument(
        language=language, currency=cur, header_lines=header, fiscal_ids=ids, title=title,
        cashier=cashier, receipt_number=number,
        issued_at=datetime(2026, 1, 15, 8, 30, tzinfo=UTC), time_zone=zone, lines=out,
        subtotal=total, total=total, vat=vat, payments=[Payment(kind="cash", amount=paid)],
        change=paid - total, footer_lines=footer, fiscal_qr_url=qr, is_copy=is_copy)
