"""Pricing rules, calculate (seed 001 §5.3) and thresholds on SQLite and PostgreSQL."""

from __future__ import annotations

from _catalog_env import CatalogWorld, error_code

RULES = "/api/v1/pricing/rules"
CALC = "/api/v1/pricing/calculate"


def rule(cw: CatalogWorld, **body: object) -> dict:
    base = {"name": "r", "type": "discount", "conditions": [],
            "action": {"type": "percent", "value": 10}, "scope": {"type": "all"}}
    base.update(body)
    resp = cw.as_a("POST", RULES, json=base)
    assert resp.status_code == 201, resp.text
    return dict(resp.json()["data"])


def test_create_list_and_filter_rules(cw: CatalogWorld) -> None:
    pid = cw.create("R-1", category="Socks")["id"]
    r1 = rule(cw, name="Volume", type="quantity", priority=5, stackable=True,
              conditions=[{"field": "quantity", "operator": "gte", "value": 10}],
              action={"type": "percent", "value": 5, "maxDiscount": 20})
    assert r1["status"] == "active" and r1["action"]["maxDiscount"] == 20
    rule(cw, name="Product", scope={"type": "products", "productIds": [pid]})
    rule(cw, name="Future", type="seasonal", startsAt="2026-12-01T00:00:00Z",
         endsAt="2026-12-31T00:00:00Z")
    listed = cw.as_a("GET", RULES).json()
    assert listed["data"][0]["name"] == "Volume"
    assert listed["pagination"]["total"] == 3
    sched = cw.as_a("GET", f"{RULES}?status=scheduled").json()["data"]
    assert [r["name"] for r in sched] == ["Future"] and sched[0]["status"] == "scheduled"
    by_type = cw.as_a("GET", f"{RULES}?type=quantity").json()["data"]
    assert [r["name"] for r in by_type] == ["Volume"]
    for_product = cw.as_a("GET", f"{RULES}?productId={pid}").json()["data"]
    assert {r["name"] for r in for_product} == {"Volume", "Product", "Future"}
    other = cw.as_a("GET", f"{RULES}?productId={cw.new_id()}").json()["data"]
    assert {r["name"] for r in other} == {"Volume", "Future"}
    detail = cw.as_a("GET", f"/api/v1/products/{pid}").json()["data"]
    assert [r["name"] for r in detail["pricingRules"]] == ["Product"]
    bad = cw.as_a("POST", RULES, json={"name": "x", "type": "discount",
                                       "action": {"type": "percent", "value": 10},
                                       "scope": {"type": "products"}})
    assert bad.status_code == 422 and error_code(bad) == "VAL_REQUIRED_FIELD"


def test_calculate_applies_rules_vat_and_approval(cw: CatalogWorld) -> None:
    socks = cw.create("S-1", category="Socks", price=100, stock=50)["id"]
    tea = cw.create("T-1", category="Tea", price=20, vatRate=11, stock=1)["id"]
    rule(cw, name="Volume", type="quantity", priority=5, stackable=True,
         conditions=[{"field": "quantity", "operator": "gte", "value": 10}],
         action={"type": "percent", "value": 10})
    rule(cw, name="Gold", type="customer_tier", priority=1, stackable=True,
         scope={"type": "customers", "customerTiers": ["gold"]},
         action={"type": "percent", "value": 10}, requiresApproval=True)
    resp = cw.as_a("POST", CALC, json={"items": [{"productId": socks, "quantity": 10},
                                                 {"productId": tea, "quantity": 2}],
                                       "customerTier": "gold"})
    assert resp.status_code == 200, resp.text
    q = resp.json()["data"]
    s, t = q["items"]
    assert (s["originalPrice"], s["subtotal"], s["discount"]) == (100, 810, 190)
    assert [a["name"] for a in s["appliedRules"]] == ["Volume", "Gold"]
    assert s["discountPercent"] == 19 and s["vatRate"] == 21 and s["vatAmount"] == 170.1
    assert s["total"] == 980.1 and s["finalPrice"] == 81
    assert (t["subtotal"], t["vatRate"], t["vatAmount"]) == (36, 11, 3.96)
    assert [a["name"] for a in t["appliedRules"]] == ["Gold"]
    summary = q["summary"]
    assert summary["subtotal"] == 846 and summary["grandTotal"] == 1020.06
    assert summary["currency"] == "RON"
    assert [w["type"] for w in summary["warnings"]] == ["stock_warning"]  # 2 teas, 1 in stock
    assert q["approvalRequired"] and "Gold" in q["approvalReason"]


def test_simulation_date_and_rule_subset(cw: CatalogWorld) -> None:
    pid = cw.create("X-1", price=50)["id"]
    xmas = rule(cw, name="Xmas", type="seasonal", startsAt="2026-12-01T00:00:00Z",
                action={"type": "amount", "value": 5})
    other = rule(cw, name="Other", action={"type": "percent", "value": 1})
    now = cw.as_a("POST", CALC, json={"items": [{"productId": pid, "quantity": 1}],
                                      "simulateRules": [xmas["id"]]}).json()["data"]
    assert now["items"][0]["appliedRules"] == []
    dec = cw.as_a("POST", CALC, json={"items": [{"productId": pid, "quantity": 1}],
                                      "simulateDate": "2026-12-10T12:00:00Z",
                                      "simulateRules": [xmas["id"]]}).json()["data"]
    assert dec["items"][0]["subtotal"] == 45 and other["id"] not in str(dec)
    missing = cw.as_a("POST", CALC, json={"items": [{"productId": cw.new_id(), "quantity": 1}]})
    assert missing.status_code == 404


def test_thresholds_defaults_and_update(cw: CatalogWorld) -> None:
    th = cw.as_a("GET", "/api/v1/pricing/thresholds").json()["data"]
    assert th["global"] == {"maxDiscountPercent": 30.0, "maxDiscountAmount": 10000.0,
                            "approvalThreshold": 15.0, "currency": "RON"}
    assert [t["tier"] for t in th["byCustomerTier"]] == ["bronze", "silver", "gold"]
    th["byCategory"] = [{"categoryId": "Socks", "categoryName": "Socks",
                         "maxDiscountPercent": 5, "approvalThreshold": 2}]
    resp = cw.as_a("PUT", "/api/v1/pricing/thresholds", json=th)
    assert resp.status_code == 200, resp.text
    pid = cw.create("C-1", category="Socks", price=10)["id"]
    rule(cw, name="Big", action={"type": "percent", "value": 20})
    q = cw.as_a("POST", CALC, json={"items": [{"productId": pid, "quantity": 1}]}).json()["data"]
    assert q["items"][0]["subtotal"] == 9.5 and q["approvalRequired"]
    viewer = cw.api.as_(cw.a.viewer, "PUT", "/api/v1/pricing/thresholds", json=th)
    assert viewer.status_code == 403
