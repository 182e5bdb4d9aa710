"""Store/till settings and till-user profiles from the feed, applied to an open till.

GIVEN a real till store, enrolled (``sync.json`` in its home)
WHEN feed pages carry ``store``/``till`` changes (camelCase, as the cloud sends them) or
     till-user changes of name, role, PIN and active flag
THEN the till's settings follow (store identity and receipt texts at once; a country or
     currency change only once no shift is open), they are stored and journalled, and the users
     table holds what the cloud says — a page applied twice changes nothing more.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.core import PinHasher, Role, Till, TillSettings
from desktop.core.errors import InvalidPin, PermissionDenied
from desktop.store import SqliteStorage
from desktop.sync_ports import TillSyncPorts
from desktop.sync_settings import cloud_settings, settings_from_cloud
from shared.events import EventType
from sync import state
from sync.feed import apply_changes
from sync.ports import REVOKED_PIN
from sync.protocol import Change
from sync.settings import WAITING

PINS = PinHasher(fast=True)
STORE: dict[str, Any] = {"code": "S7", "name": "Corner Shop", "country": "RO",
                         "currency": "RON", "address": {"street": "Main 1", "city": "Cluj"},
                         "fiscal_ids": {"cui": "RO18547290"}, "settings": {}}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    state.save(h, state.Enrollment(cloud_url="http://cloud", device_id="d", device_token="t",
                                   tenant_id="x", store=STORE, till={"code": "T3"},
                                   enrolled_at="2026-01-01T00:00:00+00:00"))
    return h


@pytest.fixture
def till(home: Path) -> Iterator[Till]:
    t = Till(SqliteStorage(home / "till.sqlite3"), TillSettings(), pins=PINS)
    yield t
    t.close()


def store_change(**data: Any) -> Change:
    return Change(kind="store", op="upsert", key="s", data=data)


def test_enrollment_rows_become_codes_identity_lines_and_country() -> None:
    enrolled = state.Enrollment(cloud_url="u", device_id="d", device_token="t", tenant_id="x",
                                store={**STORE, "country": "UA", "currency": "UAH"},
                                till={"code": "T-3", "settings": {"receipt_header": "Hi"}},
                                enrolled_at="now")
    s = cloud_settings(TillSettings(), enrolled)
    assert (s.store_code, s.till_code, s.country, s.currency) == ("S7", "T3", "UA", "UAH")
    assert s.cash_rounding == 10 and s.language == "uk"  # the country's defaults
    assert s.header == ("Corner Shop", "Main 1, Cluj", "CUI: RO18547290", "Hi")


def test_a_currency_change_waits_for_a_closed_shift_the_texts_do_not() -> None:
    current = TillSettings()
    wanted, waiting = settings_from_cloud(current, {**STORE, "currency": "EUR", "name": "New"},
                                          {}, shift_open=True)
    assert waiting and wanted.currency == "RON" and wanted.header[0] == "New"
    wanted, waiting = settings_from_cloud(current, {**STORE, "currency": "EUR"}, {})
    assert not waiting and wanted.currency == "EUR"
    bad, waiting = settings_from_cloud(current, {**STORE, "currency": "XXX"}, {})
    assert bad == current and not waiting  # a value the till refuses keeps what it has


def test_store_and_till_pages_change_the_live_settings_once_and_are_stored(
        till: Till, home: Path) -> None:
    page = [store_change(name="Corner Shop 2", fiscalIds={"cui": "14399840"},
                         address={"street": "Side 2", "city": "Iași", "postalCode": "700001"},
                         settings={"receiptFooter": ["Bye", " ", "See you"]}),
            Change(kind="till", op="upsert", key="t",
                   data={"code": "T3", "settings": {"receiptHeader": "Till three\nDoor B"}})]
    assert apply_changes(TillSyncPorts(till), page, cursor="1", home=home).config == 2
    header = ("Corner Shop 2", "Side 2, Iași", "CUI: 14399840", "Till three", "Door B")
    assert till.settings.header == header and till.settings.footer == ("Bye", "See you")
    assert (till.settings.store_code, till.settings.till_code) == ("S7", "T3")
    stored = till.storage.load_settings()
    assert stored is not None and tuple(stored["header"]) == header
    events = [e for e in till.outbox_after(0) if e.type == EventType.SETTINGS_CHANGED]
    assert len(events) == 1 and events[0].payload["source"] == "cloud"
    # Repeated after a crash: nothing new.
    apply_changes(TillSyncPorts(till), page, cursor="1", home=home)
    assert len([e for e in till.outbox_after(0) if e.type == EventType.SETTINGS_CHANGED]) == 1
    enrollment = state.load(home)
    assert enrollment is not None and enrollment.cloud_config["till"]["code"] == "T3"
    # A tombstone keeps the last known texts.
    apply_changes(TillSyncPorts(till), [Change(kind="store", op="delete", key="s")], cursor="2",
                  home=home)
    assert till.settings.header == header


def test_a_waiting_currency_change_applies_at_a_later_page_once_the_shift_closed(
        till: Till, home: Path) -> None:
    till.create_user("boss", "Boss", Role.STORE_MANAGER, "1357")
    till.login("boss", "1357")
    till.open_shift(0)
    apply_changes(TillSyncPorts(till), [store_change(currency="EUR")], cursor="1", home=home)
    enrollment = state.load(home)
    assert till.settings.currency == "RON"
    assert enrollment is not None and enrollment.cloud_config[WAITING] is True
    till.close_shift(0)
    apply_changes(TillSyncPorts(till), [], cursor="2", home=home)  # no store change on this page
    enrollment = state.load(home)
    assert till.settings.currency == "EUR"
    assert enrollment is not None and enrollment.cloud_config[WAITING] is False


def user(login: str, name: str, role: str, pin: str, uid: str = "") -> Change:
    return Change(kind="till_user", op="upsert", key=uid or login, data={
        "id": uid or login, "login": login, "name": name, "role": role,
        "pin_hash": PINS.hash(pin)})


def test_user_name_role_pin_and_active_follow_the_cloud(till: Till) -> None:
    apply_changes(TillSyncPorts(till), [user("ana", "Ana", "store_manager", "1111")], cursor="1")
    till.login("ana", "1111")
    till.open_shift(0)
    assert till.current_user is not None and till.current_user.role is Role.STORE_MANAGER

    demoted = user("ana", "Ana M.", "cashier", "2222")
    assert apply_changes(TillSyncPorts(till), [demoted], cursor="2").users == 1
    assert apply_changes(TillSyncPorts(till), [demoted], cursor="2").users == 0  # already so
    with pytest.raises(PermissionDenied):  # the logged-in user's next check
        till.unlock_user("ana")
    assert till.current_user is not None and till.current_user.name == "Ana M."
    assert till.current_user.role is Role.CASHIER
    till.logout()
    with pytest.raises(InvalidPin):
        till.login("ana", "1111")
    assert till.login("ana", "2222").name == "Ana M."

    removed = Change(kind="till_user", op="delete", key="ana", data={"login": "ana"})
    apply_changes(TillSyncPorts(till), [removed], cursor="3")
    found = till.storage.user_by_login("ana")
    assert found is not None and found[1] == REVOKED_PIN and not found[0].active
    with pytest.raises(InvalidPin):
        till.login("ana", "2222")
    apply_changes(TillSyncPorts(till), [user("ana", "Ana M.", "cashier", "3333")], cursor="4")
    assert till.login("ana", "3333").active
