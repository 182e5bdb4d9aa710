"""Stores, tills and store price lists; every change reaches the change feed."""

from __future__ import annotations

from _catalog_env import CatalogWorld, error_code
from sqlalchemy import select

from cloud.models.feed import ChangeFeedEntry

STORES = "/api/v1/stores"
STORE = {"code": "BUC-1", "name": "Magazin Unirii", "country": "RO",
         "timezone": "Europe/Bucharest",
         "address": {"street": "Bd. Unirii 1", "city": "București", "county": "B",
                     "postalCode": "030167", "country": "RO"},
         "fiscalIds": {"cui": "RO18547290", "regCom": "J40/1234/2020", "vatPayer": True}}
TILL = {"code": "T1", "name": "Casa 1",
        "fiscalDevice": {"kind": "datecs", "model": "DP-25X", "serialNumber": "DT123456",
                         "connection": {"type": "serial", "device": "/dev/ttyUSB0",
                                        "baudrate": 115200}},
        "printers": [{"role": "label", "kind": "zpl", "columns": 48,
                      "connection": {"type": "tcp", "host": "192.0.2.10", "port": 9100}}]}


def feed(cw: CatalogWorld, kind: str) -> list[tuple[str, dict]]:
    with cw.sessions() as s:
        return [(op, payload) for op, payload in s.execute(
            select(ChangeFeedEntry.op, ChangeFeedEntry.payload).where(
                ChangeFeedEntry.tenant_id == cw.a.id, ChangeFeedEntry.entity_type == kind)
            .order_by(ChangeFeedEntry.seq))]


def test_store_and_till_crud(cw: CatalogWorld) -> None:
    resp = cw.as_a("POST", STORES, json=STORE)
    assert resp.status_code == 201, resp.text
    store = resp.json()["data"]
    assert store["currency"] == "RON" and store["fiscalIds"]["cui"] == "RO18547290"
    sid = store["id"]
    assert cw.as_a("POST", STORES, json=STORE).status_code == 409
    assert [s["code"] for s in cw.as_a("GET", STORES).json()["data"]] == ["BUC-1"]
    upd = cw.as_a("PATCH", f"{STORES}/{sid}", json={"name": "Unirii", "settings": {"x": 1}})
    assert upd.json()["data"]["name"] == "Unirii"
    till = cw.as_a("POST", f"{STORES}/{sid}/tills", json=TILL)
    assert till.status_code == 201, till.text
    tid = till.json()["data"]["id"]
    assert till.json()["data"]["fiscalDevice"]["connection"]["baudrate"] == 115200
    listed = cw.as_a("GET", f"{STORES}/{sid}/tills").json()["data"]
    assert [t["code"] for t in listed] == ["T1"]
    cw.as_a("PATCH", f"{STORES}/{sid}/tills/{tid}", json={"printers": []})
    assert cw.as_a("GET", f"{STORES}/{sid}/tills/{tid}").json()["data"]["printers"] == []
    assert cw.as_a("DELETE", f"{STORES}/{sid}/tills/{tid}").status_code == 204
    assert cw.as_a("GET", f"{STORES}/{sid}/tills/{tid}").status_code == 404
    assert [op for op, _ in feed(cw, "till")] == ["upsert", "upsert", "delete"]
    assert cw.as_a("DELETE", f"{STORES}/{sid}").status_code == 204
    assert cw.as_a("GET", f"{STORES}/{sid}").status_code == 404
    assert [op for op, _ in feed(cw, "store")] == ["upsert", "upsert", "delete"]


def test_store_validation(cw: CatalogWorld) -> None:
    bad = cw.as_a("POST", STORES, json={**STORE, "timezone": "Mars/Olympus",
                                        "fiscalIds": {"cui": "RO18547291"}})
    assert bad.status_code == 422 and error_code(bad) == "VAL_MULTIPLE_ERRORS"
    fields = {e["field"]: e["code"] for e in bad.json()["error"]["details"]["errors"]}
    assert fields == {"timezone": "VAL_INVALID_FORMAT", "fiscalIds.cui": "VAL_CUI_INVALID"}
    ua = cw.as_a("POST", STORES, json={"code": "KYIV", "name": "Київ", "country": "UA",
                                       "timezone": "Europe/Kyiv",
                                       "fiscalIds": {"edrpou": "12345678"}})
    assert ua.status_code == 201 and ua.json()["data"]["currency"] == "UAH"
    viewer = cw.api.as_(cw.a.viewer, "POST", STORES, json=STORE)
    assert viewer.status_code == 403


def test_store_price_list_drives_calculate(cw: CatalogWorld) -> None:
    sid = cw.as_a("POST", STORES, json=STORE).json()["data"]["id"]
    pid = cw.create("SP-1", price=10)["id"]
    put = cw.as_a("PUT", f"{STORES}/{sid}/prices", json={"prices": [{"productId": pid,
                                                                     "price": 8.5}]})
    assert put.status_code == 200, put.text
    assert cw.as_a("GET", f"{STORES}/{sid}/prices").json()["data"][0]["price"] == 8.5
    calc = cw.as_a("POST", "/api/v1/pricing/calculate", json={
        "items": [{"productId": pid, "quantity": 2}], "storeId": sid}).json()["data"]
    assert calc["items"][0]["subtotal"] == 17
    unknown = cw.as_a("PUT", f"{STORES}/{sid}/prices",
                      json={"prices": [{"productId": cw.new_id(), "price": 1}]})
    assert unknown.status_code == 422 and error_code(unknown) == "VAL_REFERENCE_INVALID"
    assert cw.as_a("DELETE", f"{STORES}/{sid}/prices/{pid}").status_code == 204
    assert [op for op, p in feed(cw, "store_price")] == ["upsert", "delete"]
    assert feed(cw, "store_price")[0][1]["price"] == 850
