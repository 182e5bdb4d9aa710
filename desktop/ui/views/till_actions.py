"""F7–F11 and log out: returns, cash in/out, shift with X/Z, receipt history, settings.

Shift changes keep the fiscal device in step: its day opens after the till's shift opens, and
its Z report runs *before* the till's shift closes, once the document worker has issued
every document still waiting (if the device refuses, the shift stays open and the cashier
sees what to do).
Cash in/out is issued on the device by the document worker, like sales.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtWidgets import QWidget

from desktop.core import CashMovement, Permission, Receipt, Role, Shift, ShiftReport
from desktop.ui.context import UiContext
from desktop.ui.dialogs.approval import ApprovalDialog
from desktop.ui.dialogs.cash import cash_dialog
from desktop.ui.dialogs.entry import ChoiceDialog, EntryDialog
from desktop.ui.dialogs.history import HistoryDialog
from desktop.ui.dialogs.returns import ReturnDialog
from desktop.ui.dialogs.shift import ReportDialog, ShiftMenuDialog, amount_entry
from desktop.ui.locale import current, translate
from desktop.ui.views.sale import SaleView

__all__ = ["TillActions", "TillHost"]


class TillHost(Protocol):
    """What the till's menu actions need of the main window (which builds them over itself)."""

    ctx: UiContext
    sale: SaleView

    def device_failed(self, exc: Exception, retry: Callable[[], None]) -> None: ...

    def document_done(self, receipt: Receipt) -> None: ...

    def print_receipt(self, receipt: Receipt, *, copy: bool = False, open_drawer: bool = False,
                      reload: bool = False,
                      notify: Callable[[str | None], None] | None = None) -> None: ...

    def refresh_status(self) -> None: ...

    def show_login(self) -> None: ...


