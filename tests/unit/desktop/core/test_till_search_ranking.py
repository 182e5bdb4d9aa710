"""Search ranking: exact codes, then names starting with the query, then names with a later word
starting with it, then FTS5 relevance; ties by name, then SKU. Products are inserted so that
catalog order (what search used to return) is the wrong answer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from till_fixtures import PINS

from desktop.core import ProductRecord, Till, TillSettings, Unit
from desktop.core.catalog import search_terms
from desktop.core.demo_catalog import generate_products, vocabulary
from desktop.core.search_rank import name_key
from desktop.store import SqliteStorage
from shared.clock import ManualClock


def rec(sku: str, name: str, *, barcodes: tuple[str, ...] = (), **kw: object) -> ProductRecord:
    return ProductRecord(sku, name, 1000, "standard", barcodes=barcodes, **kw)  # type: ignore[arg-type]


# catalog (insertion) order puts every best match last
SHOP = [
    rec("CHOC", "Ciocolată cu lapte"),
    rec("YOG", "Iaurt din lapte de capră"),
    rec("GOAT", "Lapte de capră"),
    rec("MILK15", "Lapte 1,5%", barcodes=("5940000000011",)),
    rec("KEFIR", "Кефір з молоком"),
    rec("COW", "Lapte de vacă", names={"uk": "Молоко коров'яче"}),
    rec("MOLOKO", "Молоко 2,5%"),
    rec("STOCKINGS", "Ciorapi și șosete"),
    rec("SOCKS", "Șosete bumbac"),
    rec("MEAT", "М'ясо яловиче"),
    rec("OLDMILK", "Lapte retras", active=False, barcodes=("5940000000028",)),
]


def skus(products: list) -> list[str]:  # type: ignore[type-arg]
    return [p.sku for p in products]


def open_till(path: Path, *, fold: bool | None = None) -> Till:
    return Till(SqliteStorage(path, fold=fold), TillSettings.for_country("UA"),
                clock=ManualClock(), pins=PINS)


@pytest.fixture(params=[None, True], ids=["sqlite-folding", "python-folding"])
def shop(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Till]:
    till = open_till(tmp_path / "shop.sqlite3", fold=request.param)
    till.import_catalog(SHOP)
    yield till
    till.close()


def test_names_starting_with_the_query_come_first_in_name_order(shop: Till) -> None:
    for query in ("lapte", "lap", "LAPTE", "Lapte"):
        assert skus(shop.search(query)) == ["MILK15", "GOAT", "COW", "CHOC", "YOG"], query


def test_the_limit_keeps_the_best_matches_not_the_first_in_the_catalog(shop: Till) -> None:
    assert skus(shop.search("lapte", limit=2)) == ["MILK15", "GOAT"]
    assert skus(shop.search("lapte", limit=4)) == ["MILK15", "GOAT", "COW", "CHOC"]


def test_an_exact_barcode_sku_or_plu_beats_name_matches(shop: Till) -> None:
    shop.import_catalog([rec("LABEL", "Etichete 5940000000011 rola"),
                         rec("LAPTE", "Biscuiți"),
                         rec("CHEESE", "Cașcaval 101 zile", unit=Unit.KG),
                         rec("SCALE", "Brânză", unit=Unit.KG, plu="101")])
    assert skus(shop.search("5940000000011")) == ["MILK15", "LABEL"]
    assert skus(shop.search("LAPTE"))[:2] == ["LAPTE", "MILK15"]
    assert skus(shop.search("101")) == ["SCALE", "CHEESE"]


def test_cyrillic_is_ranked_case_insensitively(shop: Till) -> None:
    # name starts with it, then a later word, then a translation only
    for query in ("мол", "МОЛ", "Молоко"):
        assert skus(shop.search(query)) == ["MOLOKO", "KEFIR", "COW"], query
    assert skus(shop.search("мясо")) == ["MEAT"]
    assert skus(shop.search("мʼясо")) == ["MEAT"]


def test_romanian_diacritics_are_ranked_without_them(shop: Till) -> None:
    for query in ("sosete", "ȘOSETE", "şos", "sos"):
        assert skus(shop.search(query)) == ["SOCKS", "STOCKINGS"], query
    assert skus(shop.search("capra")) == ["YOG", "GOAT"]  # both a later word: by name


def test_inactive_products_are_never_offered(shop: Till) -> None:
    assert "OLDMILK" not in skus(shop.search("lapte", limit=200))
    assert shop.search("retras") == []
    assert shop.search("5940000000028") == []  # its exact barcode either


def test_several_words_must_all_match_and_a_leading_phrase_wins(shop: Till) -> None:
    assert skus(shop.search("lapte de")) == ["GOAT", "COW", "YOG"]
    assert skus(shop.search("lapte capra")) == ["GOAT", "YOG"]
    assert skus(shop.search("capra lapte")) == ["GOAT", "YOG"]
    assert shop.search("lapte oaie") == []


def test_words_in_any_order_are_ranked_by_relevance(tmp_path: Path) -> None:
    # bm25 needs words that are rare in the catalog: 20 unrelated products around them
    till = open_till(tmp_path / "bm25.sqlite3")
    filler = [rec(f"W{i:02d}", f"Apă minerală {i}") for i in range(20)]
    till.import_catalog([
        *filler[:10],
        rec("LONG", "Brânză de capră maturată cu lapte crud și ierburi de munte"),
        rec("SHORT", "Telemea capră lapte"),
        *filler[10:],
    ])
    # by name, "brânză…" would come first: the shorter, denser match is more relevant
    assert skus(till.search("lapte capra")) == ["SHORT", "LONG"]
    till.close()


def test_ties_go_by_name_then_sku_and_repeat_exactly(shop: Till) -> None:
    shop.import_catalog([rec("Z-WATER", "Apă plată 0,5L"), rec("A-WATER", "Apă plată 0,5L"),
                         rec("M-WATER", "APA PLATA 0,5l"), rec("SPARK", "Apă minerală")])
    first = skus(shop.search("apa"))
    assert first == ["SPARK", "A-WATER", "M-WATER", "Z-WATER"]
    assert all(skus(shop.search("apa")) == first for _ in range(3))


def test_every_name_starting_with_the_query_is_found_on_a_big_catalog(tmp_path: Path) -> None:
    # More matches than search looks at, all before the best one in catalog order: names
    # starting with the query come from their own index, not from the first FTS matches.
    till = open_till(tmp_path / "big.sqlite3")
    till.import_catalog([*(rec(f"C{i:04d}", f"Ciocolată cu lapte {i}") for i in range(600)),
                         rec("ZUZU", "Lapte Zuzu 1,5%"), rec("ALPIN", "Lapte Alpin")])
    assert skus(till.search("lapte", limit=3))[:2] == ["ALPIN", "ZUZU"]
    assert skus(till.search("lapte zu")) == ["ZUZU"]
    assert len(till.search("lapte", limit=200)) == 200
    till.close()


def test_catalog_changes_keep_the_ranking_current(shop: Till) -> None:
    # a sync page renames a product, a big update renames it back: both re-rank it
    shop.apply_catalog_changes([rec("CHOC", "Lapte cu cacao")], ["GOAT"])
    assert skus(shop.search("lapte")) == ["MILK15", "CHOC", "COW", "YOG"]
    many = [*(rec(f"F{i:04d}", f"Făină albă {i}") for i in range(1000)),
            rec("CHOC", "Ciocolată cu lapte")]
    shop.import_catalog(many)  # bulk upsert of a live catalog
    assert skus(shop.search("lapte")) == ["MILK15", "COW", "CHOC", "YOG"]
    assert shop.doctor().ok


@pytest.mark.parametrize("text", [
    *vocabulary(), "Șosete ȘOSETE şosete", "М'ЯСО мʼясо ЇЖАК йогурт Ґанок", "Cablu 2x1,5 (metru)",
    "Straße ﬁ ½ Cris-Tim _x_ a\u00a0b", "Čokoláda ÀÉÎÕÜ", "  ", "Парацетамол 500мг №10",
])
def test_name_key_folds_like_the_search_terms(text: str) -> None:
    assert name_key(text) == " ".join(search_terms(text, fold=True))


def test_name_key_of_generated_names() -> None:
    for r in generate_products(2000):
        assert name_key(r.name) == " ".join(search_terms(r.name, fold=True)), r.name


def test_name_key_stays_right_when_its_word_cache_is_cleared(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.core import search_rank

    monkeypatch.setattr(search_rank, "_MAX_WORDS", 3)
    search_rank._WORD_KEYS.clear()
    for r in generate_products(50, seed=3):
        assert name_key(r.name) == " ".join(search_terms(r.name, fold=True)), r.name
    assert len(search_rank._WORD_KEYS) <= 3
