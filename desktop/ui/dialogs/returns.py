"""Returns by receipt number: scan the receipt's barcode (or type its number), choose what
comes back, refund it — with a manager's PIN.

Keys: Enter in the number field finds the receipt; then Up/Down choose a line, a quantity and
Enter set what returns (empty Enter = all of the line), F2 takes everything, F3 switches the
refund between cash and card, F12 refunds.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.core import CardDetails, CardTender, PaymentKind, Receipt, Returnable, ReturnItem
from desktop.ui.context import UiContext
from desktop.ui.dialogs.approval import run_approved
from desktop.ui.dialogs.base import TillDialog
from desktop.ui.locale import money, quantity, translate, unit_text
from shared.money import round_half_up

__all__ = ["ReturnDialog"]


class ReturnDialog(TillDialog):
    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None,
        on_done: Callable[[Receipt], None],
        number: str = "",
    ) -> None:
        super().__init__(ctx, parent, translate("Returns", "Return"))
        self.setMinimumSize(1000, 660)
        self._on_done = on_done
        self.info: Returnable | None = None
        self.chosen: dict[int, Decimal] = {}
        self.by_card = False
        self.number = QLineEdit(number, self)
        self.number.setObjectName("ReceiptNumberField")
        self.number.setPlaceholderText(
            translate("Returns", "Scan the receipt barcode or type its number")
        )
        self.number.returnPressed.connect(self.find)
        self.body.addWidget(self.number)
        self.table = QTableWidget(0, 5, self)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setHorizontalHeaderLabels(
            [
                translate("Returns", "Product"),
                translate("Returns", "Sold"),
                translate("Returns", "Returned before"),
                translate("Returns", "Return now"),
                translate("Returns", "Amount"),
            ]
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.body.addWidget(self.table, 1)
        self.qty_label = QLabel(
            translate(
                "Returns", "Quantity to return for the chosen line, then Enter (empty = all of it):"
            ),
            self,
        )
        self.qty = QLineEdit(self)
        self.qty.setObjectName("ReturnQtyField")
        self.qty.returnPressed.connect(self._set_qty)
        self.qty.installEventFilter(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("Big")
        for w in (self.qty_label, self.qty, self.summary):
            self.body.addWidget(w)
        self.add_button("Esc", translate("Returns", "Close"), self.reject)
        self.add_button("F2", translate("Returns", "Return all"), self._all)
        self.add_button("F3", translate("Returns", "Cash / card"), self._toggle_refund)
        self.refund_button = self.add_button(
            "F12", translate("Returns", "Refund"), self.refund, role="pay"
        )
        self._loaded(None)

    # -- finding the receipt -------------------------------------------------------------------
    def accepts_scan(self, code: str) -> bool:
        self.number.setText(code)
        self.find()
        return True

    def find(self) -> None:
        text = self.number.text().strip()
        if text:
            till = self.ctx.till
            self.run(lambda: till.returnable(text), self._loaded)

    def _loaded(self, info: Returnable | None) -> None:
        self.info = info
        self.chosen = {}
        for w in (self.qty_label, self.qty, self.refund_button):
            w.setEnabled(info is not None)
        if info is None:
            self.table.setRowCount(0)
            self.summary.setText("")
            return
        self.number.setText(info.receipt.number)
        self.by_card = bool(
            info.refundable.get(PaymentKind.CARD.value)
        ) and not info.refundable.get(PaymentKind.CASH.value)
        self.table.setRowCount(len(info.lines))
        for r, rl in enumerate(info.lines):
            ln = rl.line
            unit = unit_text(ln.unit)
            cells = (
                ln.name,
                f"{quantity(ln.quantity, ln.unit)} {unit}",
                f"{quantity(rl.returned, ln.unit)} {unit}",
                "",
                "",
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        if info.lines:
            self.table.selectRow(0)
        self._refresh()
        if info.fully_returned:
            self.show_problem(
                translate("Returns", "Everything on this receipt was already returned.")
            )
        self.qty.setFocus()

    # -- choosing lines ------------------------------------------------------------------------
    def _row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _set_qty(self) -> None:
        row = self._row()
        if self.info is None or row < 0:
            return
        rl = self.info.lines[row]
        text = self.qty.text().strip().replace(",", ".")
        try:
            q = rl.remaining if not text else Decimal(text)
        except InvalidOperation:
            self.show_problem(translate("Returns", "Enter a quantity like 1 or 0,250."))
            return
        if q < 0 or q > rl.remaining:
            self.show_problem(
                translate("Returns", "At most {left} can be returned from this line.").format(
                    left=quantity(rl.remaining, rl.line.unit)
                )
            )
            self.qty.selectAll()
            return
        self.clear_problem()
        if q:
            self.chosen[rl.line.line_no] = q
        else:
            self.chosen.pop(rl.line.line_no, None)
        self.qty.clear()
        if row + 1 < self.table.rowCount():
            self.table.selectRow(row + 1)
        self._refresh()

    def _all(self) -> None:
        if self.info is not None:
            self.chosen = {
                rl.line.line_no: rl.remaining for rl in self.info.lines if rl.remaining > 0
            }
            self._refresh()
            self.qty.setFocus()

    def _toggle_refund(self) -> None:
        self.by_card = not self.by_card
        self._refresh()

    def _estimate(self) -> int:
        assert self.info is not None
        total = 0
        for rl in self.info.lines:
            q = self.chosen.get(rl.line.line_no)
            if q:
                total += round_half_up(
                    Fraction(rl.line.gross) * Fraction(q) / Fraction(rl.line.quantity)
                )
        return total

    def _refresh(self) -> None:
        if self.info is None:
            return
        cur = self.info.receipt.currency
        for r, rl in enumerate(self.info.lines):
            q = self.chosen.get(rl.line.line_no)
            amount = (
                round_half_up(Fraction(rl.line.gross) * Fraction(q) / Fraction(rl.line.quantity))
                if q
                else 0
            )
            unit = unit_text(rl.line.unit)
            self.table.item(r, 3).setText(f"{quantity(q, rl.line.unit)} {unit}" if q else "")
            self.table.item(r, 4).setText(money(amount, cur) if q else "")
        how = (
            translate("Returns", "to the card") if self.by_card else translate("Returns", "in cash")
        )
        self.summary.setText(
            translate("Returns", "Refund {amount} {how}").format(
                amount=money(self._estimate(), cur), how=how
            )
        )

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.qty and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.table.rowCount():
                row = self._row() + (-1 if event.key() == Qt.Key.Key_Up else 1)
                self.table.selectRow(max(0, min(self.table.rowCount() - 1, row)))
                return True
        return False

    # -- refunding -----------------------------------------------------------------------------
    def refund(self) -> None:
        if self.info is None:
            return
        if not self.chosen:
            self.show_problem(
                translate(
                    "Returns",
                    "Choose what comes back first (a quantity and Enter, or F2 for everything).",
                )
            )
            return
        number = self.info.receipt.number
        items = [ReturnItem(no, q) for no, q in self.chosen.items()]
        refunds = [CardTender(None, CardDetails())] if self.by_card else None
        till = self.ctx.till

        def job(approval: object) -> Receipt:
            return till.complete_return(number, items, refunds, approval=approval)  # type: ignore[arg-type]

        def done(receipt: Receipt) -> None:
            self.accept()
            self._on_done(receipt)

        self.clear_problem()
        run_approved(self.ctx, self, job, done, self.show_problem)

    def start(self) -> None:
        if self.number.text():
            self.find()
        self.open_modal(self.number)
