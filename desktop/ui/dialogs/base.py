"""The dialog frame every till dialog shares: big title, inline problems, Esc to close.

Dialogs open window-modal with ``open()`` (never ``exec()``: no nested event loops, so a
result arriving from a worker lane is handled the same way everywhere).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.ui.context import UiContext
from desktop.ui.problems import Problem, explain
from desktop.ui.widgets.buttons import ActionButton

__all__ = ["TillDialog"]


class TillDialog(QDialog):
    """Base: ``body`` layout for content, ``buttons`` row for :class:`ActionButton`."""

    def __init__(self, ctx: UiContext, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setModal(True)
        self.setWindowTitle(title)
        self.setMinimumSize(760, 480)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 18, 24, 18)
        outer.setSpacing(12)
        self.title = QLabel(title, self)
        self.title.setObjectName("Title")
        outer.addWidget(self.title)
        self.problem = QLabel(self)
        self.problem.setObjectName("Problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        outer.addWidget(self.problem)
        self.notice = QLabel(self)
        self.notice.setObjectName("Notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        outer.addWidget(self.notice)
        self.body = QVBoxLayout()
        self.body.setSpacing(10)
        outer.addLayout(self.body, 1)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(10)
        outer.addLayout(self.buttons)

    # -- helpers -----------------------------------------------------------------------------
    def add_button(
        self, key: str, caption: str, slot: Callable[[], Any], *, role: str | None = None
    ) -> ActionButton:
        b = ActionButton(key, self, role=role)
        b.set_caption(caption)
        b.clicked.connect(slot)
        self.buttons.addWidget(b)
        return b

    def show_problem(self, what: BaseException | Problem | str) -> None:
        if isinstance(what, BaseException):
            what = explain(what)
        text = what.text if isinstance(what, Problem) else what
        self.notice.hide()
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def clear_problem(self) -> None:
        self.problem.hide()
        self.problem.setText("")
        self.notice.hide()

    def show_notice(self, text: str) -> None:
        """Good news in blue (a copy sent to the printer, an item added by a scan)."""
        self.problem.hide()
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def run(
        self,
        fn: Callable[[], Any],
        on_ok: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        """Run ``fn`` on the till lane; problems show in this dialog."""
        self.clear_problem()
        self.ctx.lanes.till.submit(fn, on_ok, on_error or self.show_problem)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter never triggers a default button by surprise; Esc goes through
        :meth:`escape` (dialogs with unsaved work ask first)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self.escape()
            return
        super().keyPressEvent(event)

    def done(self, result: int) -> None:
        """Close, and give the keyboard back to the window underneath."""
        super().done(result)
        parent = self.parentWidget()
        if parent is not None:
            window = parent.window()
            window.activateWindow()
            restore = getattr(window, "restore_focus", None)
            if restore is not None:
                QTimer.singleShot(0, restore)

    def escape(self) -> None:
        self.reject()

    def accepts_scan(self, code: str) -> bool:
        """Take a scanned code (receipt numbers in returns); False = not for this dialog."""
        return False

    def open_modal(self, focus: QWidget | None = None) -> None:
        self.open()
        self.activateWindow()
        if focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