class TillActions:
    def __init__(self, window: TillHost, parent: QWidget) -> None:
        self.w = window
        self.parent = parent  # the main window as a widget: its dialogs' parent
        self.ctx = window.ctx

    def run(self, name: str) -> None:
        {
            "returns": lambda: self.returns(""),
            "cash": self.cash_menu,
            "shift": self.shift,
            "history": self.history,
            "settings": self.settings,
            "logout": self.logout,
        }[name]()

    def _caught_up(self, report: Callable[[], None]) -> Callable[[], None]:
        """``report`` on the device once the document worker has issued every document
        waiting."""

        def job() -> None:
            self.ctx.documents.catch_up()
            report()

        return job

    def _fiscal(self, fn: object, label: str) -> None:
        ctx = self.ctx

        def failed(exc: Exception) -> None:
            self.w.device_failed(exc, lambda: self._fiscal(fn, label))

        ctx.lanes.fiscal.submit(fn, None, failed)  # type: ignore[arg-type]

    # -- returns and history -------------------------------------------------------------------
    def returns(self, number: str) -> None:
        ReturnDialog(self.ctx, self.parent, self.w.document_done, number).start()

    def history(self) -> None:
        def reprint(receipt: Receipt) -> None:
            def sent(job: str | None) -> None:
                text = (
                    translate("TillActions", "Copy of {number} sent to the printer.").format(
                        number=receipt.number
                    )
                    if job
                    else translate(
                        "TillActions",
                        "No receipt printer is set up — a manager can add one in Settings (F11).",
                    )
                )
                (dialog.show_notice if job else dialog.show_problem)(text)

            self.w.print_receipt(receipt, copy=True, reload=True, notify=sent)

        dialog = HistoryDialog(self.ctx, self.parent, reprint, self.returns)
        dialog.start()

    # -- cash ----------------------------------------------------------------------------------
    def cash_menu(self) -> None:
        ChoiceDialog(
            self.ctx,
            self.parent,
            translate("TillActions", "Cash in or out"),
            translate("TillActions", "Put cash into the drawer, or take cash out of it?"),
            [
                ("F1", translate("TillActions", "Cash in"), lambda: self.cash("in")),
                ("F2", translate("TillActions", "Cash out"), lambda: self.cash("out")),
            ],
        ).start()

    def cash(self, kind: str) -> None:
        ctx = self.ctx

        def done(move: CashMovement) -> None:
            self.w.sale.hero.show_text(
                translate("TillActions", "Cash in recorded")
                if kind == "in"
                else translate("TillActions", "Cash out recorded")
            )
            ctx.documents.wake()  # the worker issues its service receipt on the device
            self.w.refresh_status()

        cash_dialog(ctx, self.parent, kind, done).start()

    # -- shift ---------------------------------------------------------------------------------
    def shift(self) -> None:
        till = self.ctx.till
        self.ctx.lanes.till.submit(till.current_shift, self._shift_menu, self.w.sale.problem)

    def _shift_menu(self, shift: Shift | None) -> None:
        if shift is None:
            self.open_shift()
            return
        ShiftMenuDialog(
            self.ctx,
            self.parent,
            shift,
            {
                "x": self.x_report,
                "cash_in": lambda: self.cash("in"),
                "cash_out": lambda: self.cash("out"),
                "close": self.close_shift,
            },
        ).start()

    def open_shift(self) -> None:
        ctx = self.ctx

        def submit(amount: int, dialog: EntryDialog) -> None:
            def opened(shift: Shift) -> None:
                dialog.accept()
                self.w.sale.hero.show_text(
                    translate("TillActions", "Shift {number} is open").format(number=shift.number),
                    translate("TillActions", "Scan the first product."),
                )
                user = ctx.till.current_user
                if ctx.fiscal.configured:
                    self._fiscal(lambda: ctx.fiscal.open_shift(user.name if user else ""), "open")
                self.w.refresh_status()
                self.w.sale.focus_field()

            dialog.run(lambda: ctx.till.open_shift(amount), opened, dialog.failed)

        amount_entry(
            ctx,
            self.parent,
            translate("TillActions", "Open shift"),
            translate("TillActions", "Cash in the drawer now (opening float):"),
            submit,
        ).start()

    def x_report(self) -> None:
        ctx = self.ctx
        if ctx.fiscal.configured:
            self._fiscal(self._caught_up(ctx.fiscal.x_report), "x")
        ctx.lanes.till.submit(ctx.till.x_report, self.show_report, self.w.sale.problem)

    def close_shift(self) -> None:
        ctx = self.ctx

        def submit(counted: int, dialog: EntryDialog) -> None:
            def closed(report: ShiftReport) -> None:
                dialog.accept()
                self.w.refresh_status()
                self.show_report(report)
                self.print_report(report)

            def till_close() -> None:
                dialog.run(lambda: ctx.till.close_shift(counted), closed, dialog.failed)

            if ctx.fiscal.configured:  # every document of the shift on the device, then Z
                ctx.lanes.fiscal.submit(
                    self._caught_up(ctx.fiscal.close_shift),
                    lambda _r: till_close(),
                    dialog.failed,
                )
            else:
                till_close()

        amount_entry(
            ctx,
            self.parent,
            translate("TillActions", "Close shift (Z report)"),
            translate("TillActions", "Count the cash in the drawer and enter the total:"),
            submit,
            hint=translate(
                "TillActions", "The expected amount is shown on the Z report after closing."
            ),
        ).start()

    def show_report(self, report: ShiftReport) -> None:
        ReportDialog(self.ctx, self.parent, report, self.print_report).start()

    def print_report(self, report: ShiftReport) -> None:
        ctx = self.ctx
        ctx.lanes.printer.submit(
            lambda: ctx.printer.print_report(report, current()),
            None,
            lambda exc: self.w.device_failed(exc, lambda: self.print_report(report)),
        )

    # -- settings and session ------------------------------------------------------------------
    def settings(self) -> None:
        """A store manager opens the settings; anyone else needs a manager's PIN. The role is
        read from the store (the back office may have changed it since login)."""
        till = self.ctx.till
        me = till.current_user

        def role_now() -> Role | None:
            found = [u for u in till.users() if me is not None and u.id == me.id and u.active]
            return found[0].role if found else None

        self.ctx.lanes.till.submit(role_now, self._open_settings, self.w.sale.problem)

    def _open_settings(self, role: Role | None) -> None:
        from desktop.ui.dialogs.settings import SettingsDialog  # pydantic models: on demand

        if role is Role.STORE_MANAGER:
            SettingsDialog(self.ctx, self.parent).start()
            return
        ApprovalDialog(
            self.ctx,
            self.parent,
            Permission.SETTINGS,
            lambda _a: SettingsDialog(self.ctx, self.parent).start(),
        ).start()

    def logout(self) -> None:
        till = self.ctx.till
        self.ctx.lanes.till.submit(till.logout, lambda _n: self.w.show_login())
