"""Diacritic folding, matched fields and reciprocal rank fusion."""

from __future__ import annotations

from cloud.services.search.fulltext import words
from cloud.services.search.fusion import normalise, rrf
from cloud.services.search.text import fold, matched_fields, query_tokens


def test_folding_meets_the_index() -> None:
    assert fold("Șosete Bărbați ÎNCĂLȚĂMINTE") == "sosete barbati incaltaminte"
    assert query_tokens("Sosete, sosete bărbați!") == ["sosete", "barbati"]
    assert words("Șosete_bărbați 42") == ["șosete", "bărbați", "42"]


def test_matched_fields_use_prefixes() -> None:
    fields = {"name": "Șosete bărbați", "category": "Îmbrăcăminte", "sku": "SOS-1"}
    assert matched_fields(["sos", "imbr"], fields) == ["name", "category", "sku"]


def test_rrf_rewards_agreement() -> None:
    fused = rrf([["a", "b", "c"], ["c", "a"]])
    assert [x for x, _ in fused] == ["a", "c", "b"]
    assert normalise(fused[0][1], 2) < 1 and normalise(2 / 61, 2) == 1.0
