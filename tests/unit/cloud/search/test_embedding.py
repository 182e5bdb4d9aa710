"""The numpy MiniLM matches the published model's similarities and ranks sensibly."""

from __future__ import annotations

import numpy as np
import pytest

from cloud.services.search.embedding import get_model


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    return get_model()


def test_reproduces_sentence_transformers_reference_values(model) -> None:  # type: ignore
    # all-MiniLM-L6-v2's documented cosine similarities (sentence-transformers quickstart).
    e = model.encode(["The weather is lovely today.", "It's so sunny outside!",
                      "He drove to the stadium."])
    sims = e @ e.T
    assert sims[0, 1] == pytest.approx(0.6660, abs=1e-3)
    assert sims[0, 2] == pytest.approx(0.1046, abs=1e-3)
    assert sims[1, 2] == pytest.approx(0.1411, abs=1e-3)


def test_vectors_are_unit_length_and_batching_does_not_change_them(model) -> None:  # type: ignore
    texts = ["sock", "a much longer sentence about winter hosiery for men", "laptop"]
    together = model.encode(texts)
    alone = np.vstack([model.encode([t]) for t in texts])
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.allclose(together, alone, atol=1e-5)


def test_sock_is_closer_to_hosiery_and_sosete_than_to_laptop(model) -> None:  # type: ignore
    q = model.encode_one("sock")
    docs = model.encode(["Men's hosiery multipack", "Șosete bărbați bumbac", "Laptop 15 inch"])
    sims = docs @ q
    assert sims[0] > sims[2] and sims[1] > sims[2]
