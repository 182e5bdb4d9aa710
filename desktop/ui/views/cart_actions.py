"""What F3–F6, Ctrl+F6 and F12 do to the cart: each asks for what it needs, runs on the till
lane, and asks a manager only when the till says the cashier may not."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Protocol

from PySide6.QtWidgets import QWidget

from desktop.core import Approval, Cart, Product, Receipt
from desktop.core.errors import CartEmpty, LineNotFound
from desktop.ui.context import UiContext
from desktop.ui.dialogs.approval import run_approved
from desktop.ui.dialogs.discount import DiscountDialog
from desktop.ui.dialogs.entry import ConfirmDialog, EntryDialog
from desktop.ui.dialogs.payment import PaymentDialog
from desktop.ui.locale import translate, unit_text
from shared.money import MoneyError, parse_amount

__all__ = ["CartActions", "CartHost"]


class CartHost(Protocol):
    """What the cart's actions need of the sale screen (which builds them over itself)."""

    ctx: UiContext
    cart: Cart | None

    def add_product(self, product: Product, quantity: str | None = None, *,
                    age_ok: bool = False) -> None: ...

    def focus_field(self) -> None: ...

    def problem(self, exc: BaseException | str) -> None: ...

    def sale_done(self, receipt: Receipt) -> None: ...

    def selected_line(self) -> int | None: ...

    def show_cart(self, cart: Cart | None, *, line_no: int | None = None) -> None: ...


class CartActions:
    def __init__(self, view: CartHost, parent: QWidget) -> None:
        self.view = view
        self.parent = parent  # the sale screen as a widget: its dialogs' parent
        self.ctx = view.ctx

    # -- helpers -----------------------------------------------------------------------------
    def _line(self) -> tuple[int, str] | None:
        cart, line_no = self.view.cart, self.view.selected_line()
        if cart is None or not cart.active_lines:
            self.view.problem(CartEmpty())
            return None
        if line_no is None:
            self.view.problem(LineNotFound())
            return None
        return line_no, cart.line(line_no).name

    def _shown(self, line_no: int | None = None) -> Callable[[Cart], None]:
        def show(cart: Cart) -> None:
            self.view.show_cart(cart, line_no=line_no)
            self.view.focus_field()

        return show

    def _approved(
        self,
        job: Callable[[Approval | None], Cart],
        line_no: int | None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        run_approved(
            self.ctx,
            self.parent,
            job,
            self._shown(line_no),
            on_error or self.view.problem,
            self.view.focus_field,
        )

    # -- quantity ------------------------------------------------------------------------------
    def quantity(self) -> None:
        found = self._line()
        if found is None:
            return
        line_no, name = found
        assert self.view.cart is not None
        ln = self.view.cart.line(line_no)

        def submit(text: str, dialog: EntryDialog) -> None:
            session = self.ctx.session
            run_approved(
                self.ctx,
                dialog,
                lambda a: session.set_quantity(line_no, text, a),
                lambda cart: (dialog.accept(), self._shown(line_no)(cart)),
                dialog.failed,
            )

        EntryDialog(
            self.ctx,
            self.parent,
            translate("CartActions", "Quantity"),
            translate("CartActions", "New quantity ({unit}) for {name}:").format(
                unit=unit_text(ln.unit), name=name
            ),
            submit,
            text=str(ln.quantity),
        ).start()

    def set_quantity_to(self, qty: str) -> None:
        found = self._line()
        if found is not None:
            session, line_no = self.ctx.session, found[0]
            self._approved(lambda a: session.set_quantity(line_no, qty, a), line_no)

    def step_quantity(self, step: int) -> None:
        found = self._line()
        if found is None or self.view.cart is None:
            return
        line_no = found[0]
        ln = self.view.cart.line(line_no)
        qty = str(ln.quantity + Decimal(step))
        session = self.ctx.session
        self._approved(lambda a: session.set_quantity(line_no, qty, a), line_no)

    def ask_weight(self, product: Product) -> None:
        """A product sold by weight chosen by name: ask the weight (no scale label)."""

        def submit(text: str, dialog: EntryDialog) -> None:
            dialog.accept()
            self.view.add_product(product, text.replace(",", "."))

        EntryDialog(
            self.ctx,
            self.parent,
            translate("CartActions", "Weight"),
            translate("CartActions", "{name}: enter the quantity in {unit}").format(
                name=product.display_name(self.ctx.till.settings.language),
                unit=unit_text(product.unit),
            ),
            submit,
        ).start()

    def confirm_age(self, proceed: Callable[[], None]) -> None:
        ConfirmDialog(
            self.ctx,
            self.parent,
            translate("CartActions", "Age check"),
            translate(
                "CartActions",
                "Age-restricted product. Check the customer's ID: is the customer of legal age?",
            ),
            proceed,
            yes=translate("CartActions", "Yes, of age"),
            no=translate("CartActions", "No — do not sell"),
        ).start()

    # -- discounts and prices ----------------------------------------------------------------
    def discount(self) -> None:
        cart = self.view.cart
        if cart is None or not cart.active_lines:
            self.view.problem(CartEmpty())
            return
        line_no = self.view.selected_line()
        name = cart.line(line_no).name if line_no is not None else ""
        DiscountDialog(self.ctx, self.parent, line_no, name, self._shown(line_no)).start()

    def price(self) -> None:
        found = self._line()
        if found is None:
            return
        line_no, name = found

        def submit(text: str, dialog: EntryDialog) -> None:
            try:
                price = parse_amount(text, self.ctx.currency)
            except MoneyError:
                dialog.failed(translate("CartActions", "Enter a price like 12,50."))
                return
            session = self.ctx.session
            run_approved(
                self.ctx,
                dialog,
                lambda a: session.override(line_no, price, a),
                lambda cart: (dialog.accept(), self._shown(line_no)(cart)),
                dialog.failed,
            )

        EntryDialog(
            self.ctx,
            self.parent,
            translate("CartActions", "Change price"),
            translate("CartActions", "New unit price for {name}:").format(name=name),
            submit,
        ).start()

    # -- removing ------------------------------------------------------------------------------
    def void(self) -> None:
        found = self._line()
        if found is not None:
            session, line_no = self.ctx.session, found[0]
            self._approved(lambda a: session.void(line_no, a), None)

    def cancel(self) -> None:
        cart = self.view.cart
        if cart is None:
            return
        session = self.ctx.session

        def do_cancel() -> None:
            run_approved(
                self.ctx,
                self.parent,
                lambda a: session.cancel(a),
                lambda _none: (self.view.show_cart(None), self.view.focus_field()),
                self.view.problem,
                self.view.focus_field,
            )

        ConfirmDialog(
            self.ctx,
            self.parent,
            translate("CartActions", "Cancel sale"),
            translate("CartActions", "Cancel the whole sale? All lines are removed."),
            do_cancel,
            yes=translate("CartActions", "Cancel sale"),
            no=translate("CartActions", "Keep selling"),
        ).start()

    # -- paying --------------------------------------------------------------------------------
    def pay(self) -> None:
        cart = self.view.cart
        if cart is None or not cart.active_lines:
            self.view.problem(CartEmpty())
            return

        def open_payment(fresh: Cart | None) -> None:  # after every queued scan has landed
            if fresh is None or not fresh.active_lines:
                self.view.problem(CartEmpty())
                return
            self.view.show_cart(fresh)
            PaymentDialog(self.ctx, self.parent, fresh, self.view.sale_done).start()

        self.ctx.lanes.till.submit(self.ctx.session.current, open_payment, self.view.problem)
