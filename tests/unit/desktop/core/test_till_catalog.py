"""Catalog: lookups, FTS search (diacritics, Cyrillic case, apostrophes), bulk load, sync, CSV."""

from __future__ import annotations

from pathlib import Path

import pytest
from till_fixtures import CATALOG, MILK, PINS

from desktop.core import Category, ProductRecord, Till, TillSettings, Unit
from desktop.core.catalog_csv import write_catalog_csv
from desktop.core.errors import InvalidCatalogData, UnknownBarcode, UnknownProduct
from desktop.store import SqliteStorage
from shared.clock import ManualClock


def names(products: list) -> list[str]:  # type: ignore[type-arg]
    return [p.sku for p in products]


@pytest.mark.parametrize(("query", "sku"), [
    ("sosete", "SOCKS"), ("ȘOSETE", "SOCKS"), ("şosete", "SOCKS"), ("sos", "SOCKS"),
    ("шкарпетки", "SOCKS"), ("ШКАРП", "SOCKS"),            # translation, Cyrillic upper case
    ("хліб", "BREAD"), ("ХЛІБ ЖИТ", "BREAD"), ("Хліб", "BREAD"),
    ("мясо", "MEAT"), ("м'ясо", "MEAT"), ("мʼясо", "MEAT"), ("МЯСО", "MEAT"),
    ("carne vita", "MEAT"), ("MILK", "MILK"), (MILK, "MILK"),
])
def test_search_is_diacritic_case_and_apostrophe_insensitive(bare_till: Till, query: str,
                                                             sku: str) -> None:
    assert names(bare_till.search(query))[:1] == [sku]


def test_search_skips_inactive_products_and_unmatched_words(bare_till: Till) -> None:
    assert bare_till.search("retras") == []
    assert bare_till.search("хліб неіснуюче") == []
    assert bare_till.search("x") == []
    assert bare_till.search('"; DROP TABLE products; --') == []


def test_python_folding_mode_gives_the_same_answers(tmp_path: Path) -> None:
    till = Till(SqliteStorage(tmp_path / "fold.sqlite3", fold=True), TillSettings.for_country(
        "UA"), clock=ManualClock(), pins=PINS)
    till.import_catalog(CATALOG)
    for query, sku in (("sosete", "SOCKS"), ("ХЛІБ", "BREAD"), ("мясо", "MEAT"),
                       ("ШКАРП", "SOCKS")):
        assert names(till.search(query))[:1] == [sku], query
    assert till.doctor().ok
    till.close()


def test_lookup_errors(bare_till: Till) -> None:
    with pytest.raises(UnknownBarcode) as exc:
        bare_till.lookup("4006381333931")
    assert exc.value.code == "TILL_UNKNOWN_BARCODE" and exc.value.status == 404
    label = "2009999010006"  # scale label for PLU 99999, which no product has
    from desktop.core.barcodes import gtin_check_digit
    label = label[:12] + str(gtin_check_digit(label[:12]))
    with pytest.raises(UnknownBarcode):
        bare_till.lookup(label)
    with pytest.raises(UnknownProduct):
        bare_till.product("NOPE")


def test_replace_load_swaps_the_whole_catalog(bare_till: Till) -> None:
    res = bare_till.import_catalog([ProductRecord("NEW", "Nou", 100, "standard",
                                                  barcodes=("123",))], replace=True)
    assert (res.inserted, bare_till.catalog_size()) == (1, 1)
    assert bare_till.search("sosete") == [] and bare_till.lookup("123").product.sku == "NEW"
    assert bare_till.doctor().ok


def test_invalid_data_changes_nothing(bare_till: Till) -> None:
    bad = [ProductRecord("OK1", "Ok", 100, "standard"),
           ProductRecord("BAD", "Bad", 100, "no-such-group")]
    with pytest.raises(InvalidCatalogData) as exc:
        bare_till.import_catalog(bad, replace=True)
    assert exc.value.field == "vat_group"
    dupes = [ProductRecord("D", "One", 1, "standard"), ProductRecord("D", "Two", 1, "standard")]
    with pytest.raises(InvalidCatalogData) as exc2:
        bare_till.import_catalog(dupes, replace=True)
    assert exc2.value.details["skus"] == ["D"]
    assert bare_till.catalog_size() == len(CATALOG) and names(bare_till.search("sosete"))
    assert bare_till.doctor().ok


@pytest.mark.parametrize("record", [
    ProductRecord("", "x", 1, "standard"), ProductRecord("A B", "x", 1, "standard"),
    ProductRecord("A", " ", 1, "standard"), ProductRecord("A", "x", -1, "standard"),
    ProductRecord("A", "x", 1, "standard", barcodes=("12 3",)),
    ProductRecord("A", "x", 1, "standard", plu="12a"),
])
def test_record_validation(record: ProductRecord) -> None:
    with pytest.raises(InvalidCatalogData):
        record.validate(frozenset({"standard"}))


