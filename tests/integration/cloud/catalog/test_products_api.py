"""Products API (seed 001 §3.1–3.5) on SQLite and PostgreSQL."""

from __future__ import annotations

from _catalog_env import CatalogWorld, error_code, product_body
from sqlalchemy import select

from cloud.models.feed import ChangeFeedEntry

BASE = "/api/v1/products"


def test_create_returns_201_with_rag_job_and_detail_has_everything(cw: CatalogWorld) -> None:
    body = product_body("SOS-1", name="Șosete bărbați", price=12.5, vatRate=21,
                        barcodes=["5901234123457"], stock=10, minStock=2, costPrice=8,
                        tags=["iarna"], specifications={"material": "bumbac", "size": 42},
                        translations={"uk": {"name": "Шкарпетки чоловічі"}}, excise=False,
                        customsCode="6115 95 00", ageRestriction=0,
                        dimensions={"length": 20, "width": 10, "height": 2})
    resp = cw.as_a("POST", BASE, json=body)
    assert resp.status_code == 201, resp.text
    created = resp.json()["data"]
    assert created["sku"] == "SOS-1" and created["status"] == "active"
    assert created["ragIndexJobId"]
    detail = cw.as_a("GET", f"{BASE}/{created['id']}").json()["data"]
    assert detail["price"] == 12.5 and detail["vatRate"] == 21 and detail["vatGroup"] == "standard"
    assert detail["priceWithVat"] == 15.13 and detail["costPrice"] == 8
    assert detail["margin"] == 36.0
    assert (detail["stock"], detail["reservedStock"], detail["availableStock"]) == (10, 0, 10)
    assert detail["barcodes"] == ["5901234123457"] and detail["customsCode"] == "61159500"
    assert detail["translations"] == {"uk": {"name": "Шкарпетки чоловічі"}}
    assert detail["embedding"] == {"hasEmbedding": False, "lastIndexedAt": None,
                                   "chunkCount": 0, "model": "all-MiniLM-L6-v2"}
    assert cw.run_jobs() >= 1
    detail = cw.as_a("GET", f"{BASE}/{created['id']}").json()["data"]
    assert detail["embedding"]["hasEmbedding"] and detail["embedding"]["chunkCount"] == 1


def test_vat_is_checked_against_the_dated_table(cw: CatalogWorld) -> None:
    resp = cw.as_a("POST", BASE, json=product_body("OLD-19", vatRate=19))
    assert resp.status_code == 422 and error_code(resp) == "VAL_INVALID_ENUM"
    assert resp.json()["error"]["field"] == "vatRate"
    assert cw.as_a("POST", BASE, json=product_body("NEW-11", vatRate=11)).status_code == 201


def test_duplicates_and_validation_errors(cw: CatalogWorld) -> None:
    cw.create("DUP", barcodes=["5901234123457"])
    again = cw.as_a("POST", BASE, json=product_body("DUP"))
    assert again.status_code == 409 and error_code(again) == "VAL_DUPLICATE"
    code_taken = cw.as_a("POST", BASE, json=product_body("OTHER", barcodes=["5901234123457"]))
    assert code_taken.status_code == 409 and code_taken.json()["error"]["field"] == "barcodes"
    many = cw.as_a("POST", BASE, json={"sku": "X", "name": "x", "category": "c", "price": -1,
                                       "vatRate": 7, "unit": "buc"})
    assert many.status_code == 422 and error_code(many) == "VAL_MULTIPLE_ERRORS"
    fields = {e["field"] for e in many.json()["error"]["details"]["errors"]}
    assert fields == {"price", "vatRate"}
    missing = cw.as_a("POST", BASE, json={"sku": "Y"})
    assert missing.status_code == 422


def test_patch_reports_changed_fields_and_reindexes_on_text_change(cw: CatalogWorld) -> None:
    pid = cw.create("P1")["id"]
    resp = cw.as_a("PATCH", f"{BASE}/{pid}", json={"price": 11, "vatRate": 11})
    data = resp.json()["data"]
    assert resp.status_code == 200 and data["changedFields"] == ["price", "vatGroup"]
    assert data["ragReindexJobId"] is None
    renamed = cw.as_a("PATCH", f"{BASE}/{pid}", json={"name": "Ciorapi lână",
                                                     "subcategory": None}).json()["data"]
    assert renamed["changedFields"] == ["name"] and renamed["ragReindexJobId"]
    same = cw.as_a("PATCH", f"{BASE}/{pid}", json={"name": "Ciorapi lână"}).json()["data"]
    assert same["changedFields"] == []
    bad = cw.as_a("PATCH", f"{BASE}/{pid}", json={"stock": 5})
    assert bad.status_code == 422


