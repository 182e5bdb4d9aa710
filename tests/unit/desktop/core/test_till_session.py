"""Settings changes, restarts and the smaller cart and shift rules."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from till_fixtures import MILK, PINS, make_till

from desktop.core import CardTender, CashTender, Permission, Till
from desktop.core.errors import (
    CartEmpty,
    CartHasPayments,
    InvalidPayment,
    InvalidSettings,
    PermissionDenied,
)
from desktop.store import SqliteStorage
from shared.clock import ManualClock


def test_settings_change_needs_a_manager_and_is_journalled(till: Till) -> None:
    cart = till.scan(till.new_cart().id, MILK)  # 42.99
    with pytest.raises(PermissionDenied):
        till.update_settings(cash_rounding=1)
    approval = till.authorize("olena", "9999", Permission.SETTINGS)
    new = till.update_settings(approval=approval, cash_rounding=1, footer=("Дякуємо!",))
    assert new.cash_rounding == 1 and till.settings.footer == ("Дякуємо!",)
    event = till.outbox_after(0)[-1]
    assert event.type == "settings.changed" and event.payload["changes"] == [
        "cash_rounding", "footer"]
    receipt = till.complete_sale(cart.id, [CashTender(5000)])
    assert receipt.rounding == 0 and receipt.footer == ("Дякуємо!",)  # open cart follows
    with pytest.raises(InvalidSettings):
        till.update_settings(approval=till.authorize("olena", "9999", Permission.SETTINGS),
                             cash_rounding=3)


def test_restart_keeps_shift_numbering_and_settings(till: Till, store_path: Path,
                                                    clock: ManualClock) -> None:
    first = till.complete_sale(till.scan(till.new_cart().id, MILK).id, [CashTender(5000)])
    till.close()
    again = Till(SqliteStorage(store_path), None, clock=clock, pins=PINS)
    assert again.settings.country == "UA" and again.current_shift() is not None
    again.login("ana", "1234")
    second = again.complete_sale(again.scan(again.new_cart().id, MILK).id, [CashTender(5000)])
    assert (first.number, second.number) == ("S1-T2-0001-0001", "S1-T2-0001-0002")
    again.close()


def test_small_cart_rules(till: Till) -> None:
    empty = till.new_cart()
    with pytest.raises(CartEmpty):
        till.complete_sale(empty.id, [CashTender(100)])
    with pytest.raises(CartEmpty):
        till.add_payment(empty.id, CashTender(100))
    cart = till.scan(empty.id, MILK)
    with pytest.raises(InvalidPayment):
        till.remove_payment(cart.id, "no-such-payment")
    cart = till.add_payment(cart.id, CardTender(100))
    with pytest.raises(CartHasPayments):
        till.cancel_cart(cart.id)
    with pytest.raises(InvalidPayment):  # already paid in full
        paid = till.add_payment(cart.id, CashTender(5000))
        till.complete_sale(paid.id, [CashTender(100)])


def test_z_report_default_is_the_last_closed_shift(till: Till) -> None:
    till.complete_sale(till.scan(till.new_cart().id, MILK).id, [CashTender(5000)])
    till.close_shift(till.drawer_balance())
    till.open_shift(0)
    z = till.z_report()
    assert z.shift.number == 1 and z.totals.sales_count == 1
    till.record_fiscal_result(z.shift.id, fiscal_number="Z-17",
                              fiscal_date=datetime(2026, 3, 2, 21, tzinfo=UTC))
    assert till.outbox_after(0)[-1].payload["document_type"] == "shift"


def test_ro_till_defaults(tmp_path: Path, clock: ManualClock) -> None:
    t = make_till(tmp_path / "ro.sqlite3", clock, "RO")
    assert (t.settings.currency, t.settings.cash_rounding, t.settings.language) == (
        "RON", 1, "ro")
    t.close()
