"""Device-neutral fiscal documents and results: what the till asks for and what a device issued.

Money is integer minor units, quantities ``Decimal`` with at most three decimals (weighed goods),
prices VAT-inclusive (retail). Each line carries its ``shared.tax`` group *and* the rate that
group had at the receipt's timestamp, so a receipt keeps its meaning after the law changes.
Documents serialise to plain JSON for the journal (``to_json``/``document_from_json``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from desktop.devices.fiscal.errors import FiscalInvalid, OriginalNotFound, PaymentMismatch
from shared.money import round_half_up
from shared.tax import LineTax, compute_line, rate_for

__all__ = [
    "CashOperation",
    "DocKind",
    "FiscalDocument",
    "FiscalLine",
    "FiscalReceipt",
    "FiscalResult",
    "GroupTotals",
    "Payment",
    "PaymentKind",
    "ReportTotals",
    "ShiftInfo",
    "document_from_json",
    "line",
]

_QTY_STEP = Decimal("0.001")
MAX_LINE = 999_999_999
"""Price × quantity a fiscal line may carry (Datecs: 9 999 999.99)."""


class DocKind(StrEnum):
    """What a fiscal document does."""

    SALE = "sale"
    """A sale receipt."""
    RETURN = "return"
    """A refund receipt that references the original sale's fiscal number."""
    DEPOSIT = "deposit"
    """Service receipt: cash put into the drawer."""
    WITHDRAW = "withdraw"
    """Service receipt: cash taken out of the drawer."""


class PaymentKind(StrEnum):
    """How the customer paid."""

    CASH = "cash"
    """Notes and coins: the only kind that may exceed the total (change)."""
    CARD = "card"
    """Card/cashless: must not exceed what is due."""


@dataclass(frozen=True)
class FiscalLine:
    """One receipt line; ``gross`` is what the customer pays for it after its discount."""

    name: str
    qty: Decimal
    unit_price: int
    vat_group: str
    vat_rate: Decimal
    excise: bool = False
    discount: int = 0
    sku: str = ""
    barcode: str | None = None
    uktzed: str | None = None

    @property
    def amount(self) -> int:
        """``unit_price × qty`` rounded half-up, before the discount."""
        return round_half_up(Decimal(self.unit_price) * self.qty)

    @property
    def gross(self) -> int:
        return self.amount - self.discount

    def tax(self, country: str, at: datetime) -> LineTax:
        """VAT and excise of this line with ``shared.tax`` (one rounding per line)."""
        return compute_line(self.gross, 1, country=country, vat_group=self.vat_group, at=at,
                            excise=self.excise)

    def check(self) -> None:
        if not self.name.strip():
            raise FiscalInvalid("a line needs a name", field="name")
        if self.qty <= 0 or self.qty != self.qty.quantize(_QTY_STEP):
            raise FiscalInvalid(f"quantity {self.qty} must be > 0 with at most 3 decimals",
                                field="quantity")
        if self.unit_price < 0:
            raise FiscalInvalid("price must not be negative", field="price")
        if self.discount < 0 or self.discount > self.amount:
            raise FiscalInvalid("discount must be between 0 and the line amount",
                                field="discount")
        if self.amount > MAX_LINE:
            raise FiscalInvalid("a line may not exceed 9 999 999.99 (fiscal device limit)",
                                field="price")

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "qty": str(self.qty), "unit_price": self.unit_price,
                "vat_group": self.vat_group, "vat_rate": str(self.vat_rate),
                "excise": self.excise, "discount": self.discount, "sku": self.sku,
                "barcode": self.barcode, "uktzed": self.uktzed}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> FiscalLine:
        return cls(d["name"], Decimal(d["qty"]), int(d["unit_price"]), d["vat_group"],
                   Decimal(d["vat_rate"]), bool(d["excise"]), int(d["discount"]), d["sku"],
                   d.get("barcode"), d.get("uktzed"))


def line(name: str, qty: Decimal | int | str, unit_price: int, vat_group: str, *, country: str,
         at: datetime, excise: bool = False, discount: int = 0, sku: str = "",
         barcode: str | None = None, uktzed: str | None = None) -> FiscalLine:
    """Build a line, taking the VAT rate of ``vat_group`` from the table valid at ``at``."""
    return FiscalLine(name, Decimal(qty), unit_price, vat_group,
                      rate_for(country, vat_group, at), excise, discount, sku, barcode, uktzed)


@dataclass(frozen=True)
class Payment:
    kind: PaymentKind
    amount: int

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "amount": self.amount}