def test_sync_pages_upsert_delete_and_store_the_cursor(bare_till: Till) -> None:
    assert bare_till.catalog_cursor() is None
    changed = ProductRecord("MILK", "Молоко 3,2%", 4599, "reduced", barcodes=("4820000000055",))
    res = bare_till.apply_catalog_changes(
        [changed, ProductRecord("TEA", "Чай зелений", 5000, "standard", barcodes=(MILK,))],
        ["BREAD", "NEVER-HAD"], cursor="feed:42", categories=[Category("C1", "Lactate")])
    assert (res.inserted, res.updated, res.deleted) == (1, 1, 1)
    assert bare_till.catalog_cursor() == "feed:42"
    assert bare_till.lookup(MILK).product.sku == "TEA"  # the barcode moved (cloud wins)
    assert bare_till.product("MILK").price == 4599
    assert names(bare_till.search("молоко")) == ["MILK"] and bare_till.search("хліб") == []
    with pytest.raises(UnknownProduct):
        bare_till.product("BREAD")
    assert bare_till.categories() == [Category("C1", "Lactate")]
    assert bare_till.doctor().ok  # FTS index consistent after incremental changes


def test_upsert_without_replace_keeps_other_products(bare_till: Till) -> None:
    res = bare_till.import_catalog([ProductRecord("SOCKS", "Șosete lână", 2999, "standard"),
                                    ProductRecord("HAT", "Căciulă", 4999, "standard")])
    assert (res.inserted, res.updated) == (1, 1)
    assert bare_till.catalog_size() == len(CATALOG) + 1
    assert names(bare_till.search("lana")) == ["SOCKS"] and bare_till.barcodes("SOCKS") == []


def test_csv_round_trip_and_semicolon_files(bare_till: Till, tmp_path: Path) -> None:
    path = tmp_path / "cat.csv"
    assert write_catalog_csv(path, CATALOG, languages=("uk", "ro")) == len(CATALOG)
    res = bare_till.import_catalog_csv(path, replace=True)
    assert res.inserted == len(CATALOG)
    for rec in CATALOG:
        p = bare_till.product(rec.sku)
        assert (p.name, p.price, p.unit, p.excise, p.active, p.plu, dict(p.names)) == (
            rec.name, rec.price, rec.unit, rec.excise, rec.active, rec.plu, dict(rec.names))
    semi = tmp_path / "semi.csv"
    semi.write_text("\ufeffSKU;Name;Price;VAT_group;Unit;Barcodes;Excise\n"
                    "A1;Mere;5,99;reduced;kg;;nu\nA2;Bere;4,50;standard;buc;111|222;da\n",
                    encoding="utf-8")
    bare_till.import_catalog_csv(semi, replace=True)
    assert bare_till.product("A1").unit is Unit.KG and bare_till.product("A1").price == 599
    assert bare_till.product("A2").excise and bare_till.lookup("222").product.sku == "A2"


@pytest.mark.parametrize(("content", "needle"), [
    ("sku,name\nA,B\n", "lacks columns"),
    ("sku,name,price,vat_group\nA,B,12.345,standard\n", "line 2"),
    ("sku,name,price,vat_group,unit\nA,B,1,standard,box\n", "unknown unit"),
    ("sku,name,price,vat_group,excise\nA,B,1,standard,maybe\n", "excise"),
])
def test_bad_csv_is_refused_with_the_line(bare_till: Till, tmp_path: Path, content: str,
                                          needle: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidCatalogData) as exc:
        bare_till.import_catalog_csv(path, replace=True)
    assert needle in exc.value.message
    assert bare_till.catalog_size() == len(CATALOG)


def test_big_update_of_a_live_catalog_upserts_in_bulk(bare_till: Till) -> None:
    from desktop.core.demo_catalog import generate_products

    bare_till.import_catalog(generate_products(1500, seed=1, country="UA"))  # bulk upsert
    assert bare_till.catalog_size() == len(CATALOG) + 1500
    changed = [ProductRecord(r.sku, r.name + " nou", r.price + 1, r.vat_group,
                             barcodes=("77" + r.sku[3:],))
               for r in generate_products(1200, seed=1, country="UA")]
    res = bare_till.import_catalog([*changed, ProductRecord("SOCKS", "Ciorapi", 1, "standard")])
    assert (res.inserted, res.updated) == (0, 1201)
    first = changed[0]
    assert bare_till.product(first.sku).price == first.price
    assert bare_till.barcodes(first.sku) == list(first.barcodes)
    assert bare_till.lookup(first.barcodes[0]).product.sku == first.sku
    assert names(bare_till.search("ciorapi")) == ["SOCKS"]
    assert "SOCKS" not in names(bare_till.search("sosete", limit=200))
    assert bare_till.doctor().ok
