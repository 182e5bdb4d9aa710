"""Pricing rules in the database, thresholds per tenant, and quotes for stored products."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from cloud.models.catalog import Category, PricingRule, Product
from cloud.models.stores import StorePrice
from cloud.services import feed
from cloud.services.catalog.errors import FieldError, ProductInvalid, ProductNotFound
from cloud.services.catalog.settings import policy, save_policy
from cloud.services.catalog.thresholds import Thresholds
from cloud.services.pricing.engine import PriceItem, Quote, calculate
from cloud.services.pricing.rules import (
    Rule,
    RuleInvalid,
    RuleType,
    parse_action,
    parse_conditions,
    parse_scope,
)
from cloud.services.stock.queries import totals_subquery, zero_if_null

__all__ = ["RuleFilters", "create_rule", "effective_status", "list_rules", "quote",
           "rules_for_product", "set_thresholds", "thresholds", "to_engine"]


def effective_status(rule: PricingRule, now: datetime) -> str:
    """``scheduled`` while an active rule's window has not opened yet."""
    if rule.status == "active" and rule.starts_at is not None and rule.starts_at > now:
        return "scheduled"
    return rule.status


def to_engine(rule: PricingRule, category_names: Mapping[str, str] | None = None) -> Rule:
    rtype = RuleType(rule.type)
    scope = parse_scope(rule.scope)
    if category_names:  # scopes may name categories by id; the engine compares names
        scope = type(scope)(scope.type, scope.product_ids,
                            frozenset(category_names.get(c, c) for c in scope.category_ids),
                            scope.customer_tiers)
    return Rule(id=str(rule.id), name=rule.name, type=rtype, action=parse_action(rule.action,
                rtype), conditions=parse_conditions(rule.conditions), scope=scope,
                priority=rule.priority, stackable=rule.stackable, status=rule.status,
                starts_at=rule.starts_at, ends_at=rule.ends_at,
                requires_approval=rule.requires_approval,
                approval_threshold=rule.approval_threshold)


def create_rule(session: Session, *, tenant_id: uuid.UUID, data: Mapping[str, Any],
                actor_id: str, now: datetime) -> PricingRule:
    """Validate and store a rule (wire-named ``data``); published to tills via the feed."""
    try:
        rtype = RuleType(data["type"])
    except ValueError:
        raise ProductInvalid([FieldError("type", "VAL_INVALID_ENUM",
                                         f"type must be one of {[t.value for t in RuleType]}")
                              ]) from None
    try:
        conditions = parse_conditions(data.get("conditions") or [])
        parse_action(data["action"], rtype)
        parse_scope(data.get("scope"))
    except RuleInvalid as exc:
        raise ProductInvalid([FieldError(exc.field, exc.code, str(exc))]) from exc
    starts, ends = data.get("startsAt"), data.get("endsAt")
    if starts and ends and ends <= starts:
        raise ProductInvalid([FieldError("endsAt", "VAL_OUT_OF_RANGE",
                                         "endsAt must be after startsAt")])
    status = data.get("status") or ("scheduled" if starts and starts > now else "active")
    rule = PricingRule(
        tenant_id=tenant_id, name=data["name"], description=data.get("description") or "",
        type=rtype.value, conditions=[{"field": c.field, "operator": c.operator,
                                       "value": c.value} for c in conditions],
        action=dict(data["action"]), scope=dict(data.get("scope") or {"type": "all"}),
        requires_approval=bool(data.get("requiresApproval", False)),
        approval_threshold=data.get("approvalThreshold"),
        status="active" if status == "scheduled" else status, starts_at=starts, ends_at=ends,
        priority=int(data.get("priority") or 0), stackable=bool(data.get("stackable", False)),
        created_by=actor_id, created_at=now, updated_at=now)
    session.add(rule)
    session.flush()
    feed.append(session, tenant_id=tenant_id, entity_type="pricing_rule", entity_id=rule.id,
                op="upsert", payload=_rule_payload(rule), at=now)
    return rule


def _rule_payload(rule: PricingRule) -> dict[str, Any]:
    return {"id": str(rule.id), "name": rule.name, "type": rule.type,
            "conditions": rule.conditions, "action": rule.action, "scope": rule.scope,
            "priority": rule.priority, "stackable": rule.stackable, "status": rule.status,
            "startsAt": rule.starts_at.isoformat() if rule.starts_at else None,
            "endsAt": rule.ends_at.isoformat() if rule.ends_at else None}


@dataclass(frozen=True)
class RuleFilters:
    type: str | None = None
    status: str | None = None
    product_id: uuid.UUID | None = None
    category_id: str | None = None


