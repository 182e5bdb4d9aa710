"""Service cash in and out (float top-ups, cash pick-ups), with an optional reason."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLineEdit, QWidget

from desktop.core import CashMovement
from desktop.ui.context import UiContext
from desktop.ui.dialogs.approval import run_approved
from desktop.ui.dialogs.entry import EntryDialog
from desktop.ui.dialogs.shift import amount_entry
from desktop.ui.locale import translate

__all__ = ["cash_dialog"]


def cash_dialog(
    ctx: UiContext, parent: QWidget | None, kind: str, on_done: Callable[[CashMovement], None]
) -> EntryDialog:
    """``kind`` ``in`` or ``out``; ``on_done`` gets the recorded movement."""
    reason = QLineEdit()
    reason.setObjectName("ReasonField")
    reason.setMaxLength(120)
    reason.setPlaceholderText(translate("Cash", "Reason (optional, Tab to reach)"))
    till = ctx.till

    def submit(amount: int, dialog: EntryDialog) -> None:
        why = reason.text().strip()

        def job(approval: object) -> CashMovement:
            move = till.cash_in if kind == "in" else till.cash_out
            return move(amount, why, approval=approval)  # type: ignore[arg-type]

        run_approved(ctx, dialog, job, lambda m: (dialog.accept(), on_done(m)), dialog.failed)

    title = translate("Cash", "Cash in") if kind == "in" else translate("Cash", "Cash out")
    prompt = (
        translate("Cash", "Amount put into the drawer:")
        if kind == "in"
        else translate("Cash", "Amount taken out of the drawer:")
    )
    return amount_entry(ctx, parent, title, prompt, submit, allow_zero=False, extra=reason)
