"""Payment: cash with change, card with the terminal's reference, or both (mixed).

Keyboard: type an amount (empty = what is left) and press Enter for cash, or F2 for card and
then the terminal's reference and Enter. The sale completes by itself once it is paid; Esc
goes back to the sale (taking back payments already entered, after asking).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core import CardDetails, CardTender, Cart, CashTender, PaymentKind, Receipt
from desktop.core.payments import round_cash
from desktop.ui.context import UiContext
from desktop.ui.dialogs.base import TillDialog
from desktop.ui.dialogs.entry import ConfirmDialog
from desktop.ui.locale import money, translate
from desktop.ui.widgets.keypad import Keypad
from shared.money import MoneyError, parse_amount

__all__ = ["PaymentDialog", "quick_cash"]


def quick_cash(due: int, exponent_unit: int = 100) -> list[int]:
    """Banknote amounts a customer is likely to hand over for ``due`` (minor units)."""
    notes = [n * exponent_unit for n in (10, 50, 100, 200, 500, 1000)]
    out: list[int] = []
    for n in notes:
        amount = -(-due // n) * n
        if amount > due and amount not in out:
            out.append(amount)
        if len(out) == 3:
            break
    return out


class PaymentDialog(TillDialog):
    def __init__(
        self, ctx: UiContext, parent: QWidget | None, cart: Cart, on_done: Callable[[Receipt], None]
    ) -> None:
        super().__init__(ctx, parent, translate("Payment", "Payment"))
        self.setMinimumSize(1100, 700)
        self.cart = cart
        self._on_done = on_done
        self.card_mode = False
        self._busy = False
        grid = QGridLayout()
        grid.setVerticalSpacing(6)
        self.captions = [
            QLabel(text, self)
            for text in (
                translate("Payment", "To pay"),
                translate("Payment", "Paid"),
                translate("Payment", "Left to pay"),
                translate("Payment", "Change"),
            )
        ]
        self.values = [QLabel(self) for _ in range(4)]
        for r, (c, v) in enumerate(zip(self.captions, self.values, strict=True)):
            c.setObjectName("Big")
            v.setObjectName("Total" if r == 2 else "Big")
            c.setMinimumHeight(64 if r == 2 else 36)
            grid.addWidget(c, r, 0)
            grid.addWidget(v, r, 1, alignment=Qt.AlignmentFlag.AlignRight)
        self.payments = QListWidget(self)
        self.payments.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.payments.setMaximumHeight(110)
        self.amount_label = QLabel(self)
        self.amount = QLineEdit(self)
        self.amount.setObjectName("AmountField")
        self.amount.returnPressed.connect(self._enter)
        self.ref_label = QLabel(
            translate("Payment", "Card terminal reference (RRN or approval code), then Enter:"),
            self,
        )
        self.ref_label.setWordWrap(True)
        self.ref = QLineEdit(self)
        self.ref.setObjectName("CardRefField")
        self.ref.setMaxLength(32)
        self.ref.returnPressed.connect(self._card)
        left = QVBoxLayout()
        left.addLayout(grid)
        left.addWidget(self.payments)
        left.addWidget(self.amount_label)
        left.addWidget(self.amount)
        left.addWidget(self.ref_label)
        left.addWidget(self.ref)
        left.addStretch(1)
        right = QVBoxLayout()
        self.quick = QHBoxLayout()
        right.addLayout(self.quick)
        keypad = Keypad(self.amount, self)
        keypad.enter.connect(self._enter)
        right.addWidget(keypad, 1)
        row = QHBoxLayout()
        row.addLayout(left, 3)
        row.addLayout(right, 2)
        self.body.addLayout(row, 1)
        self.add_button("Esc", translate("Payment", "Back to sale"), self.escape)
        self.add_button("F1", translate("Payment", "Cash"), self._cash_key, role="pay")
        self.add_button("F2", translate("Payment", "Card"), self._card_key)
        self.add_button("F3", translate("Payment", "Exact cash"), lambda: self._tender_cash(None))
        self._set_mode(False)
        self.show_cart(cart)

    # -- display -----------------------------------------------------------------------------
    @property
    def _due_cash(self) -> int:
        return round_cash(self.cart.due, self.cart.cash_step)

    def show_cart(self, cart: Cart) -> None:
        self.cart = cart
        cur = cart.currency
        self.values[0].setText(money(cart.payable if cart.payments else cart.total, cur))
        self.values[1].setText(money(cart.paid, cur))
        self.values[2].setText(money(max(cart.due, 0), cur))
        self.values[3].setText(money(cart.change, cur))
        self.payments.clear()
        for p in cart.payments:
            if p.kind is PaymentKind.CASH:
                text = translate("Payment", "Cash {amount}").format(
                    amount=money(p.tendered or p.amount, cur)
                )
            else:
                ref = (p.card.rrn or p.card.auth_code) if p.card else None
                text = translate("Payment", "Card {amount}").format(amount=money(p.amount, cur))
                if ref:
                    text += f" · {ref}"
            self.payments.addItem(text)
        while self.quick.count():
            w = self.quick.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        for amount in quick_cash(self._due_cash):
            b = QPushButton(money(amount, cur), self)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(lambda _=False, a=amount: self._tender_cash(a))
            self.quick.addWidget(b)
        self.amount.setPlaceholderText(
            money(self._due_cash if not self.card_mode else max(cart.due, 0), cur)
        )

    def _set_mode(self, card: bool) -> None:
        self.card_mode = card
        self.ref_label.setVisible(card)
        self.ref.setVisible(card)
        self.amount_label.setText(
            translate("Payment", "Card amount (empty = all that is left):")
            if card
            else translate("Payment", "Cash received (empty = exact amount), then Enter:")
        )
        if card:
            self.ref.clear()
            self.ref.setFocus()
        else:
            self.amount.setFocus()

    # -- entering ----------------------------------------------------------------------------
    def _parse(self) -> int | None:
        text = self.amount.text().strip()
        if not text:
            return None
        try:
            value = parse_amount(text, self.cart.currency)
        except MoneyError:
            self.show_problem(translate("Payment", "Enter an amount like 150 or 150,50."))
            self.amount.selectAll()
            return -1
        if value <= 0:
            self.show_problem(translate("Payment", "Enter an amount like 150 or 150,50."))
            return -1
        return value

    def _enter(self) -> None:
        if self.card_mode:
            self.ref.setFocus()
            return
        amount = self._parse()
        if amount != -1:
            self._tender_cash(amount)

    def _cash_key(self) -> None:
        self._set_mode(False) if self.card_mode else self._enter()

    def _card_key(self) -> None:
        if self._parse() == -1:
            return
        self._set_mode(True)

    def _tender_cash(self, amount: int | None) -> None:
        self._pay(CashTender(self._due_cash if amount is None else amount))

    def _card(self) -> None:
        amount = self._parse()
        if amount == -1:
            return
        ref = self.ref.text().strip() or None
        self._pay(CardTender(amount, CardDetails(rrn=ref)))

    def _pay(self, tender: CashTender | CardTender) -> None:
        if self._busy:
            return
        self._busy = True
        session = self.ctx.session

        def job() -> tuple[Cart, Receipt | None]:
            cart = session.pay(tender)
            return (cart, session.complete()) if cart.due <= 0 else (cart, None)

        def ok(result: tuple[Cart, Receipt | None]) -> None:
            self._busy = False
            cart, receipt = result
            self.amount.clear()
            self._set_mode(False)
            self.show_cart(cart)
            if receipt is not None:
                self.accept()
                self._on_done(receipt)

        def failed(exc: Exception) -> None:
            self._busy = False
            self.show_problem(exc)
            (self.ref if self.card_mode else self.amount).setFocus()

        self.run(job, ok, failed)

    def _back(self) -> None:
        if self.card_mode:
            self._set_mode(False)
            return
        if not self.cart.payments:
            self.reject()
            return

        def remove() -> None:
            self.run(self.ctx.session.remove_payments, lambda _c: self.reject())

        ConfirmDialog(
            self.ctx,
            self,
            translate("Payment", "Take back payments?"),
            translate(
                "Payment",
                "The payments entered will be removed. Reverse any card payment on "
                "the card terminal.",
            ),
            remove,
        ).start()

    def accepts_scan(self, code: str) -> bool:
        """The customer found one more item: add it and show the new amount to pay."""

        def added(cart: Cart) -> None:
            self.show_cart(cart)
            if cart.active_lines:
                self.show_notice(
                    translate("Payment", "Added to the sale: {name}").format(
                        name=cart.active_lines[-1].name
                    )
                )
            parent = self.parentWidget()
            if parent is not None and hasattr(parent, "show_cart"):
                parent.show_cart(cart)

        session = self.ctx.session
        self.run(lambda: session.scan(code), added)
        return True

    def escape(self) -> None:
        self._back()

    def start(self) -> None:
        self.open_modal(self.amount)