def _rules_stmt(tenant_id: uuid.UUID, f: RuleFilters, now: datetime) -> Select[Any]:
    stmt = select(PricingRule).where(PricingRule.tenant_id == tenant_id)
    if f.type:
        stmt = stmt.where(PricingRule.type == f.type)
    if f.status == "scheduled":
        stmt = stmt.where(PricingRule.status == "active", PricingRule.starts_at > now)
    elif f.status == "active":
        stmt = stmt.where(PricingRule.status == "active",
                          or_(PricingRule.starts_at.is_(None), PricingRule.starts_at <= now))
    elif f.status:
        stmt = stmt.where(PricingRule.status == f.status)
    return stmt.order_by(PricingRule.priority.desc(), PricingRule.id)


def list_rules(session: Session, *, tenant_id: uuid.UUID, filters: RuleFilters, page: int,
               limit: int, now: datetime) -> tuple[list[PricingRule], int]:
    stmt = _rules_stmt(tenant_id, filters, now)
    if filters.product_id is None and filters.category_id is None:
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        return list(session.scalars(stmt.limit(limit).offset((page - 1) * limit))), total
    # JSON scope matching is done here, identically on both databases.
    rules = [r for r in session.scalars(stmt) if _covers(r, filters)]
    return rules[(page - 1) * limit:page * limit], len(rules)


def _covers(rule: PricingRule, f: RuleFilters) -> bool:
    scope = rule.scope or {}
    if f.product_id is not None:
        ids = scope.get("productIds") or []
        if scope.get("type") not in (None, "all") and str(f.product_id) not in ids:
            return False
    if f.category_id is not None:
        cats = scope.get("categoryIds") or []
        if scope.get("type") not in (None, "all") and f.category_id not in cats:
            return False
    return True


def rules_for_product(session: Session, *, tenant_id: uuid.UUID, product: Product,
                      now: datetime) -> list[PricingRule]:
    """Live rules whose scope names this product or its category (product detail view)."""
    out = []
    for rule in session.scalars(_rules_stmt(tenant_id, RuleFilters(status="active"), now)):
        scope = rule.scope or {}
        kind = scope.get("type", "all")
        if (kind == "products" and str(product.id) in (scope.get("productIds") or [])) or (
                kind == "categories" and product.category in (scope.get("categoryIds") or [])):
            out.append(rule)
    return out


def thresholds(session: Session, tenant_id: uuid.UUID) -> Thresholds:
    return policy(session, tenant_id).effective_thresholds()


def set_thresholds(session: Session, tenant_id: uuid.UUID, value: Thresholds) -> Thresholds:
    return save_policy(session, tenant_id, thresholds=value).effective_thresholds()


@dataclass(frozen=True)
class QuoteLineRequest:
    product_id: uuid.UUID
    quantity: Decimal


def quote(session: Session, *, tenant_id: uuid.UUID, lines: Sequence[QuoteLineRequest],
          at: datetime, customer_tier: str | None = None,
          only_rules: Sequence[uuid.UUID] | None = None,
          store_id: uuid.UUID | None = None) -> Quote:
    """Price stored products under the tenant's rules (or only ``only_rules``) at ``at``."""
    pol = policy(session, tenant_id)
    ids = [ln.product_id for ln in lines]
    t = totals_subquery(tenant_id, product_ids=ids)
    found = {p.id: (p, oh - rs) for p, oh, rs in session.execute(
        select(Product, zero_if_null(t.c.on_hand), zero_if_null(t.c.reserved))
        .outerjoin(t, t.c.product_id == Product.id)
        .where(Product.tenant_id == tenant_id, Product.id.in_(ids),
               Product.deleted_at.is_(None)))}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ProductNotFound(f"unknown products: {', '.join(missing)}", field="items",
                              details={"productIds": missing})
    store_prices: dict[uuid.UUID, int] = {}
    if store_id is not None:
        for sp in session.scalars(select(StorePrice).where(
                StorePrice.tenant_id == tenant_id, StorePrice.store_id == store_id,
                StorePrice.product_id.in_(ids))):
            live = ((sp.starts_at is None or sp.starts_at <= at)
                    and (sp.ends_at is None or at < sp.ends_at))
            if live:
                store_prices[sp.product_id] = sp.price
    stmt = select(PricingRule).where(PricingRule.tenant_id == tenant_id)
    if only_rules is not None:
        stmt = stmt.where(PricingRule.id.in_(list(only_rules)))
    names = {str(i): n for i, n in session.execute(
        select(Category.id, Category.name).where(Category.tenant_id == tenant_id))}
    rules = [to_engine(r, names) for r in session.scalars(stmt)]
    items = [PriceItem(str(p.id), p.sku, p.name, p.category,
                       store_prices.get(p.id, p.price), ln.quantity, p.vat_group, p.excise,
                       available)
             for ln in lines for p, available in [found[ln.product_id]]]
    return calculate(items, rules, at=at, country=pol.country, currency=pol.currency,
                     thresholds=pol.effective_thresholds(), customer_tier=customer_tier)
