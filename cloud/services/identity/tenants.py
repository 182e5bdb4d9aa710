"""Tenants and their configuration (seed 001 §13.1–13.2)."""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cloud import audit
from cloud.errors import AlreadyExists, CloudError, InvalidInput
from cloud.models.identity import User
from cloud.models.tenancy import Plan, Tenant
from shared.ids import uuid7

__all__ = [
    "DEFAULT_SETTINGS",
    "INTEGRATIONS",
    "PLAN_QUOTAS",
    "USAGE_COUNTERS",
    "PlanQuota",
    "create_tenant",
    "effective_settings",
    "tenant_config",
    "update_config",
]


@dataclass(frozen=True)
class PlanQuota:
    max_users: int
    max_contacts: int
    max_products: int
    max_ai_messages_per_month: int


PLAN_QUOTAS: dict[str, PlanQuota] = {
    Plan.STARTER: PlanQuota(5, 1_000, 1_000, 500),
    Plan.PROFESSIONAL: PlanQuota(25, 10_000, 10_000, 5_000),
    Plan.ENTERPRISE: PlanQuota(500, 100_000, 100_000, 50_000),
}

DEFAULT_SETTINGS: dict[str, Any] = {
    "branding": {"logo": None, "primaryColor": "#1F6FEB", "companyName": ""},
    "regional": {"timezone": "Europe/Bucharest", "locale": "ro-RO", "currency": "RON",
                 "dateFormat": "DD.MM.YYYY"},
    "defaults": {"paymentTerms": 30, "validityDays": 30, "defaultVatRate": 21},
    "notifications": {"emailNotifications": True, "pushNotifications": False,
                      "dailyDigest": False, "weeklyReport": True},
    "security": {"requireTwoFactor": False, "sessionTimeout": None, "ipWhitelist": [],
                 "passwordPolicy": {"minLength": 8, "requireUppercase": False,
                                    "requireNumber": False, "requireSpecial": False}},
}

# Later families register how to count what a plan limits, and their integrations' status:
#   USAGE_COUNTERS["products"] = lambda session: session.scalar(select(func.count(Product.id)))
#   INTEGRATIONS["oblio"] = lambda session, tenant: {"enabled": ..., "status": ...}
USAGE_COUNTERS: dict[str, Callable[[Session], int]] = {}
INTEGRATIONS: dict[str, Callable[[Session, Tenant], dict[str, Any]]] = {}


def _slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:48] or "tenant"


def create_tenant(*, session: Session, name: str, plan: str = Plan.PROFESSIONAL,
                  slug: str | None = None, company_name: str = "", cui: str = "") -> Tenant:
    name = name.strip()
    if not name:
        raise InvalidInput("Tenant name is required", field="name", code="VAL_REQUIRED_FIELD")
    if plan not in {p.value for p in Plan}:
        raise InvalidInput(f"Unknown plan {plan!r}", field="plan", code="VAL_INVALID_ENUM")
    base = _slugify(slug or name)
    candidate, n = base, 1
    while session.scalar(select(Tenant.id).where(Tenant.slug == candidate)) is not None:
        if slug:
            raise AlreadyExists(f"Tenant slug {slug!r} is taken", field="slug")
        n += 1
        candidate = f"{base}-{n}"
    tenant = Tenant(id=uuid7(), name=name, slug=candidate, plan=plan,
                    company_name=company_name or name, cui=cui,
                    settings=copy.deepcopy(DEFAULT_SETTINGS))
    tenant.settings["branding"]["companyName"] = company_name or name
    session.add(tenant)
    session.flush()
    return tenant


def _merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _overlay(defaults: dict[str, Any], stored: Any) -> dict[str, Any]:
    """``stored`` over ``defaults``, where a stored null or a non-object in place of a section
    keeps the default: older versions accepted ``{"branding": null}`` and stored it, and every
    read of such a tenant's configuration failed until this fell back."""
    out = copy.deepcopy(defaults)
    if not isinstance(stored, dict):
        return out
    for key, value in stored.items():
        base = defaults.get(key)
        if isinstance(base, dict):
            out[key] = _overlay(base, value)
        elif value is not None or base is None:
            out[key] = copy.deepcopy(value)
    return out


def effective_settings(tenant: Tenant) -> dict[str, Any]:
    """The tenant's settings over the defaults."""
    return _overlay(DEFAULT_SETTINGS, tenant.settings)


def _count_users(session: Session) -> int:
    return int(session.scalar(select(func.count(User.id)).where(User.deleted_at.is_(None)))
               or 0)


def tenant_config(*, session: Session, tenant: Tenant) -> dict[str, Any]:
    """The §13.1 document (camelCase keys, ready for the wire model)."""
    quota = PLAN_QUOTAS.get(tenant.plan, PLAN_QUOTAS[Plan.STARTER])
    users = _count_users(session)
    usage = {name: count(session) for name, count in USAGE_COUNTERS.items()}
    cfg = effective_settings(tenant)
    return {
        "tenant": {"id": tenant.id, "name": tenant.name, "companyName": tenant.company_name,
                   "cui": tenant.cui, "createdAt": tenant.created_at, "plan": tenant.plan,
                   "planExpiresAt": tenant.plan_expires_at, "status": tenant.status},
        "features": [
            {"feature": "users", "enabled": True, "limit": quota.max_users, "usage": users},
            {"feature": "apiKeys", "enabled": True},
            {"feature": "twoFactor", "enabled": True},
            {"feature": "aiMessages", "enabled": True,
             "limit": quota.max_ai_messages_per_month, "usage": usage.get("ai_messages", 0)},
        ],
        "integrations": [{"name": name, **probe(session, tenant)}
                         for name, probe in INTEGRATIONS.items()],
        "limits": {
            "maxUsers": quota.max_users, "currentUsers": users,
            "maxContacts": quota.max_contacts, "currentContacts": usage.get("contacts", 0),
            "maxProducts": quota.max_products, "currentProducts": usage.get("products", 0),
            "maxAIMessagesPerMonth": quota.max_ai_messages_per_month,
            "currentAIMessages": usage.get("ai_messages", 0),
        },
        **{section: cfg[section] for section in DEFAULT_SETTINGS},
    }


def update_config(*, session: Session, tenant: Tenant, patch: dict[str, Any]) -> bool:
    """Deep-merge ``patch`` (already validated) into the tenant's settings; audited per key."""
    merged = _merge(tenant.settings or {}, patch)
    if merged == (tenant.settings or {}):
        return False
    audit.label(session, tenant, "tenant.config_updated", "Updated tenant configuration")
    tenant.settings = merged
    session.flush()
    return True


def require_user_quota(session: Session, tenant: Tenant) -> None:
    quota = PLAN_QUOTAS.get(tenant.plan, PLAN_QUOTAS[Plan.STARTER])
    if _count_users(session) >= quota.max_users:
        raise CloudError(f"The {tenant.plan} plan allows {quota.max_users} users",
                         code="BIZ_QUOTA_EXCEEDED", details={"maxUsers": quota.max_users})


def get_tenant(session: Session, tenant_id: uuid.UUID) -> Tenant | None:
    return session.get(Tenant, tenant_id)
