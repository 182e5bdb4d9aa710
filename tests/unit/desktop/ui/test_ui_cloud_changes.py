"""Cloud changes seen at the cash desk while the window is open (feed pages applied through
the sync engine's own code to the window's till, as its background runner does).

GIVEN the cashier window with a store manager logged in
WHEN a feed page lowers that manager's role, deactivates the cashier, and changes the store's
     name and receipt footer
THEN Settings (F11) now asks for a manager's PIN, the cashier is gone from the login list,
     and the next receipt carries the new texts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from ui_helpers import Ui, login

from desktop.core import Role
from desktop.core.demo_catalog import ean13
from desktop.sync_ports import TillSyncPorts
from desktop.ui.dialogs.approval import ApprovalDialog
from desktop.ui.dialogs.payment import PaymentDialog
from sync import state
from sync.feed import apply_changes
from sync.protocol import Change

pytestmark = pytest.mark.qt

K = Qt.Key
MILK = ean13("594", 900_000_001)


def _enrolled(home: Path) -> None:
    state.save(home, state.Enrollment(
        cloud_url="http://cloud", device_id="d", device_token="t", tenant_id="x",
        store={"code": "S1", "name": "Tillbridge test shop", "country": "RO",
               "currency": "RON"}, till={"code": "T1"}, enrolled_at="2026-03-02T07:00:00+00:00"))


def _user(ui: Ui, login_: str, role: str, *, delete: bool = False) -> Change:
    found = ui.till.storage.user_by_login(login_)
    assert found is not None
    user, pin_hash = found
    if delete:
        return Change(kind="till_user", op="delete", key=user.id, data={"login": login_})
    return Change(kind="till_user", op="upsert", key=user.id, data={
        "id": user.id, "login": login_, "name": user.name, "role": role, "pin_hash": pin_hash})


def test_a_demoted_manager_needs_approval_and_the_next_receipt_has_the_new_texts(
        ui: Ui, tmp_path: Path) -> None:
    home = tmp_path / "home"
    _enrolled(home)
    login(ui, "9999", user="manager")
    page = [_user(ui, "manager", "cashier"), _user(ui, "cashier", "cashier", delete=True),
            Change(kind="store", op="upsert", key="s", data={
                "name": "Corner Shop", "settings": {"receiptFooter": "See you soon"}})]
    ports = TillSyncPorts(ui.till)
    ui.ctx.lanes.till.submit(lambda: apply_changes(ports, page, cursor="9", home=home))
    ui.idle()
    assert ui.till.settings.header[0] == "Corner Shop"

    ui.press(K.Key_F11)  # no longer a manager: the settings want a manager's PIN
    approval = ui.wait_modal(ApprovalDialog)
    assert isinstance(approval, ApprovalDialog)
    ui.press(K.Key_Escape)
    ui.wait_no_modal()

    ui.press(K.Key_F9)  # selling is still a cashier's right
    ui.wait(lambda: ui.modal() is not None)
    ui.enter("100")
    ui.wait_no_modal()
    ui.scan(MILK)
    ui.idle()
    ui.press(K.Key_F12)
    ui.wait_modal(PaymentDialog)
    ui.enter()
    ui.wait_no_modal()
    receipt = ui.till.receipts(limit=1)[0]
    assert receipt.header[0] == "Corner Shop" and receipt.footer == ("See you soon",)
    assert ui.till.current_user is not None and ui.till.current_user.role is Role.CASHIER

    ui.press(K.Key_L, Qt.KeyboardModifier.ControlModifier)  # log out: the list is re-read
    panel = ui.window.login.panel
    ui.wait(lambda: ui.window.stack.currentWidget() is ui.window.login)
    ui.wait(lambda: panel.users.count() == 1)
    assert panel.login() == "manager"
