"""A touch keypad that types into a line edit without taking the focus away from it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QWidget

__all__ = ["Keypad"]

_KEYS = (("7", "8", "9"), ("4", "5", "6"), ("1", "2", "3"), ("0", "00", ","))


class Keypad(QWidget):
    """Digits, decimal comma, backspace, clear and Enter for a :class:`QLineEdit`."""

    enter = Signal()

    def __init__(self, target: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        grid = QGridLayout(self)
        grid.setSpacing(6)
        grid.setContentsMargins(0, 0, 0, 0)
        for r, row in enumerate(_KEYS):
            for c, key in enumerate(row):
                grid.addWidget(self._button(key, lambda _=False, k=key: self._type(k)), r, c)
        grid.addWidget(self._button("⌫", self.target.backspace), 0, 3)
        grid.addWidget(self._button("C", self.target.clear), 1, 3)
        ok = self._button("↵", self.enter.emit)
        ok.setProperty("role", "pay")
        grid.addWidget(ok, 2, 3, 2, 1)

    def _button(self, text: str, slot: object) -> QPushButton:
        b = QPushButton(text, self)
        b.setProperty("role", "key")
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.setAutoRepeat(text == "⌫")
        b.clicked.connect(slot)  # type: ignore[arg-type]
        return b

    def _type(self, key: str) -> None:
        self.target.insert(key)
        self.target.setFocus()
