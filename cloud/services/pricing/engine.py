"""Price calculation: rules ordered by priority, stacked by policy, capped, then VAT.

Policy (documented because it decides money):

* Applicable rules (live at the quote's date, in scope, every condition true) are taken by
  ``priority`` descending, then rule id, so the outcome never depends on storage order.
* The first rule always applies. A later rule applies only if it is ``stackable`` and every rule
  applied so far is stackable too; a skipped rule is reported as ``rule_conflict``.
* Discounts compound on the running line amount: ``percent`` of what is left, ``amount`` per
  unit, ``fixed_price`` sets the unit price. ``markup`` rules raise the price instead.
  ``maxDiscount`` caps one rule's discount on the line; no line goes below zero.
* The line's total discount is capped at the tenant's maximum for its category and customer tier
  (``max_discount_reached``); above the approval threshold, or when an applied rule requires
  approval, the quote needs approval.
* Unit prices are net (B2B price lists); VAT is added per line with ``shared.tax`` for the
  quote's date and the tenant's country, rounded half-up per line.

Everything is integer minor units except percentages and quantities (``Decimal``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from cloud.services.catalog.thresholds import Thresholds
from cloud.services.pricing.rules import ActionType, LineFacts, Rule, RuleType, applies
from shared.money import round_half_up
from shared.tax import EXCISE_RATES, PriceBasis, compute_line, rate_for

__all__ = ["AppliedRule", "PriceItem", "Quote", "QuoteLine", "QuoteWarning", "calculate"]

_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class PriceItem:
    """One requested line: the product's facts and the quantity asked for."""

    product_id: str
    sku: str
    name: str
    category: str | None
    unit_price: int  # net, minor units
    quantity: Decimal
    vat_group: str
    excise: bool = False
    available: Decimal | None = None  # stock, when known, for a stock warning


@dataclass(frozen=True)
class AppliedRule:
    id: str
    name: str
    type: str
    discount: int  # minor units on the line (negative for a markup)


@dataclass(frozen=True)
class QuoteWarning:
    type: str
    message: str
    item_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuoteLine:
    item: PriceItem
    original: int  # line amount before rules
    final: int  # line net amount after rules (subtotal)
    discount: int
    discount_percent: Decimal
    applied: tuple[AppliedRule, ...]
    vat_rate: Decimal
    vat: int  # VAT plus excise, minor units
    total: int


@dataclass
class Quote:
    lines: list[QuoteLine]
    currency: str
    warnings: list[QuoteWarning] = field(default_factory=list)
    approval_reasons: list[str] = field(default_factory=list)

    @property
    def subtotal(self) -> int:
        return sum(ln.final for ln in self.lines)

    @property
    def original(self) -> int:
        return sum(ln.original for ln in self.lines)

    @property
    def discount(self) -> int:
        return sum(ln.discount for ln in self.lines)

    @property
    def discount_percent(self) -> Decimal:
        return _percent(self.discount, self.original)

    @property
    def vat(self) -> int:
        return sum(ln.vat for ln in self.lines)

    @property
    def total(self) -> int:
        return sum(ln.total for ln in self.lines)

    @property
    def approval_required(self) -> bool:
        return bool(self.approval_reasons)


def _percent(part: int, whole: int) -> Decimal:
    if whole <= 0:
        return Decimal(0)
    return (Decimal(part) * _HUNDRED / Decimal(whole)).quantize(Decimal("0.01"))


def _line_amount(unit_minor: int | Decimal, qty: Decimal) -> int:
    return round_half_up(Fraction(unit_minor) * Fraction(qty))


def _rule_discount(rule: Rule, running: int, qty: Decimal) -> int:
    a = rule.action
    if a.type is ActionType.PERCENT:
        d = round_half_up(Decimal(running) * a.value / _HUNDRED)
    elif a.type is ActionType.AMOUNT:
        d = _line_amount(a.value * _HUNDRED, qty)
    else:
        d = running - _line_amount(a.value * _HUNDRED, qty)
    if rule.type is RuleType.MARKUP and a.type is not ActionType.FIXED_PRICE:
        d = -d
    if a.max_discount is not None and d > 0:
        d = min(d, round_half_up(a.max_discount * _HUNDRED))
    return min(d, running)


def _price_line(item: PriceItem, rules: Sequence[Rule], facts: LineFacts,
                quote: Quote) -> tuple[int, list[AppliedRule], list[Rule]]:
    live = sorted((r for r in rules if applies(r, facts)), key=lambda r: (-r.priority, r.id))
    running = _line_amount(item.unit_price, item.quantity)
    applied: list[AppliedRule] = []
    used: list[Rule] = []
    for rule in live:
        if used and not (rule.stackable and all(u.stackable for u in used)):
            quote.warnings.append(QuoteWarning(
                "rule_conflict",
                f"rule '{rule.name}' not combined with '{used[0].name}' on {item.sku}",
                (item.product_id,)))
            continue
        d = _rule_discount(rule, running, item.quantity)
        running -= d
        applied.append(AppliedRule(rule.id, rule.name, rule.type.value, d))
        used.append(rule)
    return running, applied, used


def calculate(items: Sequence[PriceItem], rules: Sequence[Rule], *, at: datetime, country: str,
              currency: str, thresholds: Thresholds, customer_tier: str | None = None) -> Quote:
    """Price every item under ``rules`` at ``at``; see the module docstring for the policy."""
    quote = Quote([], currency)
    order_total = Decimal(sum(_line_amount(i.unit_price, i.quantity) for i in items)) / _HUNDRED
    for item in items:
        facts = LineFacts(item.product_id, item.category, item.quantity, order_total,
                          customer_tier, at)
        original = _line_amount(item.unit_price, item.quantity)
        final, applied, used = _price_line(item, rules, facts, quote)
        max_pct, approve_pct = thresholds.limits_for(item.category, customer_tier)
        floor = original - round_half_up(Decimal(original) * max_pct / _HUNDRED)
        if final < floor:
            quote.warnings.append(QuoteWarning(
                "max_discount_reached",
                f"discount on {item.sku} capped at {max_pct}%", (item.product_id,)))
            final = floor
        discount = original - final
        pct = _percent(discount, original)
        if pct > approve_pct:
            quote.approval_reasons.append(
                f"{item.sku}: discount {pct}% is above the approval threshold {approve_pct}%")
        for rule in used:
            if rule.requires_approval and (rule.approval_threshold is None
                                           or pct >= rule.approval_threshold):
                quote.approval_reasons.append(f"{item.sku}: rule '{rule.name}' needs approval")
        if item.available is not None and item.quantity > item.available:
            quote.warnings.append(QuoteWarning(
                "stock_warning", f"{item.sku}: {item.available} available, "
                                 f"{item.quantity} requested", (item.product_id,)))
        excise = item.excise and country.upper() in EXCISE_RATES
        if final > 0:
            tax = compute_line(final, 1, country=country, vat_group=item.vat_group, at=at,
                               basis=PriceBasis.NET, excise=excise)
            vat, total, rate = tax.vat + tax.excise, tax.gross, tax.vat_rate
        else:
            vat, total, rate = 0, 0, rate_for(country, item.vat_group, at)
        quote.lines.append(QuoteLine(item, original, final, discount, pct, tuple(applied),
                                     rate, vat, total))
    if quote.discount > thresholds.max_discount_amount:
        quote.approval_reasons.append(
            f"total discount {quote.discount / 100:.2f} {currency} is above the maximum "
            f"{thresholds.max_discount_amount / 100:.2f}")
    return quote