@dataclass(frozen=True)
class FiscalReceipt:
    """A sale or a return. ``receipt_id`` is ours and is the device's idempotency key."""

    receipt_id: uuid.UUID
    lines: tuple[FiscalLine, ...]
    payments: tuple[Payment, ...]
    at: datetime
    country: str
    cashier: str = ""
    is_return: bool = False
    original_fiscal_number: str | None = None
    original_receipt_id: uuid.UUID | None = None
    original_fiscal_date: datetime | None = None
    rounding: int = 0
    order_id: str | None = None
    header: str | None = None
    footer: str | None = None
    customer_email: str | None = None
    customer_phone: str | None = None

    @property
    def kind(self) -> DocKind:
        return DocKind.RETURN if self.is_return else DocKind.SALE

    @property
    def total(self) -> int:
        return sum(ln.gross for ln in self.lines) + self.rounding

    @property
    def paid(self) -> int:
        return sum(p.amount for p in self.payments)

    @property
    def change(self) -> int:
        return self.paid - self.total

    def check(self) -> None:
        """Refuse a document no fiscal device may issue (nothing is recorded on failure)."""
        if self.at.tzinfo is None:
            raise FiscalInvalid("receipt timestamp must be timezone-aware")
        if not self.lines:
            raise FiscalInvalid("a receipt needs at least one line", field="items")
        for ln in self.lines:
            ln.check()
        if abs(self.rounding) >= 50:
            raise FiscalInvalid("rounding must stay below half a unit", field="rounding")
        if any(p.amount <= 0 for p in self.payments):
            raise PaymentMismatch("every payment must be positive", field="payments")
        if self.is_return and not (self.original_fiscal_number or "").strip():
            raise OriginalNotFound("a return must reference the original fiscal number",
                                   field="originalFiscalCode")
        cash = sum(p.amount for p in self.payments if p.kind is PaymentKind.CASH)
        details = {"total": self.total, "paid": self.paid}
        if self.total <= 0:
            raise FiscalInvalid("the receipt total must be positive", details=details)
        if self.paid < self.total:
            raise PaymentMismatch(f"payments {self.paid} do not cover total {self.total}",
                                  details=details)
        if self.change > cash or (self.is_return and self.change):
            raise PaymentMismatch(f"payments {self.paid} exceed total {self.total}; only cash "
                                  "may be overpaid on a sale", details=details)

    def to_json(self) -> dict[str, Any]:
        return {"type": self.kind.value, "receipt_id": str(self.receipt_id),
                "lines": [ln.to_json() for ln in self.lines],
                "payments": [p.to_json() for p in self.payments], "at": self.at.isoformat(),
                "country": self.country, "cashier": self.cashier, "is_return": self.is_return,
                "original_fiscal_number": self.original_fiscal_number,
                "original_receipt_id": (str(self.original_receipt_id)
                                        if self.original_receipt_id else None),
                "original_fiscal_date": (self.original_fiscal_date.isoformat()
                                         if self.original_fiscal_date else None),
                "rounding": self.rounding, "order_id": self.order_id, "header": self.header,
                "footer": self.footer, "customer_email": self.customer_email,
                "customer_phone": self.customer_phone}


@dataclass(frozen=True)
class CashOperation:
    """A service receipt: deposit (float in) or withdrawal (cash out of the drawer)."""

    receipt_id: uuid.UUID
    kind: DocKind
    amount: int
    at: datetime
    cashier: str = ""
    comment: str = ""
    order_id: str | None = None

    @property
    def total(self) -> int:
        return self.amount

    def check(self) -> None:
        if self.kind not in (DocKind.DEPOSIT, DocKind.WITHDRAW):
            raise FiscalInvalid(f"not a cash operation: {self.kind}")
        if self.amount <= 0:
            raise FiscalInvalid("amount must be positive", field="amount")
        if self.at.tzinfo is None:
            raise FiscalInvalid("timestamp must be timezone-aware")

    def to_json(self) -> dict[str, Any]:
        return {"type": self.kind.value, "receipt_id": str(self.receipt_id),
                "amount": self.amount, "at": self.at.isoformat(), "cashier": self.cashier,
                "comment": self.comment, "order_id": self.order_id}


FiscalDocument = FiscalReceipt | CashOperation


