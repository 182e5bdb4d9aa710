"""Pricing rules as values: what a rule matches (conditions, scope, dates) and what it does.

A rule is data (stored as JSON columns); this module parses the wire form into frozen values
and decides whether a rule applies to one line. The engine (:mod:`.engine`) orders and stacks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

__all__ = [
    "TIERS",
    "Action",
    "ActionType",
    "Condition",
    "LineFacts",
    "Rule",
    "RuleInvalid",
    "RuleType",
    "Scope",
    "applies",
    "in_scope",
    "in_window",
    "parse_action",
    "parse_conditions",
    "parse_scope",
]


class RuleInvalid(ValueError):
    """A pricing rule's conditions, action or scope cannot be understood."""

    def __init__(self, field: str, message: str, code: str = "VAL_INVALID_FORMAT") -> None:
        super().__init__(message)
        self.field = field
        self.code = code


class RuleType(StrEnum):
    """Why the rule exists; ``markup`` raises the price, the others lower it."""

    DISCOUNT = "discount"
    MARKUP = "markup"
    QUANTITY = "quantity"
    CUSTOMER_TIER = "customer_tier"
    SEASONAL = "seasonal"


class ActionType(StrEnum):
    """How the price changes: by a percentage, by an amount per unit, or to a fixed unit price."""

    PERCENT = "percent"
    AMOUNT = "amount"
    FIXED_PRICE = "fixed_price"


_FIELDS = ("quantity", "total", "customer_tier", "date", "product", "category")
_OPERATORS = ("eq", "gt", "gte", "lt", "lte", "in", "between")
_SCOPES = ("all", "products", "categories", "customers")
TIERS = ("bronze", "silver", "gold")


@dataclass(frozen=True)
class Condition:
    field: str
    operator: str
    value: Any


@dataclass(frozen=True)
class Action:
    type: ActionType
    value: Decimal
    max_discount: Decimal | None = None  # major units, per line


@dataclass(frozen=True)
class Scope:
    type: str = "all"
    product_ids: frozenset[str] = frozenset()
    category_ids: frozenset[str] = frozenset()
    customer_tiers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rule:
    """One pricing rule, as the engine sees it."""

    id: str
    name: str
    type: RuleType
    action: Action
    conditions: tuple[Condition, ...] = ()
    scope: Scope = field(default_factory=Scope)
    priority: int = 0
    stackable: bool = False
    status: str = "active"
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    requires_approval: bool = False
    approval_threshold: Decimal | None = None  # percent


@dataclass(frozen=True)
class LineFacts:
    """What conditions can look at for one line."""

    product_id: str
    category: str | None
    quantity: Decimal
    order_total: Decimal  # major units, before discounts
    customer_tier: str | None
    at: datetime


def _num(value: Any, where: str) -> Decimal:
    if isinstance(value, bool):
        raise RuleInvalid(where, f"{where} must be a number")
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise RuleInvalid(where, f"{where} must be a number") from None
    if not d.is_finite():
        raise RuleInvalid(where, f"{where} must be finite")
    return d


def parse_conditions(raw: Sequence[Mapping[str, Any]] | None) -> tuple[Condition, ...]:
    out: list[Condition] = []
    for i, c in enumerate(raw or ()):
        where = f"conditions[{i}]"
        f, op, value = c.get("field"), c.get("operator"), c.get("value")
        if f not in _FIELDS:
            raise RuleInvalid(f"{where}.field", f"field must be one of {', '.join(_FIELDS)}",
                              "VAL_INVALID_ENUM")
        if op not in _OPERATORS:
            raise RuleInvalid(f"{where}.operator",
                              f"operator must be one of {', '.join(_OPERATORS)}",
                              "VAL_INVALID_ENUM")
        if op == "in" and not isinstance(value, list):
            raise RuleInvalid(f"{where}.value", "'in' needs a list")
        if op == "between" and not (isinstance(value, list) and len(value) == 2):
            raise RuleInvalid(f"{where}.value", "'between' needs [low, high]")
        values = value if isinstance(value, list) else [value]
        if f in ("quantity", "total"):
            for v in values:
                _num(v, f"{where}.value")
        if f == "date":
            for v in values:
                _as_date(v, f"{where}.value")
        out.append(Condition(f, op, value))
    return tuple(out)


