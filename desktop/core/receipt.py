"""The completed receipt: immutable, numbered per till, with everything a printer and a fiscal
device need (lines with VAT group and rate, excise, discounts, payments by type, cash rounding,
totals, cashier, header/footer, and for returns the original receipt).

All amounts are positive minor units; ``kind`` tells a sale from a return.
``number`` is ``<store>-<till>-<shift:04>-<seq:04>``; ``seq`` counts documents within the shift.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from desktop.core.payments import Payment
from desktop.core.quantity import Unit

__all__ = [
    "FiscalResult",
    "Receipt",
    "ReceiptKind",
    "ReceiptLine",
    "VatLine",
    "format_receipt_number",
    "normalize_receipt_number",
]


class ReceiptKind(StrEnum):
    """Direction of a receipt."""

    SALE = "sale"
    RETURN = "return"


def format_receipt_number(store: str, till: str, shift_no: int, seq: int) -> str:
    return f"{store}-{till}-{shift_no:04d}-{seq:04d}"


def normalize_receipt_number(text: str) -> str:
    """Accept ``s1-t1-3-7`` as ``S1-T1-0003-0007``; other text is returned stripped."""
    parts = text.strip().split("-")
    if len(parts) == 4 and parts[2].isdigit() and parts[3].isdigit():
        return format_receipt_number(parts[0].upper(), parts[1].upper(), int(parts[2]),
                                     int(parts[3]))
    return text.strip()


@dataclass(frozen=True)
class ReceiptLine:
    """One sold (or returned) line with its final amounts."""

    line_no: int
    sku: str
    name: str
    unit: Unit
    quantity: Decimal
    unit_price: int
    """Price per unit actually charged (after an override)."""
    list_price: int
    """Catalog price per unit when the line was added."""
    base: int
    """Amount before discounts."""
    line_discount: int
    receipt_discount: int
    gross: int
    net: int
    vat: int
    excise: int
    vat_group: str
    vat_rate: Decimal
    excise_rate: Decimal = Decimal(0)
    product_id: int | None = None
    barcode: str | None = None
    code: str | None = None
    """UKTZED / NC classification code."""
    fixed_gross: int | None = None
    price_override_by: str | None = None
    discount_by: str | None = None
    excise_stamps: tuple[str, ...] = ()
    original_line_no: int | None = None
    """For a return line: the line of the original receipt it reverses."""

    @property
    def discount(self) -> int:
        return self.line_discount + self.receipt_discount


@dataclass(frozen=True)
class VatLine:
    """Totals of one VAT group on a receipt or report."""

    group: str
    rate: Decimal
    gross: int
    net: int
    vat: int
    excise: int = 0


@dataclass(frozen=True)
class FiscalResult:
    """What the fiscal device or service answered for a document."""

    document_id: str
    fiscal_number: str
    fiscal_date: datetime
    recorded_at: datetime
    verification_url: str | None = None
    device_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_payload(self) -> dict[str, Any]:
        return {"document_id": self.document_id, "fiscal_number": self.fiscal_number,
                "fiscal_date": self.fiscal_date.isoformat(),
                "verification_url": self.verification_url, "device_id": self.device_id,
                "extra": self.extra, "recorded_at": self.recorded_at.isoformat()}


@dataclass(frozen=True)
class Receipt:
    """A completed sale or return (immutable once written)."""

    id: str
    number: str
    kind: ReceiptKind
    store_code: str
    till_code: str
    shift_id: str
    shift_no: int
    seq: int
    cashier_id: str
    cashier_name: str
    opened_at: datetime
    completed_at: datetime
    country: str
    currency: str
    lines: tuple[ReceiptLine, ...]
    vat: tuple[VatLine, ...]
    subtotal: int
    discount_total: int
    total: int
    """Goods after discounts, before cash rounding."""
    rounding: int
    """Cash rounding (negative = rounded down); 0 when nothing was paid in cash."""
    paid: int
    change: int
    payments: tuple[Payment, ...]
    receipt_discount: str | None = None
    """The receipt-level discount as entered (``"percent:5"`` / ``"amount:200"``)."""
    header: tuple[str, ...] = ()
    footer: tuple[str, ...] = ()
    original_receipt_id: str | None = None
    original_number: str | None = None
    approved_by: str | None = None
    """Who approved the document (returns)."""
    voided_lines: int = 0
    fiscal: FiscalResult | None = None

    @property
    def payable(self) -> int:
        """Total plus rounding: what was settled by payments."""
        return self.total + self.rounding

    @property
    def vat_total(self) -> int:
        return sum(v.vat for v in self.vat)

    @property
    def excise_total(self) -> int:
        return sum(v.excise for v in self.vat)

    def payments_by_kind(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for p in self.payments:
            out[p.kind.value] = out.get(p.kind.value, 0) + p.amount
        return out

    def to_payload(self) -> dict[str, Any]:
        """The JSON document of this receipt (outbox event payload and API body)."""
        return {
            "id": self.id, "number": self.number, "kind": self.kind.value,
            "store_code": self.store_code, "till_code": self.till_code,
            "shift_id": self.shift_id, "shift_no": self.shift_no, "seq": self.seq,
            "cashier": {"id": self.cashier_id, "name": self.cashier_name},
            "opened_at": self.opened_at.isoformat(), "completed_at": self.completed_at.isoformat(),
            "country": self.country, "currency": self.currency,
            "lines": [_line_payload(ln) for ln in self.lines],
            "vat": [{"group": v.group, "rate": str(v.rate), "gross": v.gross, "net": v.net,
                     "vat": v.vat, "excise": v.excise} for v in self.vat],
            "subtotal": self.subtotal, "discount_total": self.discount_total,
            "receipt_discount": self.receipt_discount, "total": self.total,
            "rounding": self.rounding, "payable": self.payable, "paid": self.paid,
            "change": self.change, "vat_total": self.vat_total,
            "excise_total": self.excise_total,
            "payments": [_payment_payload(p) for p in self.payments],
            "header": list(self.header), "footer": list(self.footer),
            "original_receipt_id": self.original_receipt_id,
            "original_number": self.original_number, "approved_by": self.approved_by,
            "voided_lines": self.voided_lines,
            "fiscal": self.fiscal.to_payload() if self.fiscal else None,
        }


def _line_payload(ln: ReceiptLine) -> dict[str, Any]:
    return {
        "line_no": ln.line_no, "sku": ln.sku, "name": ln.name, "unit": ln.unit.value,
        "quantity": str(ln.quantity), "unit_price": ln.unit_price, "list_price": ln.list_price,
        "base": ln.base, "line_discount": ln.line_discount,
        "receipt_discount": ln.receipt_discount, "gross": ln.gross, "net": ln.net,
        "vat": ln.vat, "excise": ln.excise, "vat_group": ln.vat_group,
        "vat_rate": str(ln.vat_rate), "excise_rate": str(ln.excise_rate),
        "product_id": ln.product_id, "barcode": ln.barcode, "code": ln.code,
        "fixed_gross": ln.fixed_gross, "price_override_by": ln.price_override_by,
        "discount_by": ln.discount_by, "excise_stamps": list(ln.excise_stamps),
        "original_line_no": ln.original_line_no,
    }


def _payment_payload(p: Payment) -> dict[str, Any]:
    out: dict[str, Any] = {"id": p.id, "kind": p.kind.value, "amount": p.amount,
                           "tendered": p.tendered, "change": p.change, "rounding": p.rounding,
                           "created_at": p.created_at.isoformat()}
    if p.card is not None:
        out["card"] = {"rrn": p.card.rrn, "auth_code": p.card.auth_code,
                       "masked_pan": p.card.masked_pan, "terminal_id": p.card.terminal_id,
                       "brand": p.card.brand}
    return out
