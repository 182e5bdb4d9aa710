"""Tenant isolation where the other tenant's ids travel in a request body or a search."""

from __future__ import annotations

import json

from _catalog_env import CatalogWorld, error_code


def test_body_ids_of_another_tenant_are_not_found(cw: CatalogWorld) -> None:
    b_product = cw.create("B-SECRET", tenant="b", name="Bravo secret", stock=5)["id"]
    cw.create("A-1", stock=5)
    a_store = cw.as_a("POST", "/api/v1/stores", json={
        "code": "A1", "name": "A", "country": "RO", "timezone": "Europe/Bucharest"}
    ).json()["data"]["id"]
    reserve = cw.as_a("POST", "/api/v1/stock/reserve", json={
        "negotiationId": "N", "items": [{"productId": b_product, "quantity": 1}]})
    assert reserve.status_code == 404 and error_code(reserve) == "RES_NOT_FOUND"
    calc = cw.as_a("POST", "/api/v1/pricing/calculate",
                   json={"items": [{"productId": b_product, "quantity": 1}]})
    assert calc.status_code == 404
    price = cw.as_a("PUT", f"/api/v1/stores/{a_store}/prices",
                    json={"prices": [{"productId": b_product, "price": 1}]})
    assert price.status_code == 422 and error_code(price) == "VAL_REFERENCE_INVALID"
    export = cw.as_a("POST", "/api/v1/products/export",
                     json={"format": "json", "filters": {"ids": [b_product]}})
    cw.run_jobs()
    url = cw.as_a("GET", f"/api/v1/products/export/{export.json()['data']['jobId']}"
                  ).json()["data"]["downloadUrl"]
    assert cw.as_a("GET", url).json() == []
    b_stock = cw.as_b("GET", f"/api/v1/stock?productId={b_product}").json()["data"][0]
    assert b_stock["reservedStock"] == 0 and b_stock["totalStock"] == 5


def test_search_and_import_stay_inside_the_tenant(cw: CatalogWorld) -> None:
    cw.create("B-SOS", tenant="b", name="Șosete bravo")
    cw.create("A-SOS", name="Șosete alfa")
    cw.run_jobs()
    for kind in ("keyword", "semantic", "hybrid"):
        hits = cw.as_a("POST", "/api/v1/products/search",
                       json={"query": "sosete bravo", "searchType": kind}).json()["data"]
        assert "B-SOS" not in json.dumps(hits), kind
    # A's import of the same SKU creates A's own product and leaves B's untouched.
    data = b"sku,name,category,price,vat,unit\nB-SOS,Alfa copy,General,1,21,buc\n"
    job = cw.as_a("POST", "/api/v1/products/import", files={"file": ("p.csv", data)}
                  ).json()["data"]["jobId"]
    cw.run_jobs()
    st = cw.as_a("GET", f"/api/v1/products/import/{job}").json()["data"]
    assert st["createdCount"] == 1
    assert cw.as_b("GET", f"/api/v1/products/import/{job}").status_code == 404
    b_names = [p["name"] for p in cw.as_b("GET", "/api/v1/products").json()["data"]]
    assert b_names == ["Șosete bravo"]
