"""Returns: what is still returnable from a receipt and the amounts of a return line.

A partial return takes ``round_half_up(line amount × returned / sold)``; the return that takes
the last units gets exactly what is left, so all returns of a line add up to the original line
(gross, net, VAT and excise alike). VAT uses the original sale's date and rates.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from desktop.core.cart import line_tax
from desktop.core.errors import LineNotFound, ReturnExceedsSale
from desktop.core.ports import ReturnedAmounts
from desktop.core.quantity import parse_quantity
from desktop.core.receipt import Receipt, ReceiptLine
from shared.money import round_half_up

__all__ = ["ReturnItem", "Returnable", "ReturnableLine", "return_line"]


@dataclass(frozen=True)
class ReturnItem:
    """Return ``quantity`` of line ``line_no`` of the original receipt."""

    line_no: int
    quantity: Decimal | int | str


@dataclass(frozen=True)
class ReturnableLine:
    line: ReceiptLine
    returned: Decimal
    """Quantity already returned by earlier returns."""

    @property
    def remaining(self) -> Decimal:
        return self.line.quantity - self.returned


@dataclass(frozen=True)
class Returnable:
    """An original receipt with what can still be returned and refunded."""

    receipt: Receipt
    lines: tuple[ReturnableLine, ...]
    refundable: dict[str, int]
    """Per payment type: amount paid on the original minus earlier refunds of that type."""

    def line(self, line_no: int) -> ReturnableLine:
        for rl in self.lines:
            if rl.line.line_no == line_no:
                return rl
        raise LineNotFound(details={"receipt": self.receipt.number, "line_no": line_no})

    @property
    def fully_returned(self) -> bool:
        return all(rl.remaining <= 0 for rl in self.lines)


_ZERO = ReturnedAmounts(Decimal(0), 0, 0, 0, 0, 0, 0, 0)


def return_line(rl: ReturnableLine, quantity: Decimal | int | str, done: ReturnedAmounts | None,
                *, line_no: int, country: str, original: Receipt) -> ReceiptLine:
    """The return line for ``quantity`` of ``rl`` given what earlier returns took."""
    src = rl.line
    qty = parse_quantity(quantity, src.unit)
    if qty > rl.remaining:
        raise ReturnExceedsSale(details={"line_no": src.line_no, "sold": str(src.quantity),
                                         "returned": str(rl.returned), "asked": str(qty)})
    done = done or _ZERO
    if qty == rl.remaining:  # the last units take exactly what is left
        base = src.base - done.base
        ld = src.line_discount - done.line_discount
        rd = src.receipt_discount - done.receipt_discount
        gross, net = src.gross - done.gross, src.net - done.net
        vat, excise = src.vat - done.vat, src.excise - done.excise
    else:
        share = Fraction(qty) / Fraction(src.quantity)
        gross = min(round_half_up(src.gross * share), src.gross - done.gross)
        disc = round_half_up(src.discount * share)
        ld = min(round_half_up(src.line_discount * share), disc)
        rd = disc - ld
        base = gross + disc
        tax = line_tax(gross, src.vat_group, excise=src.excise_rate > 0, country=country,
                       at=original.completed_at.date())
        net, vat, excise = tax.net, tax.vat, tax.excise
    unit_price = src.unit_price
    return ReceiptLine(
        line_no=line_no, sku=src.sku, name=src.name, unit=src.unit, quantity=qty,
        unit_price=unit_price, list_price=src.list_price, base=base, line_discount=ld,
        receipt_discount=rd, gross=gross, net=net, vat=vat, excise=excise,
        vat_group=src.vat_group, vat_rate=src.vat_rate, excise_rate=src.excise_rate,
        product_id=src.product_id, barcode=src.barcode, code=src.code,
        fixed_gross=None, price_override_by=src.price_override_by, discount_by=src.discount_by,
        original_line_no=src.line_no)
