"""Stock API (seed 001 §6): levels, movements, adjust, reserve/release, expiry."""

from __future__ import annotations

from datetime import timedelta

from _catalog_env import NOW, CatalogWorld, error_code

from cloud.services.stock.reservations import expire_due

STOCK = "/api/v1/stock"


def test_adjust_and_movements_ledger(cw: CatalogWorld) -> None:
    pid = cw.create("ST-1", stock=10, minStock=3, reorderPoint=5)["id"]
    add = cw.as_a("POST", f"{STOCK}/{pid}/adjust",
                  json={"type": "add", "quantity": 5, "reason": "delivery",
                        "referenceType": "other", "referenceId": "NIR-7"})
    assert add.status_code == 200, add.text
    assert {k: add.json()["data"][k] for k in ("previousStock", "adjustment", "newStock")} == {
        "previousStock": 10, "adjustment": 5, "newStock": 15}
    sub = cw.as_a("POST", f"{STOCK}/{pid}/adjust",
                  json={"type": "subtract", "quantity": 11, "reason": "damage",
                        "referenceType": "damage"}).json()["data"]
    assert sub["newStock"] == 4
    assert {a["type"] for a in sub["alerts"]} == {"below_reorder"}
    too_much = cw.as_a("POST", f"{STOCK}/{pid}/adjust",
                       json={"type": "subtract", "quantity": 5, "reason": "oops"})
    assert too_much.status_code == 409 and error_code(too_much) == "BIZ_STOCK_INSUFFICIENT"
    cw.as_a("POST", f"{STOCK}/{pid}/adjust",
            json={"type": "set", "quantity": 2.5, "reason": "inventory count",
                  "referenceType": "inventory_count"})
    moves = cw.as_a("GET", f"{STOCK}/{pid}/movements").json()
    assert [(m["type"], m["quantity"], m["previousStock"], m["newStock"])
            for m in moves["data"]] == [
        ("adjustment", -1.5, 4, 2.5), ("out", -11, 15, 4), ("in", 5, 10, 15),
        ("adjustment", 10, 0, 10)]
    first = moves["data"][2]
    assert first["reference"] == {"type": "other", "id": "NIR-7", "name": None}
    assert first["createdBy"]["type"] == "user" and first["typeLabel"] == "Stock in"
    only_out = cw.as_a("GET", f"{STOCK}/{pid}/movements?type=out").json()["data"]
    assert [m["reason"] for m in only_out] == ["damage"]
    later = (NOW + timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert cw.as_a("GET", f"{STOCK}/{pid}/movements?dateFrom={later}").json()["data"] == []


def test_reserve_release_and_status_filters(cw: CatalogWorld) -> None:
    a = cw.create("RS-A", stock=10, minStock=4)["id"]
    b = cw.create("RS-B", stock=1)["id"]
    cw.create("RS-C", stock=0)
    resp = cw.as_a("POST", f"{STOCK}/reserve", json={
        "negotiationId": "NEG-1", "items": [{"productId": a, "quantity": 7},
                                            {"productId": b, "quantity": 1}],
        "expiresIn": 30})
    assert resp.status_code == 201, resp.text
    res = resp.json()["data"]
    assert [(i["reservedQuantity"], i["shortfall"]) for i in res["items"]] == [(7, 0), (1, 0)]
    assert res["expiresAt"].startswith("2026-03-02T10:00")
    item = cw.as_a("GET", f"{STOCK}?productId={a}").json()["data"][0]
    assert (item["totalStock"], item["reservedStock"], item["availableStock"]) == (10, 7, 3)
    assert item["status"] == "low_stock" and item["activeReservations"][0]["quantity"] == 7
    assert item["lastMovement"]["type"] == "adjustment"

    def skus(q: str) -> list[str]:
        return [i["sku"] for i in cw.as_a("GET", f"{STOCK}?{q}").json()["data"]]

    assert skus("status=out_of_stock") == ["RS-B", "RS-C"]
    assert skus("status=low_stock") == ["RS-A"]
    assert skus("hasReservations=true") == ["RS-A", "RS-B"]
    refused = cw.as_a("POST", f"{STOCK}/reserve", json={
        "negotiationId": "NEG-2", "items": [{"productId": a, "quantity": 2},
                                            {"productId": b, "quantity": 1}]})
    assert refused.status_code == 409 and error_code(refused) == "BIZ_STOCK_INSUFFICIENT"
    assert cw.as_a("GET", f"{STOCK}?productId={a}").json()["data"][0]["reservedStock"] == 7
    partial = cw.as_a("POST", f"{STOCK}/reserve", json={
        "negotiationId": "NEG-3", "items": [{"productId": a, "quantity": 5}],
        "allowPartial": True}).json()["data"]
    assert partial["items"][0]["reservedQuantity"] == 3 and partial["warnings"]
    no_less = cw.as_a("POST", f"{STOCK}/{a}/adjust",
                      json={"type": "set", "quantity": 5, "reason": "count"})
    assert no_less.status_code == 409
    rel = cw.as_a("DELETE", f"{STOCK}/reservations/{res['reservationId']}")
    assert rel.status_code == 200, rel.text
    assert rel.json()["data"]["releasedItems"][0]["quantity"] == 7
    again = cw.as_a("DELETE", f"{STOCK}/reservations/{res['reservationId']}")
    assert again.status_code == 410 and error_code(again) == "RES_DELETED"
    item = cw.as_a("GET", f"{STOCK}?productId={a}").json()["data"][0]
    assert (item["reservedStock"], item["availableStock"]) == (3, 7)
    kinds = [m["type"] for m in cw.as_a("GET", f"{STOCK}/{a}/movements").json()["data"]]
    assert kinds[:3] == ["release", "reservation", "reservation"]


def test_reservations_expire(cw: CatalogWorld) -> None:
    pid = cw.create("EXP", stock=3)["id"]
    resp = cw.as_a("POST", f"{STOCK}/reserve", json={
        "negotiationId": "N", "items": [{"productId": pid, "quantity": 3}], "expiresIn": 10})
    rid = resp.json()["data"]["reservationId"]
    with cw.sessions.begin() as s:
        assert expire_due(s, tenant_id=cw.a.id, now=NOW + timedelta(minutes=5)) == 0
    with cw.sessions.begin() as s:
        assert expire_due(s, tenant_id=cw.a.id, now=NOW + timedelta(minutes=11)) == 1
    item = cw.as_a("GET", f"{STOCK}?productId={pid}").json()["data"][0]
    assert item["reservedStock"] == 0 and item["activeReservations"] == []
    assert cw.as_a("DELETE", f"{STOCK}/reservations/{rid}").status_code == 410


def test_expired_holds_are_released_lazily_on_read(cw: CatalogWorld) -> None:
    pid = cw.create("LAZY", stock=2)["id"]
    cw.as_a("POST", f"{STOCK}/reserve", json={
        "negotiationId": "N", "items": [{"productId": pid, "quantity": 2}], "expiresIn": 1})
    assert cw.as_a("GET", f"{STOCK}?productId={pid}").json()["data"][0]["reservedStock"] == 2
    cw.api.clock.advance(minutes=2)
    item = cw.as_a("GET", f"{STOCK}?productId={pid}").json()["data"][0]
    assert (item["reservedStock"], item["availableStock"]) == (0, 2)
    kinds = [m["type"] for m in cw.as_a("GET", f"{STOCK}/{pid}/movements").json()["data"]]
    assert kinds[0] == "release"


def test_negative_stock_only_when_the_tenant_allows_it(cw: CatalogWorld) -> None:
    pid = cw.create("NEG", stock=1)["id"]
    body = {"type": "subtract", "quantity": 3, "reason": "sale without stock"}
    assert cw.as_a("POST", f"{STOCK}/{pid}/adjust", json=body).status_code == 409
    assert cw.as_a("GET", f"{STOCK}/settings").json()["data"] == {
        "allowNegativeStock": False, "country": "RO", "currency": "RON"}
    assert cw.api.as_(cw.a.viewer, "PUT", f"{STOCK}/settings",
                      json={"allowNegativeStock": True}).status_code == 403
    put = cw.as_a("PUT", f"{STOCK}/settings", json={"allowNegativeStock": True})
    assert put.status_code == 200 and put.json()["data"]["allowNegativeStock"] is True
    done = cw.as_a("POST", f"{STOCK}/{pid}/adjust", json=body).json()["data"]
    assert done["newStock"] == -2
    assert cw.as_a("GET", f"{STOCK}?productId={pid}").json()["data"][0]["status"] == \
        "out_of_stock"


def test_stock_permissions_and_validation(cw: CatalogWorld) -> None:
    pid = cw.create("P", stock=1)["id"]
    viewer = cw.a.viewer
    assert cw.api.as_(viewer, "GET", STOCK).status_code == 200
    assert cw.api.as_(viewer, "POST", f"{STOCK}/{pid}/adjust",
                      json={"type": "add", "quantity": 1, "reason": "x"}).status_code == 403
    assert cw.api.as_(viewer, "POST", f"{STOCK}/reserve", json={
        "negotiationId": "N", "items": [{"productId": pid, "quantity": 1}]}).status_code == 403
    dup = cw.as_a("POST", f"{STOCK}/reserve", json={
        "negotiationId": "N", "items": [{"productId": pid, "quantity": 1},
                                        {"productId": pid, "quantity": 1}]})
    assert dup.status_code == 422
    neg = cw.as_a("POST", f"{STOCK}/{pid}/adjust", json={"type": "add", "quantity": -1,
                                                         "reason": "x"})
    assert neg.status_code == 422
