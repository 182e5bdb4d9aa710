"""Shift: open with a float, the shift menu (X, cash in/out, close), close with counted cash
(a blind count: the expected amount is shown only on the Z report), and the report view."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QWidget

from desktop.core import Shift, ShiftReport
from desktop.ui.context import UiContext
from desktop.ui.dialogs.base import TillDialog
from desktop.ui.dialogs.entry import EntryDialog
from desktop.ui.locale import age_text, money, translate, vat_group_text, when_text
from shared.money import MoneyError, parse_amount

__all__ = ["ReportDialog", "ShiftMenuDialog", "amount_entry"]


def amount_entry(
    ctx: UiContext,
    parent: QWidget | None,
    title: str,
    prompt: str,
    on_amount: Callable[[int, EntryDialog], None],
    *,
    allow_zero: bool = True,
    hint: str = "",
    extra: QWidget | None = None,
) -> EntryDialog:
    """An :class:`EntryDialog` that parses money before calling ``on_amount``."""

    def submit(text: str, dialog: EntryDialog) -> None:
        try:
            amount = parse_amount(text or "0", ctx.currency)
        except MoneyError:
            dialog.failed(translate("Shift", "Enter an amount like 500 or 500,50."))
            return
        if amount < 0 or (amount == 0 and not allow_zero):
            dialog.failed(translate("Shift", "Enter an amount like 500 or 500,50."))
            return
        on_amount(amount, dialog)

    return EntryDialog(ctx, parent, title, prompt, submit, hint=hint, extra=extra)


def _count(n: int, amount: int, currency: str) -> str:
    receipts = translate("Shift", "%n receipt(s)", None, n)
    return f"{receipts} · {money(amount, currency)}"


class ShiftMenuDialog(TillDialog):
    """What can be done with the open shift."""

    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None,
        shift: Shift,
        actions: dict[str, Callable[[], None]],
    ) -> None:
        super().__init__(
            ctx, parent, translate("Shift", "Shift {number}").format(number=shift.number)
        )
        self.setMinimumSize(820, 420)
        age = ctx.till.clock.now() - shift.opened_at
        info = QLabel(
            translate("Shift", "Opened {when} by {name} · open for {age}").format(
                when=when_text(shift.opened_at), name=shift.opened_by_name, age=age_text(age)
            ),
            self,
        )
        info.setObjectName("Big")
        info.setWordWrap(True)
        self.body.addWidget(info)
        self.documents = QLabel(
            translate("Shift", "%n receipt(s) in this shift", None, shift.documents), self
        )
        self.body.addWidget(self.documents)
        self.body.addStretch(1)
        self._actions = actions
        self.add_button("Esc", translate("Shift", "Back"), self.reject)
        self.add_button("F1", translate("Shift", "X report"), lambda: self._do("x"))
        self.add_button("F2", translate("Shift", "Cash in"), lambda: self._do("cash_in"))
        self.add_button("F3", translate("Shift", "Cash out"), lambda: self._do("cash_out"))
        self.add_button(
            "F4", translate("Shift", "Close shift (Z)"), lambda: self._do("close"), role="danger"
        )

    def _do(self, name: str) -> None:
        self.accept()
        self._actions[name]()

    def start(self) -> None:
        self.open_modal(self)


class ReportDialog(TillDialog):
    """An X or Z report on screen, with Print."""

    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None,
        report: ShiftReport,
        on_print: Callable[[ShiftReport], None],
    ) -> None:
        kind = (
            translate("Shift", "X report")
            if report.kind.value == "X"
            else translate("Shift", "Z report")
        )
        super().__init__(
            ctx,
            parent,
            translate("Shift", "{kind} · shift {number}").format(
                kind=kind, number=report.shift.number
            ),
        )
        self.setMinimumSize(860, 640)
        self.report = report
        holder = QWidget(self)
        grid = QGridLayout(holder)
        rows = self._rows(report)
        for r, (caption, value, strong) in enumerate(rows):
            a, b = QLabel(caption, holder), QLabel(value, holder)
            if strong:
                a.setObjectName("Big")
                b.setObjectName("Big")
            grid.addWidget(a, r, 0)
            grid.addWidget(b, r, 1, alignment=Qt.AlignmentFlag.AlignRight)
        self.values = {caption: value for caption, value, _s in rows}
        area = QScrollArea(self)
        area.setWidgetResizable(True)
        area.setWidget(holder)
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.body.addWidget(area, 1)
        self.add_button("Esc", translate("Shift", "Close"), self.reject)
        self.add_button("F1", translate("Shift", "Print"), lambda: on_print(report))

    @staticmethod
    def _rows(r: ShiftReport) -> list[tuple[str, str, bool]]:
        t, cur = r.totals, r.currency

        def m(v: int) -> str:
            return money(v, cur)

        rows = [
            (translate("Shift", "Generated"), when_text(r.generated_at), False),
            (translate("Shift", "Sales"), _count(t.sales_count, t.sales_total, cur), True),
            (translate("Shift", "Returns"), _count(t.returns_count, t.returns_total, cur), False),
            (translate("Shift", "Net"), m(r.net_total), True),
            (translate("Shift", "Discounts given"), m(t.sales_discounts), False),
            (translate("Shift", "Cash rounding"), m(t.sales_rounding - t.returns_rounding), False),
        ]
        for v in t.sales_vat:
            rows.append(
                (
                    translate("Shift", "VAT {rate}% ({group})").format(
                        rate=f"{v.rate.normalize():f}", group=vat_group_text(v.group)
                    ),
                    f"{m(v.vat)} / {m(v.gross)}",
                    False,
                )
            )
        names = {"cash": translate("Shift", "Cash"), "card": translate("Shift", "Card")}
        for p in t.payments:
            rows.append(
                (
                    names.get(p.kind, p.kind),
                    translate("Shift", "taken {sales} · refunded {refunds}").format(
                        sales=m(p.sales), refunds=m(p.refunds)
                    ),
                    False,
                )
            )
        rows += [
            (translate("Shift", "Opening float"), m(r.shift.opening_float), False),
            (translate("Shift", "Cash in"), m(t.cash_in), False),
            (translate("Shift", "Cash out"), m(t.cash_out), False),
            (translate("Shift", "Expected cash in drawer"), m(r.expected_cash), True),
        ]
        if r.counted_cash is not None:
            rows.append((translate("Shift", "Counted cash"), m(r.counted_cash), True))
            rows.append((translate("Shift", "Difference"), m(r.cash_difference or 0), True))
        if t.voided_lines or t.cancelled_sales:
            rows.append(
                (
                    translate("Shift", "Voided lines / cancelled sales"),
                    f"{t.voided_lines} / {t.cancelled_sales}",
                    False,
                )
            )
        return rows

    def start(self) -> None:
        self.open_modal(self)
