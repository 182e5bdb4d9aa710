"""Receipt history: the latest receipts, a preview, reprint (always marked COPY) and return.

Type a receipt number and Enter to jump to it; Up/Down move through the list.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.core import Receipt, ReceiptKind
from desktop.ui.context import UiContext
from desktop.ui.dialogs.base import TillDialog
from desktop.ui.locale import money, quantity, translate, unit_text, when_text

__all__ = ["HistoryDialog", "receipt_preview"]


def receipt_preview(r: Receipt) -> str:
    """The receipt as text for the screen (the printer renders its own layout)."""
    cur = r.currency
    kind = (
        translate("History", "Sale")
        if r.kind is ReceiptKind.SALE
        else translate("History", "Return")
    )
    out = [f"{kind} {r.number}", when_text(r.completed_at), f"{r.cashier_name}", ""]
    if r.original_number:
        out.insert(1, translate("History", "for receipt {number}").format(number=r.original_number))
    for ln in r.lines:
        out.append(ln.name)
        out.append(
            f"  {quantity(ln.quantity, ln.unit)} {unit_text(ln.unit)} × "
            f"{money(ln.unit_price, cur)} = {money(ln.gross, cur)}"
        )
    total = translate("History", "Total")
    out += ["", f"{total}: {money(r.payable, cur)}"]
    for v in r.vat:
        vat = translate("History", "VAT")
        out.append(f"  {vat} {v.rate.normalize():f}%: {money(v.vat, cur)}")
    for p in r.payments:
        name = (
            translate("History", "Cash") if p.kind.value == "cash" else translate("History", "Card")
        )
        out.append(f"{name}: {money(p.tendered or p.amount, cur)}")
    if r.change:
        change = translate("History", "Change")
        out.append(f"{change}: {money(r.change, cur)}")
    if r.fiscal is not None:
        fiscal = translate("History", "Fiscal number")
        out.append(f"{fiscal}: {r.fiscal.fiscal_number}")
    return "\n".join(out)


class HistoryDialog(TillDialog):
    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None,
        reprint: Callable[[Receipt], None],
        returns: Callable[[str], None],
    ) -> None:
        super().__init__(ctx, parent, translate("History", "Receipts"))
        self.setMinimumSize(1100, 680)
        self.receipts: list[Receipt] = []
        self._reprint, self._returns = reprint, returns
        self.search = QLineEdit(self)
        self.search.setObjectName("HistorySearchField")
        self.search.setPlaceholderText(
            translate("History", "Receipt number, then Enter (arrows: move)")
        )
        self.search.returnPressed.connect(self._find)
        self.search.installEventFilter(self)
        self.body.addWidget(self.search)
        self.table = QTableWidget(0, 4, self)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setHorizontalHeaderLabels(
            [
                translate("History", "Number"),
                translate("History", "Time"),
                translate("History", "Kind"),
                translate("History", "Total"),
            ]
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.itemSelectionChanged.connect(self._preview)
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.preview.setFont(QFont("DejaVu Sans Mono", 13))
        row = QHBoxLayout()
        row.addWidget(self.table, 3)
        row.addWidget(self.preview, 2)
        self.body.addLayout(row, 1)
        self.add_button("Esc", translate("History", "Close"), self.reject)
        self.add_button("F2", translate("History", "Reprint"), self.reprint)
        self.add_button("F7", translate("History", "Return"), self.return_selected)
        till = ctx.till
        self.run(lambda: till.receipts(limit=100), self._show)

    def _show(self, receipts: list[Receipt], select: str | None = None) -> None:
        self.receipts = receipts
        self.table.setRowCount(len(receipts))
        for i, r in enumerate(receipts):
            kind = (
                translate("History", "Sale")
                if r.kind is ReceiptKind.SALE
                else translate("History", "Return")
            )
            for c, text in enumerate(
                (r.number, when_text(r.completed_at), kind, money(r.payable, r.currency))
            ):
                self.table.setItem(i, c, QTableWidgetItem(text))
        if receipts:
            row = next((i for i, r in enumerate(receipts) if r.number == select), 0)
            self.table.selectRow(row)

    def selected(self) -> Receipt | None:
        rows = self.table.selectionModel().selectedRows()
        return self.receipts[rows[0].row()] if rows else None

    def _preview(self) -> None:
        r = self.selected()
        self.preview.setPlainText(receipt_preview(r) if r else "")

    def _find(self) -> None:
        text = self.search.text().strip()
        if not text:
            return
        till = self.ctx.till

        def found(r: Receipt) -> None:
            if all(x.id != r.id for x in self.receipts):
                self._show([r, *self.receipts], r.number)
            else:
                self._show(self.receipts, r.number)
            self.search.clear()

        self.run(lambda: till.receipt_by_number(text), found)

    def accepts_scan(self, code: str) -> bool:
        self.search.setText(code)
        self._find()
        return True

    def reprint(self) -> None:
        r = self.selected()
        if r is not None:
            self._reprint(r)

    def return_selected(self) -> None:
        r = self.selected()
        if r is not None and r.kind is ReceiptKind.SALE:
            self.accept()
            self._returns(r.number)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.table.rowCount():
                rows = self.table.selectionModel().selectedRows()
                row = (rows[0].row() if rows else 0) + (-1 if event.key() == Qt.Key.Key_Up else 1)
                self.table.selectRow(max(0, min(self.table.rowCount() - 1, row)))
                return True
        return False

    def start(self) -> None:
        self.open_modal(self.search)
