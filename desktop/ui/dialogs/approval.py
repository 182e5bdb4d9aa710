"""Manager approval: a store manager enters their PIN to allow one override, void or return.

:func:`run_approved` tries the action as the logged-in user first; only when the till answers
``PermissionDenied`` does it ask for a manager's PIN (``Till.authorize`` → single-use
``Approval``) and repeat the action with it. The approver is recorded with the fact.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from desktop.core import Approval, Permission, Role
from desktop.core.errors import PermissionDenied
from desktop.ui.context import UiContext
from desktop.ui.dialogs.base import TillDialog
from desktop.ui.locale import translate
from desktop.ui.problems import explain
from desktop.ui.widgets.pin import PinPanel

__all__ = ["ApprovalDialog", "permission_text", "run_approved"]


def permission_text(p: Permission) -> str:
    return {
        Permission.VOID_LINE: translate("Approval", "Void a line or lower a quantity"),
        Permission.CANCEL_SALE: translate("Approval", "Cancel the sale"),
        Permission.PRICE_OVERRIDE: translate("Approval", "Change a price"),
        Permission.DISCOUNT_OVER_LIMIT: translate("Approval", "Discount above the cashier's limit"),
        Permission.RETURN: translate("Approval", "Return goods"),
        Permission.MANAGE_USERS: translate("Approval", "Manage users"),
        Permission.SETTINGS: translate("Approval", "Change till settings"),
        Permission.CASH_MOVEMENT: translate("Approval", "Cash in or out"),
        Permission.SHIFT: translate("Approval", "Shift and reports"),
        Permission.SELL: translate("Approval", "Sell"),
    }[p]


class ApprovalDialog(TillDialog):
    """Shows what needs approval; a manager picks their name and types their PIN."""

    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None,
        permission: Permission,
        on_approved: Callable[[Approval], None],
    ) -> None:
        super().__init__(ctx, parent, translate("Approval", "Manager approval"))
        self.setMinimumSize(960, 660)
        self.permission = permission
        self._on_approved = on_approved
        what = QLabel(
            translate("Approval", "Needs a manager: {action}").format(
                action=permission_text(permission)
            ),
            self,
        )
        what.setObjectName("Big")
        what.setWordWrap(True)
        self.body.addWidget(what)
        self.panel = PinPanel(self)
        self.panel.submitted.connect(self._authorize)
        self.body.addWidget(self.panel, 1)
        self.add_button("Esc", translate("Approval", "Cancel"), self.reject)
        self.add_button("Return", translate("Approval", "Approve"), self.panel._submit, role="pay")
        self.run(
            lambda: [u for u in ctx.till.users() if u.active and u.role is Role.STORE_MANAGER],
            lambda users: self.panel.set_users(users),
        )

    def _authorize(self, login: str, pin: str) -> None:
        perm = self.permission

        def done(approval: Approval) -> None:
            self.accept()
            self._on_approved(approval)

        def failed(exc: Exception) -> None:
            self.panel.show_problem(explain(exc).text)
            self.panel.reset()

        self.panel.show_problem("")
        self.ctx.lanes.till.submit(lambda: self.ctx.till.authorize(login, pin, perm), done, failed)

    def start(self) -> None:
        self.open_modal(self.panel.pin)


def run_approved(
    ctx: UiContext,
    parent: QWidget,
    job: Callable[[Approval | None], Any],
    on_ok: Callable[[Any], None],
    on_error: Callable[[Exception], None],
    on_cancel: Callable[[], None] | None = None,
) -> None:
    """``job(None)`` on the till lane; on ``PermissionDenied`` ask a manager, then
    ``job(approval)``. Results and errors come back on the UI thread."""

    def denied(exc: Exception) -> None:
        if not isinstance(exc, PermissionDenied):
            on_error(exc)
            return
        try:
            permission = Permission(exc.details.get("permission", ""))
        except ValueError:
            on_error(exc)
            return

        def approved(approval: Approval) -> None:
            ctx.lanes.till.submit(lambda: job(approval), on_ok, on_error)

        dialog = ApprovalDialog(ctx, parent, permission, approved)
        if on_cancel is not None:
            dialog.rejected.connect(on_cancel)
        dialog.start()

    ctx.lanes.till.submit(lambda: job(None), on_ok, denied)
