"""The cart: lines, discounts and payments, priced with ``shared.tax`` at one timestamp.

Pure and immutable: every change returns a new :class:`Cart`, so a change that fails
validation (or fails to persist) leaves the previous cart intact.

Pricing of an active line::

    base      = fixed_gross (price label) or round_half_up(unit_price × quantity)
    after     = base − line discount                        (never below 0)
    final     = after − share of the receipt discount       (largest-remainder allocation)
    VAT, excise, net from ``shared.tax.compute_line(final, 1, …)`` at the cart's timestamp

so the receipt total is the sum of line finals and the VAT breakdown is the sum of per-line
VAT, exactly as a fiscal receipt adds up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cached_property, lru_cache

from desktop.core.errors import InvalidDiscount, LineNotFound
from desktop.core.payments import Payment
from desktop.core.quantity import Unit
from shared.money import allocate, round_half_up
from shared.tax import EXCISE_RATES, LineTax, ReceiptTax, compute_line, compute_receipt

__all__ = ["Cart", "CartLine", "Discount", "DiscountKind", "PricedLine", "line_tax"]

_CACHED = frozenset({"priced", "tax"})


class DiscountKind(StrEnum):
    """How a discount is expressed."""

    PERCENT = "percent"
    """Percent of the amount, 0 < value ≤ 100."""
    AMOUNT = "amount"
    """Fixed amount in minor units."""


@dataclass(frozen=True)
class Discount:
    """A line or receipt discount."""

    kind: DiscountKind
    value: Decimal

    def __post_init__(self) -> None:
        v = self.value
        if isinstance(v, bool) or not isinstance(v, Decimal | int) or not Decimal(v).is_finite():
            raise InvalidDiscount("discount value must be a number")
        if self.kind is DiscountKind.PERCENT and not Decimal(0) < Decimal(v) <= Decimal(100):
            raise InvalidDiscount("a percent discount is > 0 and ≤ 100")
        if self.kind is DiscountKind.AMOUNT and (Decimal(v) <= 0 or Decimal(v) != int(v)):
            raise InvalidDiscount("an amount discount is a positive whole number of minor units")

    @classmethod
    def percent(cls, value: Decimal | int | str) -> Discount:
        return cls(DiscountKind.PERCENT, Decimal(str(value)))

    @classmethod
    def amount(cls, minor: int) -> Discount:
        return cls(DiscountKind.AMOUNT, Decimal(minor))

    def amount_of(self, base: int) -> int:
        """The discount in minor units on ``base``; refused when it would exceed ``base``."""
        if self.kind is DiscountKind.PERCENT:
            return round_half_up(Fraction(base) * Fraction(self.value) / 100)
        amount = int(self.value)
        if amount > base:
            raise InvalidDiscount("the discount exceeds the amount",
                                  details={"amount": base, "discount": amount})
        return amount

    def percent_of(self, base: int) -> Decimal:
        """The discount as a percent of ``base`` (for the cashier's limit)."""
        if self.kind is DiscountKind.PERCENT:
            return Decimal(self.value)
        return Decimal(100) if base <= 0 else Decimal(int(self.value) * 100) / Decimal(base)


@dataclass(frozen=True)
class CartLine:
    """One scanned or chosen product with its quantity and price inputs."""

    line_no: int
    sku: str
    name: str
    unit: Unit
    vat_group: str
    quantity: Decimal
    list_price: int
    unit_price: int
    added_at: datetime
    product_id: int | None = None
    barcode: str | None = None
    excise: bool = False
    code: str | None = None
    age_restricted: bool = False
    fixed_gross: int | None = None
    """Amount printed on a price label; the line is exactly this (before discounts)."""
    discount: Discount | None = None
    discount_by: str | None = None
    price_override_by: str | None = None
    voided: bool = False
    voided_by: str | None = None
    excise_stamps: tuple[str, ...] = ()

    @cached_property
    def base(self) -> int:
        """Amount before discounts."""
        if self.fixed_gross is not None:
            return self.fixed_gross
        q = self.quantity
        if q == q.to_integral_value():
            return self.unit_price * int(q)
        return round_half_up(self.unit_price * q)

    @cached_property
    def line_discount(self) -> int:
        return self.discount.amount_of(self.base) if self.discount else 0


@lru_cache(maxsize=65536)
def _tax(amount: int, vat_group: str, excise: bool, country: str, day: date) -> LineTax:
    return compute_line(amount, 1, country=country, vat_group=vat_group, at=day,
                        excise=excise and country in EXCISE_RATES)


def line_tax(amount: int, vat_group: str, *, excise: bool, country: str, at: date) -> LineTax:
    """VAT and excise of a line whose gross is ``amount`` (cached: carts reprice often)."""
    return _tax(amount, vat_group, excise, country, at)


@dataclass(frozen=True)
class PricedLine:
    """A line with its amounts: ``final == tax.gross``."""

    line: CartLine
    base: int
    line_discount: int
    receipt_discount: int
    tax: LineTax

    @property
    def final(self) -> int:
        return self.tax.gross


@dataclass(frozen=True)
class Cart:
    """An open sale: lines (voided ones kept for audit), a receipt discount and payments."""

    id: str
    cashier_id: str
    cashier_name: str
    opened_at: datetime
    country: str
    currency: str
    priced_at: datetime
    """Timestamp whose VAT table prices the cart (the completion time on the receipt)."""
    cash_step: int = 1
    lines: tuple[CartLine, ...] = ()
    discount: Discount | None = None
    discount_by: str | None = None
    payments: tuple[Payment, ...] = field(default=())

    # -- reading ---------------------------------------------------------------------------

    @property
    def active_lines(self) -> tuple[CartLine, ...]:
        return tuple(line for line in self.lines if not line.voided)

    def line(self, line_no: int) -> CartLine:
        for line in self.lines:
            if line.line_no == line_no and not line.voided:
                return line
        raise LineNotFound(details={"cart_id": self.id, "line_no": line_no})

    @cached_property
    def priced(self) -> tuple[PricedLine, ...]:
        active = self.active_lines
        day = self.priced_at.date()
        bases = [ln.base for ln in active]
        afters = [b - ln.line_discount for b, ln in zip(bases, active, strict=True)]
        shares = [0] * len(active)
        if self.discount is not None and active:
            subtotal = sum(afters)
            total_off = self.discount.amount_of(subtotal)
            if total_off and subtotal:
                shares = allocate(total_off, afters)
        out = []
        for ln, base, after, share in zip(active, bases, afters, shares, strict=True):
            tax = _tax(after - share, ln.vat_group, ln.excise, self.country, day)
            out.append(PricedLine(ln, base, base - after, share, tax))
        return tuple(out)

    @cached_property
    def tax(self) -> ReceiptTax:
        return compute_receipt(p.tax for p in self.priced)

    @property
    def subtotal(self) -> int:
        """Sum of line amounts before any discount."""
        return sum(p.base for p in self.priced)

    @property
    def discount_total(self) -> int:
        return sum(p.line_discount + p.receipt_discount for p in self.priced)

    @property
    def total(self) -> int:
        """What the goods cost after discounts (before cash rounding)."""
        return self.tax.gross

    @property
    def rounding(self) -> int:
        return sum(p.rounding for p in self.payments)

    @property
    def payable(self) -> int:
        """Total plus the cash rounding already applied."""
        return self.total + self.rounding

    @property
    def paid(self) -> int:
        return sum(p.amount for p in self.payments)

    @property
    def change(self) -> int:
        return sum(p.change for p in self.payments)

    @property
    def due(self) -> int:
        """Amount still to pay (0 when fully paid)."""
        return self.payable - self.paid

    @property
    def next_line_no(self) -> int:
        return max((ln.line_no for ln in self.lines), default=0) + 1

    # -- changing (each returns a new cart) --------------------------------------------------

    def _with(self, *, keep_prices: bool = False, **changes: object) -> Cart:
        """A copy with ``changes``; cached prices are kept only when ``keep_prices`` says the
        changes cannot affect them (payments, a new timestamp on the same day)."""
        new = object.__new__(Cart)
        if keep_prices:
            new.__dict__.update(self.__dict__)
        else:
            new.__dict__.update({k: v for k, v in self.__dict__.items() if k not in _CACHED})
        new.__dict__.update(changes)
        return new

    def with_line(self, line: CartLine, at: datetime) -> Cart:
        """Add ``line`` and reprice at ``at`` (incrementally when nothing else can change)."""
        new = self._with(lines=(*self.lines, line), priced_at=at)
        if (self.discount is None and "priced" in self.__dict__
                and self.priced_at.date() == at.date()):
            extra: tuple[PricedLine, ...] = ()
            if not line.voided:
                base = line.base
                after = base - line.line_discount
                extra = (PricedLine(line, base, base - after, 0,
                                    _tax(after, line.vat_group, line.excise, self.country,
                                         at.date())),)
            new.__dict__["priced"] = self.priced + extra
        return new

    def with_replaced(self, line: CartLine, at: datetime) -> Cart:
        """Replace the line with ``line.line_no`` and reprice at ``at``."""
        lines = tuple(line if ln.line_no == line.line_no else ln for ln in self.lines)
        return self._with(lines=lines, priced_at=at)

    def with_discount(self, discount: Discount | None, by: str | None) -> Cart:
        return self._with(discount=discount, discount_by=by if discount else None)

    def with_payments(self, payments: Iterable[Payment]) -> Cart:
        return self._with(keep_prices=True, payments=tuple(payments))

    def repriced(self, at: datetime) -> Cart:
        """The cart priced at ``at`` (VAT tables change at midnight, never within a day)."""
        return self._with(keep_prices=at.date() == self.priced_at.date(), priced_at=at)
