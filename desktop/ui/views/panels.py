"""Parts of the sale screen: the last-scanned item, the totals with VAT, the search popup."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core import Cart, Product, Receipt
from desktop.core.cart import PricedLine
from desktop.ui.locale import money, quantity, translate, unit_text

__all__ = ["HeroPanel", "SearchPopup", "TotalsPanel"]


class HeroPanel(QFrame):
    """The last scanned line, large enough to read from the customer's side of the counter;
    or the problem with the last scan, in red, saying what to do."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Panel")
        col = QVBoxLayout(self)
        self.name = QLabel(self)
        self.name.setObjectName("Hero")
        self.name.setWordWrap(True)
        self.detail = QLabel(self)
        self.detail.setObjectName("HeroPrice")
        self.detail.setWordWrap(True)
        self.problem = QLabel(self)
        self.problem.setObjectName("Problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        col.addWidget(self.name)
        col.addWidget(self.detail)
        col.addWidget(self.problem)
        self.setMinimumHeight(150)

    def show_line(self, p: PricedLine, currency: str) -> None:
        ln = p.line
        self.problem.hide()
        self.name.setText(ln.name)
        off = p.line_discount + p.receipt_discount
        discount = f" − {money(off, currency)}" if off else ""
        self.detail.setText(
            f"{quantity(ln.quantity, ln.unit)} {unit_text(ln.unit)} × "
            f"{money(ln.unit_price, currency)}{discount} = {money(p.final, currency)}"
        )

    def show_text(self, title: str, detail: str = "") -> None:
        self.problem.hide()
        self.name.setText(title)
        self.detail.setText(detail)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))


class TotalsPanel(QFrame):
    """Items, subtotal, discounts, VAT per rate and the total; after a sale, the change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Panel")
        self.grid = QGridLayout(self)
        self.items = QLabel(self)
        self.subtotal_caption, self.subtotal = QLabel(self), QLabel(self)
        self.discount_caption, self.discount = QLabel(self), QLabel(self)
        self.vat = QLabel(self)
        self.vat.setObjectName("Muted")
        self.total_caption, self.total = QLabel(self), QLabel(self)
        self.total_caption.setObjectName("TotalCaption")
        self.total.setObjectName("Total")
        self.after = QLabel(self)
        self.after.setObjectName("Good")
        self.after.setWordWrap(True)
        self.after.hide()
        right = Qt.AlignmentFlag.AlignRight
        rows = ((self.subtotal_caption, self.subtotal), (self.discount_caption, self.discount))
        self.grid.addWidget(self.items, 0, 0, 1, 2)
        for r, (a, b) in enumerate(rows, start=1):
            self.grid.addWidget(a, r, 0)
            self.grid.addWidget(b, r, 1, alignment=right)
        self.grid.addWidget(self.vat, 3, 0, 1, 2)
        self.grid.addWidget(self.total_caption, 4, 0)
        self.grid.addWidget(self.total, 4, 1, alignment=right)
        self.grid.addWidget(self.after, 5, 0, 1, 2)
        self.cart: Cart | None = None
        self.currency = "RON"
        self.retranslate()

    def retranslate(self) -> None:
        self.subtotal_caption.setText(translate("Sale", "Subtotal"))
        self.discount_caption.setText(translate("Sale", "Discount"))
        self.total_caption.setText(translate("Sale", "TOTAL"))
        self.show_cart(self.cart, self.currency)

    def show_cart(self, cart: Cart | None, currency: str) -> None:
        self.cart, self.currency = cart, currency
        if cart is not None:
            currency = cart.currency
        count = len(cart.active_lines) if cart else 0
        self.items.setText(translate("Sale", "%n line(s)", None, count))
        self.subtotal.setText(money(cart.subtotal if cart else 0, currency))
        self.discount.setText(money(-cart.discount_total if cart else 0, currency))
        vat_parts = []
        if cart is not None:
            for v in sorted(cart.tax.by_group.values(), key=lambda g: -g.vat_rate):
                vat_parts.append(
                    translate("Sale", "VAT {rate}%: {amount}").format(
                        rate=f"{v.vat_rate.normalize():f}", amount=money(v.vat, currency)
                    )
                )
        self.vat.setText("   ".join(vat_parts) or translate("Sale", "VAT: —"))
        self.total.setText(money(cart.total if cart else 0, currency))
        if cart is not None and cart.active_lines:
            self.after.hide()

    def show_done(self, receipt: Receipt) -> None:
        text = translate("Sale", "Receipt {number} paid.").format(number=receipt.number)
        if receipt.change:
            text += "\n" + translate("Sale", "CHANGE: {amount}").format(
                amount=money(receipt.change, receipt.currency)
            )
        self.after.setText(text)
        self.after.show()


class SearchPopup(QListWidget):
    """As-you-type results under the scan field; the field keeps the focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMaximumHeight(340)
        self.hide()

    def show_products(self, products: list[Product], currency: str, language: str) -> None:
        self.clear()
        for p in products:
            unit = "" if p.unit.value == "pcs" else f" / {unit_text(p.unit)}"
            item = QListWidgetItem(
                f"{p.display_name(language)}   {money(p.price, currency)}{unit}   ·   {p.sku}"
            )
            item.setData(Qt.ItemDataRole.UserRole, p)
            self.addItem(item)
        if products:
            self.setCurrentRow(0)
        self.setVisible(bool(products))

    def step(self, step: int) -> None:
        if self.count():
            self.setCurrentRow(max(0, min(self.count() - 1, self.currentRow() + step)))

    def chosen(self) -> Product | None:
        item = self.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None
