"""Hybrid search over a small fixed catalog: diacritics, semantics, fusion, filters."""

from __future__ import annotations

import pytest
from _catalog_env import CatalogWorld

SEARCH = "/api/v1/products/search"
CATALOG = [
    ("SOS-1", "Șosete bărbați bumbac", "Îmbrăcăminte", 12, 10),
    ("HOS-1", "Men's hosiery multipack", "Apparel", 30, 0),
    ("LAP-1", "Laptop 15 inch", "IT", 3500, 3),
    ("CAF-1", "Cafea boabe 1kg", "Alimente", 45, 8),
    ("CHR-1", "Office chair ergonomic", "Furniture", 600, 2),
    ("TEA-1", "Green tea leaves", "Alimente", 20, 5),
]


@pytest.fixture
def catalog(cw: CatalogWorld) -> CatalogWorld:
    for sku, name, cat, price, stock in CATALOG:
        cw.create(sku, name=name, category=cat, price=price, stock=stock)
    cw.run_jobs()  # embeddings
    return cw


def find(cw: CatalogWorld, query: str, **body: object) -> list[dict]:
    resp = cw.as_a("POST", SEARCH, json={"query": query, **body})
    assert resp.status_code == 200, resp.text
    data = resp.json()["data"]
    assert data["totalFound"] >= len(data["results"]) and data["searchTime"] >= 0
    return list(data["results"])


def test_keyword_search_ignores_diacritics(catalog: CatalogWorld) -> None:
    hits = find(catalog, "sosete barbati", searchType="keyword")
    assert [h["product"]["sku"] for h in hits] == ["SOS-1"]
    assert hits[0]["matchType"] == "keyword" and hits[0]["matchedFields"] == ["name"]
    assert find(catalog, "ȘOSETE", searchType="keyword")[0]["product"]["sku"] == "SOS-1"


def test_hybrid_puts_the_exact_match_first_with_scores(catalog: CatalogWorld) -> None:
    hits = find(catalog, "sosete barbati", limit=3, includeChunks=True)
    top = hits[0]
    assert top["product"]["sku"] == "SOS-1" and top["matchType"] == "hybrid"
    assert top["score"] == 1.0 and 0 < hits[1]["score"] < 1
    assert "<mark>Șosete</mark>" in top["matchedChunks"][0]["highlight"]


def test_semantic_query_finds_a_product_sharing_no_word(catalog: CatalogWorld) -> None:
    hits = find(catalog, "warm socks", searchType="semantic", limit=2)
    assert hits[0]["product"]["sku"] == "HOS-1" and hits[0]["matchType"] == "semantic"
    assert hits[0]["matchedFields"] == []
    assert find(catalog, "something to sit on", searchType="semantic")[0]["product"]["sku"] \
        == "CHR-1"
    hybrid = find(catalog, "warm socks")
    assert hybrid[0]["product"]["sku"] == "HOS-1"


def test_filters_threshold_and_embedding(catalog: CatalogWorld) -> None:
    hits = find(catalog, "drink", filters={"category": "Alimente"}, limit=5)
    assert {h["product"]["sku"] for h in hits} <= {"CAF-1", "TEA-1"} and hits
    assert all(h["product"]["sku"] != "HOS-1"
               for h in find(catalog, "socks", filters={"inStock": True}))
    strict = find(catalog, "warm socks", searchType="semantic", threshold=0.99)
    assert strict == []
    resp = catalog.as_a("POST", SEARCH, json={"query": "tea", "includeEmbedding": True})
    assert len(resp.json()["data"]["queryEmbedding"]) == 384
    bad = catalog.as_a("POST", SEARCH, json={"query": "", "limit": 100})
    assert bad.status_code == 422


def test_deleted_products_drop_out_of_search(catalog: CatalogWorld) -> None:
    pid = find(catalog, "laptop", searchType="keyword")[0]["product"]["id"]
    assert catalog.as_a("DELETE", f"/api/v1/products/{pid}").status_code == 204
    assert all(h["product"]["id"] != pid for h in find(catalog, "laptop computer"))
