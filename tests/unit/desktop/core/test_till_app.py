"""The composition root: one store per till home, settings persisted, store always closed."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.app import build_till, open_till
from desktop.config import TillConfig
from desktop.core import TillSettings
from desktop.core.errors import InvalidSettings
from desktop.store import StoreError


def test_settings_are_stored_and_reused(tmp_path: Path) -> None:
    cfg = TillConfig(home=tmp_path / "till")
    with open_till(cfg, settings=TillSettings.for_country("UA", store_code="K1")) as till:
        assert till.settings.cash_rounding == 10
    with open_till(cfg) as till:
        assert (till.settings.country, till.settings.store_code) == ("UA", "K1")
        assert cfg.store_path.exists()
    with pytest.raises(StoreError):
        till.catalog_size()  # closed with the context


def test_defaults_on_a_new_store_are_romanian(tmp_path: Path) -> None:
    till = build_till(TillConfig(home=tmp_path))
    assert (till.settings.country, till.settings.currency, till.settings.cash_rounding) == (
        "RO", "RON", 1)
    till.close()


def test_invalid_settings_are_refused() -> None:
    with pytest.raises(InvalidSettings):
        TillSettings.for_country("DE")
    with pytest.raises(InvalidSettings):
        TillSettings(store_code="no spaces")
    with pytest.raises(InvalidSettings):
        TillSettings.from_dict({"country": "UA", "cash_rounding": 7})
    s = TillSettings.for_country("UA", header=("Магазин",), extra={"printer": {"cols": 42}})
    assert TillSettings.from_dict(s.to_dict()) == s
