"""The main window: login and sale screens over the always-visible status strip.

It routes scanner input (to the open dialog that wants it, else to the cart) and polls device
and sync status on the status lane. The device work that follows a document — fiscal receipt,
then printing — is the document worker's (:class:`~desktop.ui.window_documents.WindowDocuments`,
started with the sale screen): the window only wakes it, so the next customer's scans never
wait, and documents completed elsewhere in the same store are fiscalised and printed too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import structlog
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from desktop.core import PaymentKind, Receipt, User
from desktop.ui.context import UiContext
from desktop.ui.dialogs.base import TillDialog
from desktop.ui.locale import translate
from desktop.ui.problems import explain
from desktop.ui.status import DeviceHealth, Health, StatusSnapshot
from desktop.ui.views.login import LoginView
from desktop.ui.views.sale import SaleView
from desktop.ui.views.till_actions import TillActions
from desktop.ui.widgets.statusbar import StatusStrip

if TYPE_CHECKING:
    from desktop.documents.fiscalise import FiscalState

__all__ = ["MainWindow"]

log = structlog.get_logger(__name__)

_RECEIPT_NUMBER = re.compile(r"^[A-Za-z0-9]{1,12}-[A-Za-z0-9]{1,12}-\d{1,6}-\d{1,6}$")


class MainWindow(QMainWindow):
    def __init__(self, ctx: UiContext, *, status_interval_ms: int = 2000) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle("Tillbridge")
        self.setMinimumSize(1024, 700)
        central = QWidget(self)
        col = QVBoxLayout(central)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        self.stack = QStackedWidget(central)
        self.login = LoginView(ctx, self.stack)
        self._sale: SaleView | None = None  # built right after the first frame (or at login)
        self.stack.addWidget(self.login)
        self.strip = StatusStrip(central)
        col.addWidget(self.stack, 1)
        col.addWidget(self.strip)
        self.setCentralWidget(central)
        self.actions = TillActions(self, self)
        self.device_problem = ""
        self._retry: list[Callable[[], None]] = []
        self.login.logged_in.connect(self._logged_in)
        self.strip.retry.connect(self.retry_devices)
        ctx.scanner.scanned.connect(self.on_scan)
        for lane in ctx.lanes.all():
            lane.failed.connect(self._lane_failed)
        self.timer = QTimer(self)
        self.timer.setInterval(status_interval_ms)
        self.timer.timeout.connect(self.refresh_status)
        if status_interval_ms > 0:
            self.timer.start()
        self.show_login()
        self.refresh_status()

    # -- screens -------------------------------------------------------------------------------
    @property
    def sale(self) -> SaleView:
        """The sale screen, built on first use so the login screen shows sooner."""
        if self._sale is None:
            sale = SaleView(self.ctx, self.stack)
            self.stack.addWidget(sale)
            sale.action.connect(self.actions.run)
            sale.sold.connect(self.after_document)
            self._sale = sale
            self.ctx.lanes.fiscal.submit(self.ctx.documents.start, None, self._status_failed)
        return self._sale

    def show_login(self) -> None:
        self.stack.setCurrentWidget(self.login)
        self.strip.set_user("")
        self.login.activate()

    def _logged_in(self, user: User) -> None:
        self.strip.set_user(user.name)
        self.stack.setCurrentWidget(self.sale)
        self.sale.show_cart(None)
        self.sale.focus_field()
        till = self.ctx.till

        def resumed(state: tuple[Any, Any]) -> None:
            cart, shift = state
            self.sale.show_cart(cart)
            if shift is None:
                self.sale.hero.show_text(
                    translate("MainWindow", "No shift is open"),
                    translate(
                        "MainWindow", "Press F9 to open a shift with the cash in the drawer."
                    ),
                )
            self.refresh_status()

        self.ctx.lanes.till.submit(
            lambda: (self.ctx.session.resume(), till.current_shift()), resumed, self.sale.problem
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.strip.retranslate()
        elif event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.restore_focus()
        super().changeEvent(event)

    def restore_focus(self) -> None:
        """The scan field has the keyboard whenever the sale screen is on top."""
        if QApplication.activeModalWidget() is not None:
            return
        if self._sale is not None and self.stack.currentWidget() is self._sale:
            self.sale.focus_field()
        else:
            self.login.panel.pin.setFocus()

    # -- scanner -------------------------------------------------------------------------------
    def on_scan(self, code: str) -> None:
        """A scanner read ``code`` wherever the focus was."""
        modal = QApplication.activeModalWidget()
        if isinstance(modal, TillDialog):
            if modal.accepts_scan(code):
                return  # the dialog wanted it (a receipt number, a product during payment)
            if self._sale is not None and self.stack.currentWidget() is self._sale:
                self.sale.scan(
                    code,
                    report=lambda text, ok: (
                        modal.show_notice(text) if ok else modal.show_problem(text)
                    ),
                )  # never lose a scan
                return
            QApplication.beep()
            modal.show_problem(
                translate(
                    "MainWindow",
                    "Scanned {code} — finish or close this window (Esc) first, then scan again.",
                ).format(code=code)
            )
            return
        if self.stack.currentWidget() is self.login:
            QApplication.beep()
            self.login.panel.show_problem(translate("MainWindow", "Log in first, then scan."))
            return
        if _RECEIPT_NUMBER.match(code):
            self.actions.returns(code)  # the barcode printed on a receipt
            return
        self.sale.scan(code)
        self.sale.focus_field()

    # -- status --------------------------------------------------------------------------------
    def refresh_status(self) -> None:
        if self.ctx.lanes.status.pending:
            return  # a slow device answer is still on its way; never pile up
        ctx = self.ctx

        def read() -> StatusSnapshot:
            till = ctx.till
            return StatusSnapshot(
                at=till.clock.now(),
                shift=till.current_shift(),
                shift_max_hours=till.settings.shift_max_hours,
                printer=ctx.printer.health(),
                fiscal=_with_refusals(ctx.fiscal.health(), ctx.documents.fiscal_state()),
                sync=ctx.sync.state(),
            )

        ctx.lanes.status.submit(read, self._show_status, self._status_failed)

    def _show_status(self, snap: StatusSnapshot) -> None:
        self.strip.show_snapshot(snap)
        if self.device_problem:
            self.strip.show_advice(self.device_problem)

    def _status_failed(self, exc: Exception) -> None:
        log.warning("status_read_failed", error=str(exc))

    def _lane_failed(self, exc: Exception) -> None:
        self.sale.problem(exc)

    # -- device work after a document ----------------------------------------------------------
    def device_failed(self, exc: Exception, retry: Callable[[], None]) -> None:
        """Show a device problem with Retry in the status strip; the till keeps selling."""
        self.device_problem = explain(exc).text
        self._retry.append(retry)
        self.strip.show_advice(self.device_problem)

    def retry_devices(self) -> None:
        jobs, self._retry = self._retry, []
        self.device_problem = ""
        self.strip.show_advice("")
        self.ctx.lanes.printer.submit(self.ctx.printer.retry)
        if self.ctx.fiscal.configured:
            self.ctx.lanes.fiscal.submit(self.ctx.fiscal.retry, None, self._status_failed)
        self.ctx.documents.retry()
        for job in jobs:
            job()
        self.refresh_status()

    def after_document(self, receipt: Receipt) -> None:
        """The document worker fiscalises the document, then prints it (cash opens the drawer).
        Without a fiscal device the receipt is queued at once from here too (the drawer opens
        without waiting for the document worker; the queue prints it once)."""
        self.ctx.documents.wake()
        if not self.ctx.fiscal.configured:
            cash = any(p.kind is PaymentKind.CASH for p in receipt.payments)
            self.print_receipt(receipt, open_drawer=cash)

    def print_receipt(
        self,
        receipt: Receipt,
        *,
        copy: bool = False,
        open_drawer: bool = False,
        reload: bool = False,
        notify: Callable[[str | None], None] | None = None,
    ) -> None:
        ctx = self.ctx

        def job() -> str | None:
            r = ctx.till.receipt(receipt.id) if reload else receipt
            return ctx.printer.print_receipt(r, copy=copy, open_drawer=open_drawer)

        def failed(exc: Exception) -> None:
            self.device_failed(
                exc, lambda: self.print_receipt(receipt, copy=copy, open_drawer=open_drawer)
            )

        ctx.lanes.printer.submit(job, notify, failed)

    def document_done(self, receipt: Receipt) -> None:
        """A return (or other document) from a dialog: show it and do the device work."""
        self.sale.totals.show_done(receipt)
        self.after_document(receipt)
        self.refresh_status()

    # -- shutdown ------------------------------------------------------------------------------
    def shutdown(self) -> None:
        self.timer.stop()
        self.ctx.lanes.close()
        self.ctx.documents.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)


def _with_refusals(health: DeviceHealth, work: FiscalState | None) -> DeviceHealth:
    """The device's health, unless the document worker holds documents the device refused:
    then those are what the cashier must see (with Retry)."""
    if work is None or not work.failed or health.health is Health.ERROR:
        return health
    detail = "; ".join(sorted({explain(exc).text for exc in work.refusals.values()}
                              or set(work.failed.values())))
    return DeviceHealth(Health.ERROR, "refused", detail, health.name, len(work.failed))
