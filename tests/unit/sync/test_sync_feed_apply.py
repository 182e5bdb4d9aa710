"""Applying the cloud's changes on a till: idempotent, last change wins, bad rows never stall.

GIVEN a real till store
WHEN pages of product and user changes are applied (twice, in any crash-repeat pattern), or a
     snapshot stream arrives whole, cut short or damaged
THEN the catalog ends up as the cloud's, the cursor moves only with its page, removed users
     cannot log in, and a cut snapshot leaves nothing behind.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core import PinHasher, Till, TillSettings
from desktop.core.errors import InvalidPin, UnknownProduct
from desktop.store import SqliteStorage
from desktop.sync_ports import TillProductReader, TillSyncPorts
from sync.errors import BadResponse
from sync.feed import apply_changes, snapshot_reader
from sync.ports import REVOKED_PIN
from sync.protocol import PRODUCT_FIELDS, Change, product_row

PINS = PinHasher(fast=True)


@pytest.fixture
def till(tmp_path: Path) -> Iterator[Till]:
    t = Till(SqliteStorage(tmp_path / "till.sqlite3"), TillSettings(), pins=PINS)
    yield t
    t.close()


def product(sku: str, price: int = 1210, **extra: object) -> Change:
    data = {"sku": sku, "name": f"Product {sku}", "price": price, "vat_group": "standard",
            "unit": "pcs", "barcodes": [], "category": "Food", **extra}
    return Change(kind="product", op="upsert", key=sku, data=data)


def gone(sku: str) -> Change:
    return Change(kind="product", op="delete", key=sku)


def test_a_page_is_idempotent_and_the_last_change_of_a_sku_wins(till: Till) -> None:
    page = [product("A"), product("B"), product("A", 999), gone("B"), product("C")]
    first = apply_changes(TillSyncPorts(till), page, cursor="7")
    # A crash before the next page: the page is repeated.
    again = apply_changes(TillSyncPorts(till), page, cursor="7")
    assert till.product("A").price == 999 and till.product("C").name == "Product C"
    with pytest.raises(UnknownProduct):
        till.product("B")
    assert till.catalog_cursor() == "7" and till.catalog_size() == 2
    assert (first.upserts, again.upserts) == (2, 2)
    apply_changes(TillSyncPorts(till), [product("B"), gone("B")], cursor="8")
    with pytest.raises(UnknownProduct):
        till.product("B")


def test_a_product_the_till_cannot_take_is_skipped_not_blocking(till: Till) -> None:
    page = [product("OK-1"), product("BAD", vat_group="no-such-group"), product("bad sku")]
    applied = apply_changes(TillSyncPorts(till), page, cursor="3")
    assert applied.skipped == ["BAD", "bad sku"]
    assert till.catalog_size() == 1 and till.catalog_cursor() == "3"


def test_users_arrive_with_pin_hashes_and_a_removed_user_is_locked_out(till: Till) -> None:
    pin_hash = PINS.hash("4321")
    user = Change(kind="till_user", op="upsert", key="u-1",
                  data={"id": "u-1", "login": "maria", "name": "Maria", "role": "cashier",
                        "pin_hash": pin_hash})
    apply_changes(TillSyncPorts(till), [user], cursor="1")
    apply_changes(TillSyncPorts(till), [user], cursor="1")
    assert till.login("maria", "4321").role.value == "cashier"
    till.logout()
    new_hash = PINS.hash("1111")
    changed = user.model_copy(update={"data": {**user.data, "pin_hash": new_hash}})
    apply_changes(TillSyncPorts(till), [changed], cursor="2")
    with pytest.raises(InvalidPin):
        till.login("maria", "4321")
    assert till.login("maria", "1111").name == "Maria"
    till.logout()
    apply_changes(TillSyncPorts(till), [Change(kind="till_user", op="delete", key="u-1",
                                data={"login": "maria"})], cursor="3")
    with pytest.raises(InvalidPin):
        till.login("maria", "1111")
    assert till.storage.user_by_login("maria")[1] == REVOKED_PIN  # type: ignore[index]


def _snapshot(n: int, *, end: int | None = None, cut: bool = False,
              damage: bool = False) -> list[bytes]:
    lines = [json.dumps({"version": 1, "kind": "header", "cursor": "42",
                         "generated_at": "2026-03-02T09:30:00+00:00",
                         "counts": {"products": n, "till_users": 0},
                         "product_fields": list(PRODUCT_FIELDS)}).encode()]
    for i in range(n):
        lines.append(json.dumps(product_row(product(f"S-{i}").data or {})).encode())
    if damage:
        lines[2] = lines[2][:10]
    if not cut:
        lines.append(json.dumps({"version": 1, "kind": "end",
                                 "count": n if end is None else end}).encode())
    return lines


def test_a_whole_snapshot_loads_and_a_cut_one_keeps_nothing(till: Till) -> None:
    header, products, users, skipped = snapshot_reader(iter(_snapshot(50)),
                                                       reader=TillProductReader(till.settings.vat_groups))
    till.storage.load_catalog(products, replace=True)
    assert header.cursor == "42" and till.catalog_size() == 50 and not users and not skipped
    for broken in (_snapshot(30, cut=True), _snapshot(30, end=31), _snapshot(30, damage=True)):
        _h, products, _u, _s = snapshot_reader(
            iter(broken), reader=TillProductReader(till.settings.vat_groups))
        with pytest.raises(BadResponse):
            till.storage.load_catalog(products, replace=True)
        assert till.catalog_size() == 50  # the previous catalog is untouched
    with pytest.raises(BadResponse):
        snapshot_reader(iter([b"not json"]), reader=TillProductReader(till.settings.vat_groups))
    with pytest.raises(Exception, match="version"):
        snapshot_reader(iter([json.dumps({"version": 3, "kind": "header"}).encode()]),
                        reader=TillProductReader(till.settings.vat_groups))
