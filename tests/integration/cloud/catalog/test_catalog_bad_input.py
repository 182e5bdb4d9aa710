"""Bad input on catalog, pricing, stock and store bodies: a clear 422 naming the field, never
a 500, and nothing changed (issue #16)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from _catalog_env import CatalogWorld, error_code, product_body
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from test_stores_api import STORE, TILL

from cloud.models.catalog import CatalogFile, Product

STORES = "/api/v1/stores"


def field_of(resp: Any) -> str | None:
    field = resp.json()["error"].get("field")
    return None if field is None else str(field)


def store_and_till(cw: CatalogWorld) -> tuple[str, str]:
    sid = cw.as_a("POST", STORES, json=STORE).json()["data"]["id"]
    tid = cw.as_a("POST", f"{STORES}/{sid}/tills", json=TILL).json()["data"]["id"]
    return sid, tid


# -- nulls on store and till fields that have no "no value" -------------------------------------

@pytest.mark.parametrize("field", ["address", "name", "country", "timezone", "currency",
                                   "fiscalIds", "settings", "status"])
def test_store_patch_null_is_refused_naming_the_field(cw: CatalogWorld, field: str) -> None:
    sid, _tid = store_and_till(cw)
    before = cw.as_a("GET", f"{STORES}/{sid}").json()["data"]
    resp = cw.as_a("PATCH", f"{STORES}/{sid}", json={field: None})
    assert resp.status_code == 422, resp.text
    assert error_code(resp) == "VAL_INVALID_FORMAT" and field_of(resp) == field
    assert cw.as_a("GET", f"{STORES}/{sid}").json()["data"] == before


@pytest.mark.parametrize("field", ["name", "fiscalDevice", "printers", "settings", "status"])
def test_till_patch_null_is_refused_naming_the_field(cw: CatalogWorld, field: str) -> None:
    sid, tid = store_and_till(cw)
    url = f"{STORES}/{sid}/tills/{tid}"
    before = cw.as_a("GET", url).json()["data"]
    resp = cw.as_a("PATCH", url, json={field: None})
    assert resp.status_code == 422, resp.text
    assert error_code(resp) == "VAL_INVALID_FORMAT" and field_of(resp) == field
    assert cw.as_a("GET", url).json()["data"] == before


def test_store_create_null_optional_fields_mean_defaults(cw: CatalogWorld) -> None:
    resp = cw.as_a("POST", STORES, json={**STORE, "address": None, "settings": None,
                                         "currency": None})
    assert resp.status_code == 201, resp.text
    data = resp.json()["data"]
    assert data["address"] == {} and data["settings"] == {} and data["currency"] == "RON"
    sid = data["id"]
    cleared = cw.as_a("PATCH", f"{STORES}/{sid}", json={"address": {}})
    assert cleared.status_code == 200 and cleared.json()["data"]["address"] == {}


# -- NUL characters name the field that holds them ----------------------------------------------

@pytest.mark.parametrize(("path", "body", "field"), [
    ("/api/v1/products", product_body("NUL-1", name="a\x00b"), "name"),
    ("/api/v1/products", product_body("NUL-2", translations={"uk": {"name": "a\x00"}}),
     "translations.uk.name"),
    ("/api/v1/products", product_body("NUL-3", tags=["ok", "b\x00"]), "tags.1"),
    (STORES, {**STORE, "name": "Magazin\x00"}, "name"),
    (STORES, {**STORE, "address": {"street": "Bd.\x00"}}, "address.street"),
    ("/api/v1/webhooks", {"name": "hook\x00", "url": "https://example.com/h",
                          "events": ["product.created"]}, "name"),
])
def test_nul_character_is_refused_naming_the_field(cw: CatalogWorld, path: str,
                                                   body: dict[str, Any], field: str) -> None:
    resp = cw.as_a("POST", path, json=body)
    assert resp.status_code == 422, resp.text
    assert error_code(resp) == "VAL_INVALID_FORMAT"
    assert field_of(resp) == field, resp.text


def test_nul_in_product_update_names_the_field(cw: CatalogWorld) -> None:
    pid = cw.create("NUL-U")["id"]
    resp = cw.as_a("PATCH", f"/api/v1/products/{pid}", json={"name": "x\x00"})
    assert resp.status_code == 422 and field_of(resp) == "name", resp.text


# -- bounds on numbers, strings and free-form objects -------------------------------------------

def test_pricing_rule_value_is_bounded(cw: CatalogWorld) -> None:
    base = {"name": "r", "type": "discount", "scope": {"type": "all"}}
    rules = "/api/v1/pricing/rules"
    huge = cw.as_a("POST", rules, json={**base, "action": {"type": "amount", "value": 2**70}})
    assert huge.status_code == 422, huge.text
    assert error_code(huge) == "VAL_OUT_OF_RANGE" and field_of(huge) == "action.value"
    pct = cw.as_a("POST", rules, json={**base, "action": {"type": "percent", "value": 150}})
    assert pct.status_code == 422 and field_of(pct) == "action.value", pct.text
    cap = cw.as_a("POST", rules, json={**base, "action": {"type": "percent", "value": 10,
                                                           "maxDiscount": 1e30}})
    assert cap.status_code == 422 and field_of(cap) == "action.maxDiscount", cap.text
    cond = cw.as_a("POST", rules, json={**base, "action": {"type": "percent", "value": 5},
                                        "conditions": [{"field": "total", "operator": "gte",
                                                        "value": 2**70}]})
    assert cond.status_code == 422 and field_of(cond) == "conditions.0.value", cond.text
    assert cw.as_a("GET", rules).json()["data"] == []
    ok = cw.as_a("POST", rules, json={**base, "action": {"type": "amount", "value": 12.5}})
    assert ok.status_code == 201, ok.text


def test_specifications_are_bounded(cw: CatalogWorld) -> None:
    big = cw.as_a("POST", "/api/v1/products",
                  json=product_body("SPEC-1", specifications={"x": "a" * 900_000}))
    assert big.status_code == 422, big.text
    assert error_code(big) == "VAL_OUT_OF_RANGE" and field_of(big) == "specifications"
    many = cw.as_a("POST", "/api/v1/products", json=product_body(
        "SPEC-2", specifications={f"k{i}": i for i in range(501)}))
    assert many.status_code == 422 and field_of(many) == "specifications", many.text
    num = cw.as_a("POST", "/api/v1/products",
                  json=product_body("SPEC-3", specifications={"x": 2**70}))
    assert num.status_code == 422 and field_of(num) == "specifications", num.text
    with cw.sessions() as s:
        assert s.scalar(select(Product.id).where(Product.tenant_id == cw.a.id)) is None
    assert cw.as_a("POST", "/api/v1/products", json=product_body(
        "SPEC-4", specifications={"putere": "2000 W", "greutate": 3})).status_code == 201


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/api/v1/products", product_body("B-1", price=2**70), "price"),
    ("/api/v1/products", product_body("B-2", costPrice=1e30), "costPrice"),
    ("/api/v1/products", product_body("B-3", vatRate=1e30), "vatRate"),
    ("/api/v1/products", product_body("B-4", description="d" * 20_001), "description"),
    ("/api/v1/products", product_body("B-5", dimensions={"length": 1e30, "width": 1,
                                                         "height": 1}), "dimensions.length"),
    ("/api/v1/products", product_body("B-6", translations={"uk": {"name": "n" * 301}}),
     "translations.uk.name"),
    ("/api/v1/products", product_body("B-7", vatGroup="g" * 1000), "vatGroup"),
    (STORES, {**STORE, "settings": {"blob": "x" * 70_000}}, "settings"),
    (STORES, {**STORE, "timezone": "Z" * 1000}, "timezone"),
    ("/api/v1/pricing/calculate", {"items": [{"productId": "00000000-0000-0000-0000-000000000001",
                                              "quantity": 1}], "couponCode": "c" * 1000},
     "couponCode"),
])
def test_numbers_and_strings_out_of_bounds_are_refused(cw: CatalogWorld, path: str,
                                                       body: dict[str, Any], field: str) -> None:
    resp = cw.as_a("POST", path, json=body)
    assert resp.status_code == 422, resp.text
    assert error_code(resp) == "VAL_OUT_OF_RANGE" and field_of(resp) == field, resp.text


def test_store_settings_too_deep_is_refused(cw: CatalogWorld) -> None:
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(20):
        node["n"] = {}
        node = node["n"]
    sid, tid = store_and_till(cw)
    resp = cw.as_a("PATCH", f"{STORES}/{sid}/tills/{tid}", json={"settings": deep})
    assert resp.status_code == 422 and field_of(resp) == "settings", resp.text


# -- SKUs are one product whatever their case ---------------------------------------------------

def test_sku_differing_by_case_is_a_duplicate(cw: CatalogWorld) -> None:
    first = cw.create("ABC-1")
    resp = cw.as_a("POST", "/api/v1/products", json=product_body("abc-1"))
    assert resp.status_code == 409, resp.text
    assert error_code(resp) == "VAL_DUPLICATE" and field_of(resp) == "sku"
    assert resp.json()["error"]["details"]["productId"] == first["id"]
    # Another tenant's SKUs are not ours.
    assert cw.create("abc-1", tenant="b")["sku"] == "abc-1"
    # A soft-deleted product is brought back by its SKU in any case.
    assert cw.as_a("DELETE", f"/api/v1/products/{first['id']}").status_code == 204
    back = cw.as_a("POST", "/api/v1/products", json=product_body("Abc-1"))
    assert back.status_code == 201 and back.json()["data"]["id"] == first["id"], back.text


def test_database_refuses_skus_differing_by_case(cw: CatalogWorld) -> None:
    """The unique index holds even when the service's look-up is bypassed (a race)."""
    cw.create("RACE-1")
    with cw.sessions() as s:
        src = s.scalar(select(Product).where(Product.tenant_id == cw.a.id))
        assert src is not None
        clone = Product(tenant_id=cw.a.id, sku="race-1", name="x", price=1, currency="RON",
                        vat_group=src.vat_group, unit="buc", created_at=src.created_at,
                        updated_at=src.updated_at)
        s.add(clone)
        with pytest.raises(IntegrityError):
            s.flush()


