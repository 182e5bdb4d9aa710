"""The sale screen: one always-focused field for scans, codes and names; the cart; the totals.

The field understands ``4820…`` (a barcode or scale label), ``3*4820…`` (three of them),
``5*`` (set the chosen line's quantity to 5) and any other text as an as-you-type product
search (arrows choose, Enter adds). Up/Down choose a cart line for F3–F6; Delete voids it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core import Cart, Product, Receipt
from desktop.core.errors import AgeVerificationRequired, InvalidQuantity
from desktop.ui.context import UiContext
from desktop.ui.locale import current, translate
from desktop.ui.problems import explain
from desktop.ui.views.panels import HeroPanel, SearchPopup, TotalsPanel
from desktop.ui.widgets.buttons import ActionButton
from desktop.ui.widgets.cart_model import CartModel

__all__ = ["SaleView"]

_CODE = re.compile(r"^[0-9A-Za-z\-]{4,64}$")
_QTY = re.compile(r"^(\d+(?:[.,]\d{1,3})?)\*(.*)$")

# (object name, key, caption source, role)
_BUTTONS = (
    ("find", "F2", QT_TRANSLATE_NOOP("Sale", "Find product"), None),
    ("qty", "F3", QT_TRANSLATE_NOOP("Sale", "Quantity"), None),
    ("discount", "F4", QT_TRANSLATE_NOOP("Sale", "Discount"), None),
    ("price", "F5", QT_TRANSLATE_NOOP("Sale", "Price"), None),
    ("void", "F6", QT_TRANSLATE_NOOP("Sale", "Void line"), "danger"),
    ("cancel", "Ctrl+F6", QT_TRANSLATE_NOOP("Sale", "Cancel sale"), "danger"),
    ("returns", "F7", QT_TRANSLATE_NOOP("Sale", "Return"), None),
    ("cash", "F8", QT_TRANSLATE_NOOP("Sale", "Cash in/out"), None),
    ("shift", "F9", QT_TRANSLATE_NOOP("Sale", "Shift / X / Z"), None),
    ("history", "F10", QT_TRANSLATE_NOOP("Sale", "Receipts"), None),
    ("settings", "F11", QT_TRANSLATE_NOOP("Sale", "Settings"), None),
    ("logout", "Ctrl+L", QT_TRANSLATE_NOOP("Sale", "Log out"), None),
)


class ScanField(QLineEdit):
    """The field; arrow keys and Delete are handled by the screen."""


class SaleView(QWidget):
    action = Signal(str)
    """Actions handled by the main window: returns, cash, shift, history, settings, logout."""
    sold = Signal(object)
    """A completed :class:`Receipt` (the window prints and fiscalises it)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("Screen")
        self.cart: Cart | None = None
        self._search_token = 0
        self.hero = HeroPanel(self)
        self.model = CartModel()
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(46)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.clicked.connect(lambda _i: self.field.setFocus())
        self.field = ScanField(self)
        self.field.setObjectName("ScanField")
        self.field.installEventFilter(self)
        self.field.returnPressed.connect(self._enter)
        self.field.textEdited.connect(self._typed)
        self.popup = SearchPopup(self)
        self.popup.itemClicked.connect(lambda _i: self._add_chosen())
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self._search)
        self.totals = TotalsPanel(self)
        left = QVBoxLayout()
        left.addWidget(self.hero)
        left.addWidget(self.table, 1)
        left.addWidget(self.popup)
        left.addWidget(self.field)
        grid = QGridLayout()
        grid.setSpacing(8)
        self.buttons: dict[str, ActionButton] = {}
        for i, (name, key, _caption, role) in enumerate(_BUTTONS):
            b = ActionButton(key, self, role=role)
            b.clicked.connect(lambda _=False, n=name: self._button(n))
            grid.addWidget(b, i // 2, i % 2)
            self.buttons[name] = b
        pay = ActionButton("F12", self, role="pay")
        pay.setObjectName("PayButton")
        pay.setMinimumHeight(96)
        pay.clicked.connect(self.pay)
        grid.addWidget(pay, len(_BUTTONS) // 2, 0, 1, 2)
        self.buttons["pay"] = pay
        right = QVBoxLayout()
        right.addWidget(self.totals)
        right.addLayout(grid, 1)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 10, 10, 6)
        row.addLayout(left, 13)
        row.addLayout(right, 7)
        from desktop.ui.views import cart_actions  # its dialogs: built after the first frame

        self.actions = cart_actions.CartActions(self, self)
        self.retranslate()

    # -- language ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        for name, _key, caption, _role in _BUTTONS:
            self.buttons[name].set_caption(translate("Sale", caption))
        self.buttons["pay"].set_caption(translate("Sale", "PAY"))
        self.field.setPlaceholderText(translate("Sale", "Scan, or type a barcode or product name"))
        self.totals.retranslate()
        self.model.set_cart(self.cart)
        if self.cart is None or not self.cart.active_lines:
            self.hero.show_text(translate("Sale", "Ready — scan the first product"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- showing -----------------------------------------------------------------------------
    def focus_field(self) -> None:
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_cart(self, cart: Cart | None, *, line_no: int | None = None) -> None:
        """Show ``cart``; select ``line_no`` (default: the last line) and show it large."""
        self.cart = cart
        keep = self.selected_line()
        self.model.set_cart(cart)
        self.totals.show_cart(cart, self.ctx.currency)
        if cart is None or not cart.active_lines:
            self.hero.show_text(translate("Sale", "Ready — scan the first product"))
            return
        target = line_no if line_no is not None else keep
        row = self.model.row_of(target) if target is not None else -1
        if row < 0 or (line_no is None and keep is None):
            row = self.model.rowCount() - 1
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        if line_no is not None:
            self.hero.show_line(cart.priced[row], cart.currency)

    def selected_line(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.line_no(rows[0].row()) if rows else None

    def problem(self, exc: BaseException | str) -> None:
        text = exc if isinstance(exc, str) else explain(exc).text
        self.hero.show_problem(text)
        if text:
            QApplication.beep()

    def sale_done(self, receipt: Receipt) -> None:
        self.show_cart(None)
        self.totals.show_done(receipt)
        self.hero.show_text(
            translate("Sale", "Thank you!"),
            translate("Sale", "Next customer: scan the first product"),
        )
        self.sold.emit(receipt)
        self.focus_field()

    # -- scanning ----------------------------------------------------------------------------
    def scan(
        self,
        code: str,
        quantity: str | None = None,
        *,
        age_ok: bool = False,
        report: Callable[[str, bool], None] | None = None,
    ) -> None:
        """Add the product behind ``code`` (barcode, scale label, SKU). ``report`` gets the
        outcome as a sentence when the scan came in while a dialog was open."""
        self.problem("")
        session = self.ctx.session

        def added(cart: Cart) -> None:
            self._added(cart)
            if report is not None and cart.active_lines:
                report(
                    translate("Sale", "Added to the sale: {name}").format(
                        name=cart.active_lines[-1].name
                    ),
                    True,
                )

        def failed(exc: Exception) -> None:
            if report is not None and not isinstance(exc, AgeVerificationRequired):
                report(explain(exc).text, False)
                QApplication.beep()
                return
            self._add_failed(exc, lambda ok: self.scan(code, quantity, age_ok=ok))

        self.ctx.lanes.till.submit(
            lambda: session.scan(code, quantity, age_verified=age_ok), added, failed
        )

    def add_product(
        self, product: Product, quantity: str | None = None, *, age_ok: bool = False
    ) -> None:
        self.problem("")
        session = self.ctx.session
        self.ctx.lanes.till.submit(
            lambda: session.add(product.sku, quantity, age_verified=age_ok),
            self._added,
            lambda exc: self._add_failed(
                exc, lambda ok: self.add_product(product, quantity, age_ok=ok), product
            ),
        )

    def _added(self, cart: Cart) -> None:
        self.show_cart(cart, line_no=cart.active_lines[-1].line_no if cart.active_lines else None)

    def _add_failed(
        self, exc: Exception, again: Callable[[bool], None], product: Product | None = None
    ) -> None:
        if isinstance(exc, AgeVerificationRequired):
            self.actions.confirm_age(lambda: again(True))
        elif isinstance(exc, InvalidQuantity) and product is not None and product.unit.fractional:
            self.actions.ask_weight(product)
        else:
            self.problem(exc)

    # -- the field -----------------------------------------------------------------------------
    def _enter(self) -> None:
        text = self.field.text().strip()
        if (
            self.popup.isVisible()
            and self.popup.chosen() is not None
            and not _CODE.match(text.split("*")[-1])
        ):
            self._add_chosen()
            return
        self.field.clear()
        self.popup.hide()
        if not text:
            return
        qty = None
        m = _QTY.match(text)
        if m:
            qty, text = m.group(1).replace(",", "."), m.group(2).strip()
            if not text:
                self.actions.set_quantity_to(qty)
                return
        if _CODE.match(text) and any(ch.isdigit() for ch in text):
            self.scan(text, qty)
            return
        self._search_now(text, add_single=True, quantity=qty)

    def _typed(self, text: str) -> None:
        body = text.split("*")[-1].strip()
        if len(body) >= 2 and not body.isdigit():
            self._debounce.start()
        else:
            self._debounce.stop()
            self.popup.hide()

    def _search(self) -> None:
        body = self.field.text().split("*")[-1].strip()
        if len(body) >= 2:
            self._search_now(body)

    def _search_now(
        self, query: str, *, add_single: bool = False, quantity: str | None = None
    ) -> None:
        self._search_token += 1
        token = self._search_token
        till = self.ctx.till

        def found(products: list[Product]) -> None:
            if token != self._search_token:
                return  # an older answer arriving after a newer query
            if add_single and len(products) == 1:
                self.popup.hide()
                self.add_product(products[0], quantity)
                return
            if add_single and not products:
                self.problem(
                    translate(
                        "Sale",
                        "Nothing found for “{query}” — check the spelling or scan the barcode.",
                    ).format(query=query)
                )
                return
            self.popup.show_products(products, self.ctx.currency, till.settings.language)
            if add_single:
                self.field.setText(query)

        self.ctx.lanes.till.submit(lambda: till.search(query, 8), found, self.problem)

    def _add_chosen(self) -> None:
        product = self.popup.chosen()
        text = self.field.text()
        m = _QTY.match(text.strip())
        self.field.clear()
        self.popup.hide()
        self.focus_field()
        if product is not None:
            self.add_product(product, m.group(1).replace(",", ".") if m else None)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is not self.field or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        key = event.key()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if key == Qt.Key.Key_Up else 1
            if self.popup.isVisible():
                self.popup.step(step)
            elif self.model.rowCount():
                rows = self.table.selectionModel().selectedRows()
                row = rows[0].row() + step if rows else self.model.rowCount() - 1
                row = max(0, min(self.model.rowCount() - 1, row))
                self.table.selectRow(row)
                if self.cart is not None:
                    self.hero.show_line(self.cart.priced[row], self.cart.currency)
            return True
        if key == Qt.Key.Key_Escape:
            self.field.clear()
            self.popup.hide()
            self.problem("")
            return True
        if key == Qt.Key.Key_Delete and not self.field.text():
            self.actions.void()
            return True
        if key == Qt.Key.Key_Plus and not self.field.text():
            self.actions.step_quantity(+1)
            return True
        return False

    # -- buttons -------------------------------------------------------------------------------
    def _button(self, name: str) -> None:
        handler = {
            "find": self.find,
            "qty": self.actions.quantity,
            "discount": self.actions.discount,
            "price": self.actions.price,
            "void": self.actions.void,
            "cancel": self.actions.cancel,
        }.get(name)
        if handler is not None:
            handler()
        else:
            self.action.emit(name)
        self.focus_field()

    def find(self) -> None:
        self.field.selectAll()
        self.focus_field()
        self.hero.show_text(
            translate("Sale", "Type part of the product name"),
            translate("Sale", "Results appear as you type; arrows choose, Enter adds."),
        )

    def pay(self) -> None:
        self.actions.pay()

    def language(self) -> str:
        return current()
