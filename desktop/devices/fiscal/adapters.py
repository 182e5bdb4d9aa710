"""From the till core's documents to fiscal documents, and fiscal results back into the core.

Read-only use of ``desktop.core``: a completed ``Receipt`` (sale or return) or a
``CashMovement`` becomes a ``FiscalReceipt``/``CashOperation`` with the *same id* (so the device's
idempotency key is the core's receipt id), and ``record_in_till`` stores the device's answer
with ``Till.record_fiscal_result``. Receipt-level discounts are already spread over the lines
by the core (``receipt_discount``), so each line's discount is ``round(price × qty) − gross``.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from desktop.devices.fiscal.errors import FiscalInvalid
from desktop.devices.fiscal.model import (
    CashOperation,
    DocKind,
    FiscalLine,
    FiscalReceipt,
    FiscalResult,
    Payment,
    PaymentKind,
)
from shared.money import round_half_up

if TYPE_CHECKING:
    from desktop.core import CashMovement, Receipt, Till

__all__ = ["cash_from_core", "receipt_from_core", "record_in_till"]


def receipt_from_core(r: Receipt, *, original_fiscal_number: str | None = None
                      ) -> FiscalReceipt:
    """A core receipt as a fiscal receipt; a return needs the original's fiscal number."""
    lines = []
    for ln in r.lines:
        amount = round_half_up(Decimal(ln.unit_price) * ln.quantity)
        discount = amount - ln.gross
        if discount < 0:
            raise FiscalInvalid(f"line {ln.line_no}: gross {ln.gross} exceeds price × quantity "
                                f"{amount}; fiscal devices cannot print a surcharge",
                                field=f"lines.{ln.line_no}")
        lines.append(FiscalLine(ln.name, ln.quantity, ln.unit_price, ln.vat_group, ln.vat_rate,
                                ln.excise_rate > 0, discount, ln.sku, ln.barcode, ln.code))
    payments = tuple(Payment(PaymentKind(p.kind.value), p.amount) for p in r.payments)
    is_return = r.kind.value == "return"
    return FiscalReceipt(
        uuid.UUID(r.id), tuple(lines), payments, r.completed_at, r.country, r.cashier_name,
        is_return, original_fiscal_number if is_return else None, rounding=r.rounding,
        order_id=r.number, header="\n".join(r.header) or None,
        footer="\n".join(r.footer) or None)


def cash_from_core(m: CashMovement) -> CashOperation:
    kind = DocKind.DEPOSIT if m.kind.value == "in" else DocKind.WITHDRAW
    return CashOperation(uuid.UUID(m.id), kind, m.amount, m.created_at, m.user_id, m.reason)


def record_in_till(till: Till, result: FiscalResult) -> None:
    """Store the device's answer on the core document (idempotent in the core). Cash
    operations on a Datecs have no fiscal number and are not recorded."""
    if not result.fiscal_number:
        return
    till.record_fiscal_result(
        str(result.receipt_id), fiscal_number=result.fiscal_number,
        fiscal_date=result.fiscal_date, verification_url=result.verify_url,
        device_id=result.device,
        extra={"offline": result.offline, "device_ref": result.device_ref})
