"""Discount on the chosen line or on the whole receipt, in percent or as an amount.

Type ``10`` and Enter for 10 % off the line; F2 switches to the whole receipt, F3 to an amount
instead of a percent, F4 removes the discount. Above the cashier's limit the till asks for a
manager's PIN (see :func:`~desktop.ui.dialogs.approval.run_approved`).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from PySide6.QtWidgets import QLabel, QWidget

from desktop.core import Cart, Discount
from desktop.core.errors import InvalidDiscount
from desktop.ui.context import UiContext
from desktop.ui.dialogs.approval import run_approved
from desktop.ui.dialogs.entry import EntryDialog
from desktop.ui.locale import translate
from shared.money import MoneyError, parse_amount

__all__ = ["DiscountDialog"]


class DiscountDialog(EntryDialog):
    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None,
        line_no: int | None,
        line_name: str,
        on_cart: Callable[[Cart], None],
    ) -> None:
        self.mode = QLabel()
        self.mode.setObjectName("Notice")
        super().__init__(
            ctx,
            parent,
            translate("Discount", "Discount"),
            translate("Discount", "Discount, then Enter:"),
            self._apply,
            hint=translate(
                "Discount",
                "F2: line or whole receipt · F3: percent or amount · F4: remove the discount",
            ),
            extra=self.mode,
        )
        self.line_no = line_no
        self.line_name = line_name
        self.on_cart = on_cart
        self.whole = line_no is None
        self.percent = True
        self.add_button("F2", translate("Discount", "Line / receipt"), self._toggle_target)
        self.add_button("F3", translate("Discount", "% / amount"), self._toggle_kind)
        self.add_button("F4", translate("Discount", "Remove"), lambda: self._send(None))
        self._show_mode()

    def _show_mode(self) -> None:
        target = (
            translate("Discount", "Whole receipt")
            if self.whole
            else translate("Discount", "Line: {name}").format(name=self.line_name)
        )
        kind = translate("Discount", "percent") if self.percent else translate("Discount", "amount")
        self.mode.setText(f"{target} · {kind}")

    def _toggle_target(self) -> None:
        if self.line_no is not None:
            self.whole = not self.whole
            self._show_mode()
        self.field.setFocus()

    def _toggle_kind(self) -> None:
        self.percent = not self.percent
        self._show_mode()
        self.field.setFocus()

    def _apply(self, text: str, _dialog: EntryDialog) -> None:
        if not text:
            return
        try:
            if self.percent:
                discount = Discount.percent(Decimal(text.replace(",", ".").rstrip("%")))
            else:
                discount = Discount.amount(parse_amount(text, self.ctx.currency))
        except (InvalidOperation, MoneyError, InvalidDiscount) as exc:
            self.failed(exc if isinstance(exc, InvalidDiscount) else InvalidDiscount())
            return
        self._send(discount)

    def _send(self, discount: Discount | None) -> None:
        session, line_no, whole = self.ctx.session, self.line_no, self.whole

        def job(approval: object) -> Cart:
            if whole or line_no is None:
                return session.discount_cart(discount, approval)  # type: ignore[arg-type]
            return session.discount_line(line_no, discount, approval)  # type: ignore[arg-type]

        def ok(cart: Cart) -> None:
            self.accept()
            self.on_cart(cart)

        self.clear_problem()
        run_approved(self.ctx, self, job, ok, self.failed)
