"""The cart as a table model: one row per active line, amounts as the receipt will show them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.core import Cart
from desktop.core.cart import PricedLine
from desktop.ui.locale import money, quantity, translate, unit_text

__all__ = ["CartModel"]

Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class CartModel(QAbstractTableModel):
    COLUMNS = 6

    def __init__(self) -> None:
        super().__init__()
        self.cart: Cart | None = None
        self._rows: tuple[PricedLine, ...] = ()

    def set_cart(self, cart: Cart | None) -> None:
        self.beginResetModel()
        self.cart = cart
        self._rows = cart.priced if cart is not None else ()
        self.endResetModel()

    def line_no(self, row: int) -> int | None:
        return self._rows[row].line.line_no if 0 <= row < len(self._rows) else None

    def row_of(self, line_no: int) -> int:
        for i, p in enumerate(self._rows):
            if p.line.line_no == line_no:
                return i
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and section >= 2:
            return _RIGHT
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            translate("Cart", "#"),
            translate("Cart", "Product"),
            translate("Cart", "Qty"),
            translate("Cart", "Price"),
            translate("Cart", "Discount"),
            translate("Cart", "Amount"),
        )[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.cart is None:
            return None
        p = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col >= 2 else None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        ln, cur = p.line, self.cart.currency
        if col == 0:
            return str(index.row() + 1)
        if col == 1:
            return ln.name
        if col == 2:
            return f"{quantity(ln.quantity, ln.unit)} {unit_text(ln.unit)}"
        if col == 3:
            return money(ln.unit_price, cur)
        if col == 4:
            off = p.line_discount + p.receipt_discount
            return money(-off, cur) if off else ""
        return money(p.final, cur)