def test_import_updates_the_product_whose_sku_differs_by_case(cw: CatalogWorld) -> None:
    pid = cw.create("IMP-1")["id"]
    data = (b"sku,name,category,price,vat,unit\n"
            b"imp-1,Renamed,General,11,21,buc\n"
            b"IMP-2,New,General,5,21,buc\n"
            b"imp-2,Again,General,5,21,buc\n")
    resp = cw.as_a("POST", "/api/v1/products/import", files={"file": ("p.csv", data)})
    assert resp.status_code == 202, resp.text
    cw.run_jobs()
    job = resp.json()["data"]["jobId"]
    done = cw.as_a("GET", f"/api/v1/products/import/{job}").json()["data"]
    assert (done["createdCount"], done["updatedCount"]) == (1, 1), done
    assert [(e["row"], e["code"]) for e in done["errors"]] == [(4, "VAL_DUPLICATE")]
    product = cw.as_a("GET", f"/api/v1/products/{pid}").json()["data"]
    assert (product["sku"], product["name"]) == ("IMP-1", "Renamed")


# -- upload file names ---------------------------------------------------------------------------

@pytest.mark.parametrize(("sent", "kept"), [
    # The multipart parser ends the header at CR LF; what reaches us must lose the path.
    ("../../etc/passwd\r\nX-Injected: 1.csv", "passwd"),
    ("../up/pro\x1bdu\x7fse\t.csv", "produse.csv"),
    ("C:\\Users\\ana\\produse.csv", "produse.csv"),
    ("..", "import.csv"),
    ("n" * 400 + ".csv", "n" * 116 + ".csv"),
])
def test_import_filename_is_sanitised(cw: CatalogWorld, sent: str, kept: str) -> None:
    data = b"sku,name,category,price,vat,unit\nF-1,n,General,1,21,buc\n"
    # Built by hand: an HTTP client would percent-encode the CR/LF a hostile client sends raw.
    part = (f'--XB\r\nContent-Disposition: form-data; name="file"; filename="{sent}"\r\n'
            f"Content-Type: text/csv\r\n\r\n").encode() + data + (
        b'\r\n--XB\r\nContent-Disposition: form-data; name="options"\r\n\r\n'
        + json.dumps({"dryRun": True}).encode() + b"\r\n--XB--\r\n")
    resp = cw.as_a("POST", "/api/v1/products/import", content=part,
                   headers={"Content-Type": "multipart/form-data; boundary=XB"})
    assert resp.status_code == 202, resp.text
    with cw.sessions() as s:
        names = list(s.scalars(select(CatalogFile.filename).where(
            CatalogFile.tenant_id == cw.a.id)))
    assert names == [kept]