def parse_action(raw: Mapping[str, Any], rule_type: RuleType) -> Action:
    kind = raw.get("type")
    try:
        at = ActionType(kind)
    except ValueError:
        raise RuleInvalid("action.type", "action.type must be percent, amount or fixed_price",
                          "VAL_INVALID_ENUM") from None
    value = _num(raw.get("value"), "action.value")
    if value < 0:
        raise RuleInvalid("action.value", "action.value must be zero or more", "VAL_OUT_OF_RANGE")
    if at is ActionType.PERCENT and value > 100 and rule_type is not RuleType.MARKUP:
        raise RuleInvalid("action.value", "a discount cannot exceed 100%", "VAL_OUT_OF_RANGE")
    cap = raw.get("maxDiscount")
    max_discount = _num(cap, "action.maxDiscount") if cap is not None else None
    if max_discount is not None and max_discount < 0:
        raise RuleInvalid("action.maxDiscount", "must be zero or more", "VAL_OUT_OF_RANGE")
    return Action(at, value, max_discount)


def parse_scope(raw: Mapping[str, Any] | None) -> Scope:
    raw = raw or {"type": "all"}
    kind = raw.get("type", "all")
    if kind not in _SCOPES:
        raise RuleInvalid("scope.type", f"scope.type must be one of {', '.join(_SCOPES)}",
                          "VAL_INVALID_ENUM")
    tiers = frozenset(str(t) for t in raw.get("customerTiers") or ())
    if tiers - set(TIERS):
        raise RuleInvalid("scope.customerTiers", f"tiers are {', '.join(TIERS)}",
                          "VAL_INVALID_ENUM")
    scope = Scope(kind, frozenset(str(p) for p in raw.get("productIds") or ()),
                  frozenset(str(c) for c in raw.get("categoryIds") or ()), tiers)
    needs = {"products": scope.product_ids, "categories": scope.category_ids,
             "customers": scope.customer_tiers}
    if kind in needs and not needs[kind]:
        key = {"products": "productIds", "categories": "categoryIds",
               "customers": "customerTiers"}[kind]
        raise RuleInvalid(f"scope.{key}", f"scope {kind} needs {key}", "VAL_REQUIRED_FIELD")
    return scope


def _as_date(v: Any, where: str = "value") -> date:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v)[:10])
    except ValueError:
        raise RuleInvalid(where, f"{where} must be an ISO date") from None


def _compare(actual: Any, op: str, expected: Any) -> bool:
    if op == "in":
        return actual in expected
    if op == "between":
        low, high = expected
        return low <= actual <= high
    return {
        "eq": actual == expected, "gt": actual > expected, "gte": actual >= expected,
        "lt": actual < expected, "lte": actual <= expected,
    }[op]


def _condition_holds(c: Condition, facts: LineFacts) -> bool:
    def conv(v: Any) -> Any:
        if c.field in ("quantity", "total"):
            return _num(v, "value")
        if c.field == "date":
            return _as_date(v)
        return str(v)

    expected = [conv(v) for v in c.value] if isinstance(c.value, list) else conv(c.value)
    actual: Any = {
        "quantity": facts.quantity,
        "total": facts.order_total,
        "customer_tier": facts.customer_tier,
        "date": facts.at.date(),
        "product": facts.product_id,
        "category": facts.category,
    }[c.field]
    if actual is None:
        return False
    return _compare(actual, c.operator, expected)


def in_window(rule: Rule, at: datetime) -> bool:
    if rule.status == "inactive":
        return False
    if rule.starts_at is not None and at < rule.starts_at:
        return False
    return not (rule.ends_at is not None and at >= rule.ends_at)


def in_scope(rule: Rule, facts: LineFacts) -> bool:
    s = rule.scope
    if s.type == "products":
        return facts.product_id in s.product_ids
    if s.type == "categories":
        return facts.category is not None and facts.category in s.category_ids
    if s.type == "customers":
        return facts.customer_tier is not None and facts.customer_tier in s.customer_tiers
    return True


def applies(rule: Rule, facts: LineFacts) -> bool:
    """Whether ``rule`` is live at ``facts.at``, covers this line and all its conditions hold."""
    return (in_window(rule, facts.at) and in_scope(rule, facts)
            and all(_condition_holds(c, facts) for c in rule.conditions))
