"""Buttons that show their keyboard shortcut and fire on it — the same action for keyboard
and touch, so what a cashier learns on one works on the other."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

__all__ = ["ActionButton"]


class ActionButton(QPushButton):
    """The caption (wrapped onto two lines when long) over its key, e.g. ``Pay`` / ``F12``;
    pressing the key anywhere in the window clicks the button."""

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
        col = QVBoxLayout(self)
        col.setContentsMargins(6, 4, 6, 4)
        col.setSpacing(0)
        self.caption_label = QLabel(self)
        self.caption_label.setObjectName("BtnCaption")
        self.key_label = QLabel(self)
        self.key_label.setObjectName("BtnKey")
        for label in (self.caption_label, self.key_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            col.addWidget(label)
        self.shortcut = QShortcut(QKeySequence(key), parent, context=context)
        self.shortcut.activated.connect(self._fire)

    def _fire(self) -> None:
        if self.isEnabled() and self.isVisible():
            self.click()

    def set_caption(self, caption: str) -> None:
        self.caption = caption
        key = (
            "Enter"
            if self.key == "Return"
            else QKeySequence(self.key).toString(QKeySequence.SequenceFormat.NativeText)
        )
        self.caption_label.setText(caption)
        self.key_label.setText(key)
        self.setToolTip(f"{caption} ({key})")
        self.setAccessibleName(f"{caption} ({key})")
