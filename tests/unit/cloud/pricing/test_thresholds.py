"""Thresholds: defaults, wire round trip, and the narrowest limit per line."""

from __future__ import annotations

from decimal import Decimal

from cloud.services.catalog.thresholds import CategoryLimit, Thresholds


def test_wire_round_trip_and_limits() -> None:
    th = Thresholds(by_category=(CategoryLimit("it", "IT", Decimal(10), Decimal(5)),))
    again = Thresholds.from_wire(th.to_wire())
    assert again == th
    assert th.limits_for("it", None) == (Decimal(10), Decimal(5))
    assert th.limits_for("food", "gold") == (Decimal(25), Decimal(15))
    assert th.limits_for(None, None) == (Decimal(30), Decimal(15))
    assert {r["role"] for r in th.to_wire()["byUserRole"]} >= {"admin", "viewer"}
