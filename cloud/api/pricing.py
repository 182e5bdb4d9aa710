"""``/api/v1/pricing``: rules, price calculation and discount thresholds (seed 001 §5)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from cloud.api.deps import ClockDep, SessionDep, require_scopes
from cloud.api.responses import PageDep, error_responses, ok, paginated
from cloud.auth.principal import Principal
from cloud.errors import InvalidInput
from cloud.models.catalog import PricingRule
from cloud.schemas.common import Envelope, OffsetPagination, Paginated
from cloud.schemas.pricing import (
    AppliedRuleOut,
    CalculateIn,
    CalculateOut,
    LineOut,
    RuleIn,
    RuleOut,
    RuleTypeLit,
    SummaryOut,
    WarningOut,
)
from cloud.services.catalog.thresholds import Thresholds
from cloud.services.pricing import service

router = APIRouter(prefix="/api/v1/pricing", tags=["pricing"],
                   responses=error_responses(statuses=(400, 401, 403, 404, 422, 429, 500)))

Reader = Annotated[Principal, require_scopes("products:read")]
Writer = Annotated[Principal, require_scopes("products:write")]
Admin = Annotated[Principal, require_scopes("admin:settings")]


def _rule_out(rule: PricingRule, now: datetime) -> RuleOut:
    return RuleOut(id=rule.id, name=rule.name, description=rule.description, type=rule.type,
                   conditions=rule.conditions, action=rule.action, scope=rule.scope,
                   requires_approval=rule.requires_approval,
                   approval_threshold=(float(rule.approval_threshold)
                                       if rule.approval_threshold is not None else None),
                   status=service.effective_status(rule, now), starts_at=rule.starts_at,
                   ends_at=rule.ends_at, priority=rule.priority, stackable=rule.stackable,
                   created_at=rule.created_at, updated_at=rule.updated_at,
                   created_by=rule.created_by or "system")


@router.get("/rules", response_model=Paginated[RuleOut])
def list_rules(request: Request, session: SessionDep, clock: ClockDep, p: Reader,
               page: PageDep, type: RuleTypeLit | None = None,
               status: Literal["active", "inactive", "scheduled"] | None = None,
               product_id: Annotated[uuid.UUID | None, Query(alias="productId")] = None,
               category_id: Annotated[str | None, Query(alias="categoryId")] = None) -> Any:
    """Pricing rules, highest priority first."""
    now = clock.now()
    rules, total = service.list_rules(
        session, tenant_id=p.tenant_id, filters=service.RuleFilters(type, status, product_id,
                                                                    category_id),
        page=page.page, limit=page.limit, now=now)
    pages = -(-total // page.limit) if total else 0
    return paginated(request, [_rule_out(r, now) for r in rules], OffsetPagination(
        page=page.page, limit=page.limit, total=total, total_pages=pages,
        has_next=page.page < pages, has_previous=page.page > 1))


def _number(d: Decimal) -> int | float:
    """A JSON number for a stored rule document (integral values stay integers)."""
    return int(d) if d == d.to_integral_value() else float(d)


@router.post("/rules", response_model=Envelope[RuleOut], status_code=201)
def create_rule(body: RuleIn, request: Request, session: SessionDep, clock: ClockDep,
                p: Writer) -> Any:
    """Create a rule: conditions, action, scope, dates, priority and stacking policy."""
    now = clock.now()
    data = body.model_dump(by_alias=True, exclude_none=True, mode="json")
    data["startsAt"], data["endsAt"] = body.starts_at, body.ends_at
    data["action"] = {k: _number(v) if isinstance(v, Decimal) else v
                      for k, v in body.action.model_dump(by_alias=True,
                                                         exclude_none=True).items()}
    if body.approval_threshold is not None:
        data["approvalThreshold"] = body.approval_threshold
    rule = service.create_rule(session, tenant_id=p.tenant_id, data=data,
                               actor_id=str(p.id), now=now)
    return ok(request, _rule_out(rule, now))


@router.post("/calculate", response_model=Envelope[CalculateOut])
def calculate(body: CalculateIn, request: Request, session: SessionDep, clock: ClockDep,
              p: Reader) -> Any:
    """Prices with the rules that applied, VAT per line and whether approval is needed."""
    at = body.simulate_date or clock.now()
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    q = service.quote(session, tenant_id=p.tenant_id,
                      lines=[service.QuoteLineRequest(i.product_id, i.quantity)
                             for i in body.items],
                      at=at, customer_tier=body.customer_tier, only_rules=body.simulate_rules,
                      store_id=body.store_id)
    lines = [LineOut(product_id=ln.item.product_id, sku=ln.item.sku, name=ln.item.name,
                     quantity=float(ln.item.quantity),
                     original_price=ln.item.unit_price / 100,
                     final_price=round(ln.final / 100 / float(ln.item.quantity), 4),
                     discount=ln.discount / 100, discount_percent=float(ln.discount_percent),
                     applied_rules=[AppliedRuleOut(id=a.id, name=a.name, type=a.type,
                                                   discount=a.discount / 100)
                                    for a in ln.applied],
                     subtotal=ln.final / 100, vat_rate=float(ln.vat_rate),
                     vat_amount=ln.vat / 100, total=ln.total / 100) for ln in q.lines]
    return ok(request, CalculateOut(
        items=lines,
        summary=SummaryOut(subtotal=q.subtotal / 100, total_discount=q.discount / 100,
                           total_discount_percent=float(q.discount_percent),
                           vat_amount=q.vat / 100, grand_total=q.total / 100,
                           currency=q.currency,
                           warnings=[WarningOut(type=w.type, message=w.message,
                                                item_ids=list(w.item_ids) or None)
                                     for w in q.warnings]),
        approval_required=q.approval_required,
        approval_reason="; ".join(q.approval_reasons) or None))


@router.get("/thresholds", response_model=Envelope[dict[str, Any]])
def get_thresholds(request: Request, session: SessionDep, p: Reader) -> Any:
    """Discount limits: global, per category, per customer tier and per user role."""
    return ok(request, service.thresholds(session, p.tenant_id).to_wire())


@router.put("/thresholds", response_model=Envelope[dict[str, Any]])
def put_thresholds(body: dict[str, Any], request: Request, session: SessionDep,
                   p: Admin) -> Any:
    """Replace the tenant's thresholds (same shape as GET)."""
    try:
        value = Thresholds.from_wire(body)
    except (KeyError, ValueError, ArithmeticError) as exc:
        raise InvalidInput(f"invalid thresholds: {exc}") from exc
    return ok(request, service.set_thresholds(session, p.tenant_id, value).to_wire())
