"""Buttons that show their keyboard shortcut and fire on it — the same action for keyboard
and touch, so what a cashier learns on one works on the other."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

__all__ = ["ActionButton"]


class ActionButton(QPushButton):
    """``Pay`` over ``F12``; pressing F12 anywhere in the window clicks it."""

    def __init__(
        self,
        key: str,
        parent: QWidget,
        *,
        role: str | None = None,
        context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut,
    ) -> None:
        super().__init__(parent)
        self.key = key
        self.caption = ""
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # focus stays in the scan/entry field
        self.setAutoDefault(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        if role:
            self.setProperty("role", role)
        self.shortcut = QShortcut(QKeySequence(key), parent, context=context)
        self.shortcut.activated.connect(self._fire)

    def _fire(self) -> None:
        if self.isEnabled() and self.isVisible():
            self.click()

    def set_caption(self, caption: str) -> None:
        self.caption = caption
        key = QKeySequence(self.key).toString(QKeySequence.SequenceFormat.NativeText)
        self.setText(f"{caption}\n{key}")
        self.setToolTip(f"{caption} ({key})")