def test_list_filters_and_sorts(cw: CatalogWorld) -> None:
    cw.create("B-2", name="Bere blondă", category="Băuturi", price=7, stock=5)
    cw.create("A-1", name="Apă plată", category="Băuturi", price=3, stock=0)
    cw.create("C-3", name="Cafea boabe", category="Cafea", price=45, stock=12,
              status="inactive")
    cw.create("D-4", name="Ceai verde", category="Ceai", price=15, stock=2)

    def skus(query: str) -> list[str]:
        resp = cw.as_a("GET", f"{BASE}?{query}")
        assert resp.status_code == 200, resp.text
        return [p["sku"] for p in resp.json()["data"]]

    assert skus("sort=sku") == ["A-1", "B-2", "C-3", "D-4"]
    assert skus("sort=price&order=desc") == ["C-3", "D-4", "B-2", "A-1"]
    assert skus("sort=stock&order=desc") == ["C-3", "B-2", "D-4", "A-1"]
    assert skus("sort=name") == ["A-1", "B-2", "C-3", "D-4"]
    assert skus("category=B%C4%83uturi&sort=sku") == ["A-1", "B-2"]
    assert skus("status=inactive") == ["C-3"]
    assert skus("minPrice=5&maxPrice=20&sort=price") == ["B-2", "D-4"]
    assert skus("inStock=true&sort=sku") == ["B-2", "C-3", "D-4"]
    assert skus("inStock=false") == ["A-1"]
    assert skus("search=cafea") == ["C-3"]
    assert skus("search=apa%20plata") == ["A-1"]
    assert skus("hasEmbedding=true") == []
    page = cw.as_a("GET", f"{BASE}?sort=sku&limit=3&page=2").json()
    assert [p["sku"] for p in page["data"]] == ["D-4"]
    assert page["pagination"] == {"page": 2, "limit": 3, "total": 4, "totalPages": 2,
                                  "hasNext": False, "hasPrevious": True}
    item = cw.as_a("GET", f"{BASE}?sort=sku&limit=1").json()["data"][0]
    assert set(item) >= {"id", "sku", "name", "category", "price", "currency", "vatRate",
                         "unit", "stock", "status", "hasEmbedding", "thumbnailUrl",
                         "createdAt", "updatedAt"}
    bad = cw.as_a("GET", f"{BASE}?sort=colour")
    assert bad.status_code == 422


def test_soft_delete_leaves_a_tombstone_and_frees_the_sku(cw: CatalogWorld) -> None:
    pid = cw.create("GONE", barcodes=["96385074"])["id"]
    assert cw.as_a("DELETE", f"{BASE}/{pid}").status_code == 204
    gone = cw.as_a("GET", f"{BASE}/{pid}")
    assert gone.status_code == 410 and error_code(gone) == "RES_DELETED"
    assert cw.as_a("GET", f"{BASE}?search=gone").json()["data"] == []
    with cw.sessions() as s:
        ops = s.execute(select(ChangeFeedEntry.op, ChangeFeedEntry.payload).where(
            ChangeFeedEntry.tenant_id == cw.a.id, ChangeFeedEntry.entity_type == "product")
            .order_by(ChangeFeedEntry.seq)).all()
    assert [o for o, _ in ops] == ["upsert", "delete"]
    assert ops[0][1]["barcodes"] == ["96385074"] and ops[1][1] == {"id": pid, "sku": "GONE"}
    revived = cw.as_a("POST", BASE, json=product_body("GONE", barcodes=["96385074"]))
    assert revived.status_code == 201 and revived.json()["data"]["id"] == pid
    assert cw.as_a("DELETE", f"{BASE}/{pid}?hard=true").status_code == 204
    assert cw.as_a("GET", f"{BASE}/{pid}").status_code == 404


def test_delete_refused_while_a_negotiation_holds_stock(cw: CatalogWorld) -> None:
    """Seed 001 §3.5: 409 "Cannot delete product with active negotiations"."""
    pid = cw.create("HELD", stock=2)["id"]
    res = cw.as_a("POST", "/api/v1/stock/reserve", json={
        "negotiationId": "NEG-9", "items": [{"productId": pid, "quantity": 1}]}).json()["data"]
    refused = cw.as_a("DELETE", f"{BASE}/{pid}")
    assert refused.status_code == 409
    assert refused.json()["error"]["message"] == "Cannot delete product with active negotiations"
    cw.as_a("DELETE", f"/api/v1/stock/reservations/{res['reservationId']}")
    assert cw.as_a("DELETE", f"{BASE}/{pid}").status_code == 204


def test_permissions(cw: CatalogWorld) -> None:
    pid = cw.create("PERM")["id"]
    viewer = cw.a.viewer
    assert cw.api.as_(viewer, "GET", f"{BASE}/{pid}").status_code == 200
    denied = cw.api.as_(viewer, "POST", BASE, json=product_body("NOPE"))
    assert denied.status_code == 403 and error_code(denied) == "AUTHZ_PERMISSION_DENIED"
    assert cw.api.as_(viewer, "DELETE", f"{BASE}/{pid}").status_code == 403
    assert cw.api.client.get(BASE).status_code == 401
    key = cw.api.client.get(BASE, headers={"X-API-Key": cw.a.key})
    assert key.status_code == 200 and key.json()["data"][0]["sku"] == "PERM"


def test_hard_delete_of_a_product_with_stock_history_needs_cascade(cw: CatalogWorld) -> None:
    """The ledger has no foreign key (it is written at sale speed): the delete removes the
    product's history itself, and only when asked to."""
    from cloud.models.stock import StockMovement

    pid = cw.create("HIST", stock=4)["id"]
    keep = cw.create("KEEP", stock=2)["id"]
    refused = cw.as_a("DELETE", f"{BASE}/{pid}?hard=true")
    assert refused.status_code == 409 and error_code(refused) == "RES_LOCKED"
    assert cw.as_a("DELETE", f"{BASE}/{pid}?hard=true&cascade=true").status_code == 204
    assert cw.as_a("GET", f"{BASE}/{pid}").status_code == 404
    with cw.sessions() as s:
        left = s.execute(select(StockMovement.product_id).where(
            StockMovement.tenant_id == cw.a.id)).scalars().all()
    assert str(pid) not in {str(p) for p in left} and keep in {str(p) for p in left}