def document_from_json(d: dict[str, Any]) -> FiscalDocument:
    """Inverse of ``to_json`` for both document types."""
    kind = DocKind(d["type"])
    if kind in (DocKind.DEPOSIT, DocKind.WITHDRAW):
        return CashOperation(uuid.UUID(d["receipt_id"]), kind, int(d["amount"]),
                             datetime.fromisoformat(d["at"]), d.get("cashier", ""),
                             d.get("comment", ""), d.get("order_id"))
    orig = d.get("original_receipt_id")
    orig_date = d.get("original_fiscal_date")
    return FiscalReceipt(
        uuid.UUID(d["receipt_id"]), tuple(FiscalLine.from_json(x) for x in d["lines"]),
        tuple(Payment(PaymentKind(p["kind"]), int(p["amount"])) for p in d["payments"]),
        datetime.fromisoformat(d["at"]), d["country"], d.get("cashier", ""),
        bool(d["is_return"]), d.get("original_fiscal_number"),
        uuid.UUID(orig) if orig else None,
        datetime.fromisoformat(orig_date) if orig_date else None,
        int(d.get("rounding", 0)), d.get("order_id"), d.get("header"), d.get("footer"),
        d.get("customer_email"), d.get("customer_phone"))


@dataclass(frozen=True)
class FiscalResult:
    """What the device issued: the proof a cashier hands over and the journal keeps."""

    receipt_id: uuid.UUID
    kind: DocKind
    device: str
    fiscal_number: str | None
    fiscal_date: datetime
    total: int
    verify_url: str | None = None
    qr_payload: str | None = None
    pdf_url: str | None = None
    offline: bool = False
    device_ref: str | None = None
    text: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"receipt_id": str(self.receipt_id), "kind": self.kind.value,
                "device": self.device, "fiscal_number": self.fiscal_number,
                "fiscal_date": self.fiscal_date.isoformat(), "total": self.total,
                "verify_url": self.verify_url, "qr_payload": self.qr_payload,
                "pdf_url": self.pdf_url, "offline": self.offline, "device_ref": self.device_ref,
                "text": self.text}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> FiscalResult:
        return cls(uuid.UUID(d["receipt_id"]), DocKind(d["kind"]), d["device"],
                   d.get("fiscal_number"), datetime.fromisoformat(d["fiscal_date"]),
                   int(d["total"]), d.get("verify_url"), d.get("qr_payload"), d.get("pdf_url"),
                   bool(d.get("offline")), d.get("device_ref"), d.get("text"))


@dataclass(frozen=True)
class GroupTotals:
    """One VAT group's turnover (VAT-inclusive) and VAT, as a device's report states them."""

    key: str
    rate: Decimal | None
    label: str
    sales: int = 0
    returns: int = 0
    sales_vat: int | None = None
    returns_vat: int | None = None


@dataclass(frozen=True)
class ReportTotals:
    """An X or Z report as the device reported it."""

    kind: str
    number: int | None
    at: datetime
    device: str
    groups: tuple[GroupTotals, ...] = ()
    sales_total: int = 0
    returns_total: int = 0
    receipts_count: int | None = None
    returns_count: int | None = None
    cash_in: int = 0
    cash_out: int = 0
    payments: dict[str, dict[str, int]] = field(default_factory=dict)
    fiscal_number: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "number": self.number, "at": self.at.isoformat(),
                "device": self.device, "fiscal_number": self.fiscal_number,
                "sales_total": self.sales_total, "returns_total": self.returns_total,
                "receipts_count": self.receipts_count, "returns_count": self.returns_count,
                "cash_in": self.cash_in, "cash_out": self.cash_out, "payments": self.payments,
                "groups": [{"key": g.key, "rate": None if g.rate is None else str(g.rate),
                            "label": g.label, "sales": g.sales, "returns": g.returns,
                            "sales_vat": g.sales_vat, "returns_vat": g.returns_vat}
                           for g in self.groups]}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ReportTotals:
        groups = tuple(GroupTotals(g["key"], None if g["rate"] is None else Decimal(g["rate"]),
                                   g["label"], g["sales"], g["returns"], g.get("sales_vat"),
                                   g.get("returns_vat")) for g in d["groups"])
        return cls(d["kind"], d["number"], datetime.fromisoformat(d["at"]), d["device"], groups,
                   d["sales_total"], d["returns_total"], d.get("receipts_count"),
                   d.get("returns_count"), d["cash_in"], d["cash_out"], d.get("payments", {}),
                   d.get("fiscal_number"))


@dataclass(frozen=True)
class ShiftInfo:
    """A fiscal shift (fiscal day) as the device or service knows it."""

    id: str
    serial: int
    opened_at: datetime
    device: str
    cashier: str = ""
    device_ref: str | None = None
