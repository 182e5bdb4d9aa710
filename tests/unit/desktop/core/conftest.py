"""Fixtures for the till core: a real SQLite store in tmp_path, a manual clock, fast argon2.

GIVEN a till with a small Romanian/Ukrainian catalog, a manager and a cashier; tests drive it
only through the public ``Till`` API and read back through it or the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from till_fixtures import CATALOG, make_till

from desktop.core import Permission, Role, Till
from desktop.core.users import Approval
from shared.clock import ManualClock


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "till.sqlite3"


@pytest.fixture
def bare_till(store_path: Path, clock: ManualClock) -> Iterator[Till]:
    """A Ukrainian till with catalog and users, nobody logged in, no shift."""
    till = make_till(store_path, clock)
    till.import_catalog(CATALOG)
    till.create_user("olena", "Olena Manager", Role.STORE_MANAGER, "9999")
    till.login("olena", "9999")
    till.create_user("ana", "Ana Cashier", Role.CASHIER, "1234")
    till.logout()
    yield till
    till.close()


@pytest.fixture
def till(bare_till: Till) -> Till:
    """The cashier ``ana`` logged in with an open shift (float 1000.00)."""
    bare_till.login("ana", "1234")
    bare_till.open_shift(100_000)
    return bare_till


@pytest.fixture
def approve(till: Till) -> Callable[[Permission], Approval]:
    """A store manager's approval for one permission."""
    return lambda permission: till.authorize("olena", "9999", permission)
