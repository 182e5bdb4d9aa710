"""Discount limits and approval thresholds (seed 001 §5.4), per tenant with safe defaults.

A discount above the approval threshold needs a manager's approval; one above the maximum is
capped. Category and customer-tier entries narrow the global values; role entries say how far a
user may discount and approve.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

__all__ = ["CategoryLimit", "RoleLimit", "Thresholds", "TierLimit", "default_thresholds"]


@dataclass(frozen=True)
class CategoryLimit:
    category: str
    name: str
    max_discount_percent: Decimal
    approval_threshold: Decimal


@dataclass(frozen=True)
class TierLimit:
    tier: str
    max_discount_percent: Decimal
    auto_approve_threshold: Decimal


@dataclass(frozen=True)
class RoleLimit:
    role: str
    max_discount_percent: Decimal
    can_approve_up: Decimal


@dataclass(frozen=True)
class Thresholds:
    max_discount_percent: Decimal = Decimal(30)
    max_discount_amount: int = 1_000_000  # minor units per quote
    approval_threshold: Decimal = Decimal(15)
    currency: str = "RON"
    by_category: tuple[CategoryLimit, ...] = ()
    by_tier: tuple[TierLimit, ...] = field(default_factory=lambda: (
        TierLimit("bronze", Decimal(10), Decimal(5)),
        TierLimit("silver", Decimal(15), Decimal(10)),
        TierLimit("gold", Decimal(25), Decimal(15)),
    ))
    by_role: tuple[RoleLimit, ...] = field(default_factory=lambda: (
        RoleLimit("admin", Decimal(100), Decimal(100)),
        RoleLimit("manager", Decimal(30), Decimal(30)),
        RoleLimit("sales", Decimal(15), Decimal(0)),
        RoleLimit("viewer", Decimal(0), Decimal(0)),
    ))

    def limits_for(self, category: str | None, tier: str | None) -> tuple[Decimal, Decimal]:
        """(maximum discount %, approval threshold %) for a line."""
        max_pct, approve = self.max_discount_percent, self.approval_threshold
        for c in self.by_category:
            if category is not None and c.category == category:
                max_pct = min(max_pct, c.max_discount_percent)
                approve = min(approve, c.approval_threshold)
        for t in self.by_tier:
            if t.tier == tier:
                max_pct = min(max_pct, t.max_discount_percent)
                approve = min(approve, t.auto_approve_threshold)
        return max_pct, approve

    def to_wire(self) -> dict[str, Any]:
        def n(d: Decimal) -> float:
            return float(d)

        return {
            "global": {
                "maxDiscountPercent": n(self.max_discount_percent),
                "maxDiscountAmount": self.max_discount_amount / 100,
                "approvalThreshold": n(self.approval_threshold),
                "currency": self.currency,
            },
            "byCategory": [{"categoryId": c.category, "categoryName": c.name,
                            "maxDiscountPercent": n(c.max_discount_percent),
                            "approvalThreshold": n(c.approval_threshold)}
                           for c in self.by_category],
            "byCustomerTier": [{"tier": t.tier, "maxDiscountPercent": n(t.max_discount_percent),
                                "autoApproveThreshold": n(t.auto_approve_threshold)}
                               for t in self.by_tier],
            "byUserRole": [{"role": r.role, "maxDiscountPercent": n(r.max_discount_percent),
                            "canApproveUp": n(r.can_approve_up)} for r in self.by_role],
        }

    @classmethod
    def from_wire(cls, doc: Mapping[str, Any]) -> Thresholds:
        def d(v: Any) -> Decimal:
            return Decimal(str(v))

        base = cls()
        g = doc.get("global") or {}
        return cls(
            max_discount_percent=d(g.get("maxDiscountPercent", base.max_discount_percent)),
            max_discount_amount=int(d(g.get("maxDiscountAmount",
                                            base.max_discount_amount / 100)) * 100),
            approval_threshold=d(g.get("approvalThreshold", base.approval_threshold)),
            currency=str(g.get("currency", base.currency)),
            by_category=tuple(CategoryLimit(str(c["categoryId"]),
                                            str(c.get("categoryName") or c["categoryId"]),
                                            d(c["maxDiscountPercent"]),
                                            d(c["approvalThreshold"]))
                              for c in doc.get("byCategory") or ()),
            by_tier=tuple(TierLimit(str(t["tier"]), d(t["maxDiscountPercent"]),
                                    d(t["autoApproveThreshold"]))
                          for t in doc.get("byCustomerTier") or ()) or base.by_tier,
            by_role=tuple(RoleLimit(str(r["role"]), d(r["maxDiscountPercent"]),
                                    d(r["canApproveUp"]))
                          for r in doc.get("byUserRole") or ()) or base.by_role,
        )


def default_thresholds(currency: str = "RON") -> Thresholds:
    return Thresholds(currency=currency)
