"""The tenant's catalog policy: VAT country, currency, negative stock, discount thresholds.

A tenant without a ``catalog_settings`` row gets the defaults (Romania, RON, no negative stock),
or the country/currency of its ``regional`` settings when those say so.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cloud.models.catalog import CatalogSettings
from cloud.models.tenancy import Tenant
from cloud.services.catalog.thresholds import Thresholds
from cloud.services.catalog.validation import ValidationContext
from shared.money import CURRENCIES
from shared.tax import VAT_TABLES

__all__ = ["Policy", "policy", "save_policy", "validation_context"]


@dataclass(frozen=True)
class Policy:
    country: str = "RO"
    currency: str = "RON"
    allow_negative_stock: bool = False
    thresholds: Thresholds | None = None

    def effective_thresholds(self) -> Thresholds:
        return self.thresholds or Thresholds(currency=self.currency)


def _regional(session: Session, tenant_id: uuid.UUID) -> dict[str, Any]:
    tenant = session.get(Tenant, tenant_id)
    settings = getattr(tenant, "settings", None) or {}
    regional = settings.get("regional") if isinstance(settings, dict) else None
    return regional if isinstance(regional, dict) else {}


def policy(session: Session, tenant_id: uuid.UUID) -> Policy:
    row = session.scalar(select(CatalogSettings).where(CatalogSettings.tenant_id == tenant_id))
    if row is not None:
        return Policy(row.country, row.currency, row.allow_negative_stock,
                      Thresholds.from_wire(row.thresholds) if row.thresholds else None)
    regional = _regional(session, tenant_id)
    locale = str(regional.get("locale") or "")  # "ro-RO", "uk-UA": the region is the country
    country = str(regional.get("country") or locale.rpartition("-")[2] or "RO").upper()
    currency = str(regional.get("currency") or "RON").upper()
    return Policy(country if country in VAT_TABLES else "RO",
                  currency if currency in CURRENCIES else "RON")


def save_policy(session: Session, tenant_id: uuid.UUID, *, country: str | None = None,
                currency: str | None = None, allow_negative_stock: bool | None = None,
                thresholds: Thresholds | None = None) -> Policy:
    """Create or change the tenant's policy row; unspecified values stay as they were."""
    row = session.scalar(select(CatalogSettings).where(CatalogSettings.tenant_id == tenant_id))
    if row is None:
        current = policy(session, tenant_id) if country is None or currency is None else Policy()
        row = CatalogSettings(tenant_id=tenant_id, country=current.country,
                              currency=current.currency, allow_negative_stock=False)
        session.add(row)
    if country is not None:
        if country.upper() not in VAT_TABLES:
            raise ValueError(f"no VAT table for {country}")
        row.country = country.upper()
    if currency is not None:
        row.currency = currency.upper()
    if allow_negative_stock is not None:
        row.allow_negative_stock = allow_negative_stock
    if thresholds is not None:
        row.thresholds = thresholds.to_wire()
    session.flush()
    return policy(session, tenant_id)


def validation_context(pol: Policy, now: datetime) -> ValidationContext:
    return ValidationContext(country=pol.country, today=now.date(),
                             default_currency=pol.currency)
