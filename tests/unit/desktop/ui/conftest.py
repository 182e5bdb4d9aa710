"""Fixtures for the cashier app tests (helpers live in ``ui_helpers``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from ui_helpers import Ui, make_till, open_ui

from desktop.core import Till
from desktop.ui import translations


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations() -> None:
    """The .qm files, as ``make i18n`` builds them (when pytest runs without make)."""
    translations.build()


@pytest.fixture
def till(tmp_path: Path) -> Iterator[Till]:
    t = make_till(tmp_path / "till.sqlite3")
    try:
        yield t
    finally:
        t.close()


@pytest.fixture
def ui(qtbot: QtBot, till: Till, tmp_path: Path) -> Iterator[Ui]:
    u, close = open_ui(qtbot, till, tmp_path / "home")
    try:
        yield u
    finally:
        close()




@pytest.fixture
def english(qapp: object) -> Iterator[None]:
    """English texts with their plural forms (the en .qm installed)."""
    from desktop.ui.locale import Language

    language = Language("en")
    try:
        yield
    finally:
        language.set("en")
        language.deleteLater()
