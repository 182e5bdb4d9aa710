"""Small entry dialogs: a number with a touch keypad, and a yes/no question.

Both answer through callbacks; the caller decides whether the dialog closes (an invalid entry
shows its problem inline and keeps the dialog open with the text selected).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.ui.context import UiContext
from desktop.ui.dialogs.base import TillDialog
from desktop.ui.locale import translate
from desktop.ui.widgets.keypad import Keypad

__all__ = ["ChoiceDialog", "ConfirmDialog", "EntryDialog"]


class EntryDialog(TillDialog):
    """``prompt`` over a line edit; Enter calls ``submit(text, dialog)``."""

    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None,
        title: str,
        prompt: str,
        submit: Callable[[str, EntryDialog], None],
        *,
        text: str = "",
        hint: str = "",
        extra: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, parent, title)
        self._submit = submit
        label = QLabel(prompt, self)
        label.setObjectName("Big")
        label.setWordWrap(True)
        self.field = QLineEdit(text, self)
        self.field.setObjectName("EntryField")
        self.field.selectAll()
        self.field.returnPressed.connect(self.submit)
        left = QVBoxLayout()
        left.addWidget(label)
        left.addWidget(self.field)
        if hint:
            h = QLabel(hint, self)
            h.setObjectName("Muted")
            h.setWordWrap(True)
            left.addWidget(h)
        if extra is not None:
            left.addWidget(extra)
        left.addStretch(1)
        keypad = Keypad(self.field, self)
        keypad.enter.connect(self.submit)
        row = QHBoxLayout()
        row.addLayout(left, 3)
        row.addWidget(keypad, 2)
        self.body.addLayout(row, 1)
        self.add_button("Esc", translate("Dialogs", "Cancel"), self.reject)
        self.ok = self.add_button("Return", translate("Dialogs", "OK"), self.submit, role="pay")
        self.ok.shortcut.setEnabled(False)  # the field's own Enter submits

    def submit(self) -> None:
        self.clear_problem()
        self._submit(self.field.text().strip(), self)

    def failed(self, what: BaseException | str) -> None:
        self.show_problem(what)
        self.field.selectAll()
        self.field.setFocus()

    def start(self) -> None:
        self.open_modal(self.field)


class ConfirmDialog(TillDialog):
    """A question with Yes (Enter) and No (Esc)."""

    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None,
        title: str,
        question: str,
        on_yes: Callable[[], None],
        *,
        yes: str = "",
        no: str = "",
    ) -> None:
        super().__init__(ctx, parent, title)
        self.setMinimumSize(640, 320)
        q = QLabel(question, self)
        q.setObjectName("Big")
        q.setWordWrap(True)
        self.body.addWidget(q, 1)
        self._on_yes = on_yes
        self.add_button("Esc", no or translate("Dialogs", "No"), self.reject)
        self.add_button("Return", yes or translate("Dialogs", "Yes"), self._yes, role="pay")

    def _yes(self) -> None:
        self.accept()
        self._on_yes()

    def start(self) -> None:
        self.open_modal(self)


class ChoiceDialog(TillDialog):
    """A question with a few keyed answers and Esc to go back."""

    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None,
        title: str,
        question: str,
        choices: list[tuple[str, str, Callable[[], None]]],
    ) -> None:
        super().__init__(ctx, parent, title)
        self.setMinimumSize(640, 320)
        q = QLabel(question, self)
        q.setObjectName("Big")
        q.setWordWrap(True)
        self.body.addWidget(q, 1)
        self.add_button("Esc", translate("Dialogs", "Back"), self.reject)
        for key, caption, fn in choices:
            self.add_button(key, caption, lambda _=False, f=fn: (self.accept(), f()))

    def start(self) -> None:
        self.open_modal(self)
