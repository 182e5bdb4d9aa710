"""The rule engine: priority, stacking, caps, dates, tiers, quantity breaks, VAT, approval."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from cloud.services.catalog.thresholds import CategoryLimit, Thresholds
from cloud.services.pricing.engine import PriceItem, calculate
from cloud.services.pricing.rules import (
    Action,
    ActionType,
    Condition,
    Rule,
    RuleInvalid,
    RuleType,
    Scope,
    parse_action,
    parse_conditions,
    parse_scope,
)

AT = datetime(2026, 3, 2, 10, tzinfo=UTC)
WIDE = Thresholds(max_discount_percent=Decimal(90), approval_threshold=Decimal(50))


def item(qty: str = "1", price: int = 10_000, category: str = "socks",
         group: str = "standard", pid: str = "p1") -> PriceItem:
    return PriceItem(pid, pid.upper(), "Socks", category, price, Decimal(qty), group)


def pct(rid: str, value: str, **kw) -> Rule:
    return Rule(rid, rid, kw.pop("type", RuleType.DISCOUNT),
                Action(ActionType.PERCENT, Decimal(value), kw.pop("cap", None)), **kw)


def test_no_rules_adds_vat_per_line() -> None:
    q = calculate([item("3", 1999)], [], at=AT, country="RO", currency="RON", thresholds=WIDE)
    line = q.lines[0]
    assert (line.original, line.final, line.vat, line.total) == (5997, 5997, 1259, 7256)
    assert line.vat_rate == Decimal(21) and not q.approval_required


def test_vat_follows_the_date_of_the_quote() -> None:
    before = datetime(2025, 7, 1, tzinfo=UTC)
    q = calculate([item(group="reduced")], [], at=before, country="RO", currency="RON",
                  thresholds=WIDE)
    assert q.lines[0].vat_rate == Decimal(9) and q.lines[0].vat == 900


def test_highest_priority_applies_and_non_stackable_blocks_the_rest() -> None:
    rules = [pct("low", "5", priority=1, stackable=True), pct("high", "20", priority=10)]
    q = calculate([item()], rules, at=AT, country="RO", currency="RON", thresholds=WIDE)
    assert [a.id for a in q.lines[0].applied] == ["high"]
    assert q.lines[0].final == 8000
    assert [w.type for w in q.warnings] == ["rule_conflict"]


def test_stackable_rules_compound_in_priority_order() -> None:
    rules = [pct("a", "10", priority=5, stackable=True), pct("b", "10", priority=3,
                                                            stackable=True)]
    q = calculate([item()], rules, at=AT, country="RO", currency="RON", thresholds=WIDE)
    assert q.lines[0].final == 8100 and q.lines[0].discount == 1900


def test_quantity_break_tier_date_window_and_category_scope() -> None:
    qty_break = Rule("qty", "10+ units", RuleType.QUANTITY,
                     Action(ActionType.AMOUNT, Decimal("1.50")),
                     (Condition("quantity", "gte", 10),), stackable=True, priority=2)
    gold = Rule("gold", "gold tier", RuleType.CUSTOMER_TIER,
                Action(ActionType.PERCENT, Decimal(5)),
                scope=Scope("customers", customer_tiers=frozenset({"gold"})), stackable=True)
    march = Rule("march", "March", RuleType.SEASONAL, Action(ActionType.PERCENT, Decimal(50)),
                 starts_at=datetime(2026, 4, 1, tzinfo=UTC))
    other_cat = Rule("cat", "shoes only", RuleType.DISCOUNT,
                     Action(ActionType.PERCENT, Decimal(50)),
                     scope=Scope("categories", category_ids=frozenset({"shoes"})))
    rules = [qty_break, gold, march, other_cat]
    few = calculate([item("9")], rules, at=AT, country="RO", currency="RON", thresholds=WIDE,
                    customer_tier="silver")
    assert few.lines[0].applied == ()
    many = calculate([item("10")], rules, at=AT, country="RO", currency="RON", thresholds=WIDE,
                     customer_tier="gold")
    assert [a.id for a in many.lines[0].applied] == ["qty", "gold"]
    # 10 × 100.00 = 1000.00; −15.00 → 985.00; −5% → 935.75
    assert many.lines[0].final == 93_575


def test_fixed_price_markup_and_cap() -> None:
    fixed = Rule("f", "fixed", RuleType.DISCOUNT, Action(ActionType.FIXED_PRICE, Decimal(70)))
    q = calculate([item("2")], [fixed], at=AT, country="RO", currency="RON", thresholds=WIDE)
    assert q.lines[0].final == 14_000
    markup = pct("m", "10", type=RuleType.MARKUP)
    q = calculate([item()], [markup], at=AT, country="RO", currency="RON", thresholds=WIDE)
    assert q.lines[0].final == 11_000 and q.lines[0].discount == -1000
    capped = pct("c", "50", cap=Decimal(5))
    q = calculate([item()], [capped], at=AT, country="RO", currency="RON", thresholds=WIDE)
    assert q.lines[0].final == 9_500


def test_threshold_caps_and_approval() -> None:
    th = Thresholds(max_discount_percent=Decimal(30), approval_threshold=Decimal(15),
                    by_category=(CategoryLimit("socks", "Socks", Decimal(25), Decimal(10)),))
    q = calculate([item()], [pct("big", "40")], at=AT, country="RO", currency="RON",
                  thresholds=th)
    assert q.lines[0].final == 7_500  # capped at the category's 25 %
    assert "max_discount_reached" in [w.type for w in q.warnings]
    assert q.approval_required and "10" in q.approval_reasons[0]
    needs = pct("ok", "5", requires_approval=True)
    q = calculate([item()], [needs], at=AT, country="RO", currency="RON", thresholds=th)
    assert q.approval_required and "needs approval" in q.approval_reasons[0]


def test_ukraine_adds_excise_on_excise_goods() -> None:
    ex = PriceItem("p", "P", "Cigarettes", None, 10_000, Decimal(1), "standard", excise=True)
    q = calculate([ex], [], at=AT, country="UA", currency="UAH", thresholds=WIDE)
    assert q.lines[0].vat == 2000 + 600 and q.lines[0].total == 12_600


def test_rule_documents_are_validated() -> None:
    assert parse_conditions([{"field": "quantity", "operator": "between", "value": [1, 5]}])
    with pytest.raises(RuleInvalid):
        parse_conditions([{"field": "colour", "operator": "eq", "value": 1}])
    with pytest.raises(RuleInvalid):
        parse_conditions([{"field": "quantity", "operator": "in", "value": 3}])
    with pytest.raises(RuleInvalid):
        parse_action({"type": "percent", "value": 120}, RuleType.DISCOUNT)
    with pytest.raises(RuleInvalid):
        parse_scope({"type": "products"})
