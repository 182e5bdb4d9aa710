"""Barcode scanners that type like a keyboard, recognised wherever the focus is.

A keyboard-wedge scanner "types" the code in a few milliseconds per character and presses
Enter. People type at 80 ms or more per key. An application-wide event filter watches every
key press, times it with an injectable clock (tests drive it, so no test depends on wall time)
and, when Enter ends a burst of at least ``min_length`` printable keys each at most
``max_interval`` apart, it

* swallows the Enter (so the focused field does not "submit" half a barcode),
* puts the focused field back exactly as it was before the burst (text and cursor), and
* emits :attr:`ScannerFilter.scanned` with the code.

Keys are never delayed or held back, so a person typing notices nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QPlainTextEdit, QWidget

__all__ = ["ScannerFilter"]

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


@dataclass
class _Snapshot:
    widget: QWidget
    text: str
    cursor: int


def _snapshot(widget: QWidget | None) -> _Snapshot | None:
    if isinstance(widget, QLineEdit):
        return _Snapshot(widget, widget.text(), widget.cursorPosition())
    if isinstance(widget, QAbstractSpinBox):
        edit = widget.findChild(QLineEdit)
        if edit is not None:
            return _Snapshot(edit, edit.text(), edit.cursorPosition())
    if isinstance(widget, QPlainTextEdit):
        return _Snapshot(widget, widget.toPlainText(), widget.textCursor().position())
    return None


def _restore(snap: _Snapshot | None) -> None:
    if snap is None:
        return
    w = snap.widget
    if isinstance(w, QLineEdit):
        if w.text() != snap.text:
            w.setText(snap.text)
        w.setCursorPosition(snap.cursor)
    elif isinstance(w, QPlainTextEdit) and w.toPlainText() != snap.text:
        w.setPlainText(snap.text)
        cur = w.textCursor()
        cur.setPosition(min(snap.cursor, len(snap.text)))
        w.setTextCursor(cur)


class ScannerFilter(QObject):
    """Install on the ``QApplication``; connect :attr:`scanned`."""

    scanned = Signal(str)

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_interval: float = 0.035,
        min_length: int = 6,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self.max_interval = max_interval
        self.min_length = min_length
        self.enabled = True
        self._buf: list[str] = []
        self._last = -1.0
        self._snap: _Snapshot | None = None

    def reset(self) -> None:
        self._buf.clear()
        self._last = -1.0
        self._snap = None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not self.enabled:
            return False
        if not isinstance(obj, QWidget):
            return False  # the window handle sees the key first; judge it once, at the widget
        focus = QApplication.focusWidget()
        if focus is not None and obj is not focus:
            return False  # a key propagating to a parent: already judged
        assert isinstance(event, QKeyEvent)
        if event.isAutoRepeat():
            self.reset()
            return False
        now = self.clock()
        fast = self._last >= 0 and now - self._last <= self.max_interval
        key, text = event.key(), event.text()
        if key in _ENTER:
            code = "".join(self._buf)
            is_scan = fast and len(code) >= self.min_length
            snap = self._snap
            self.reset()
            if is_scan:
                _restore(snap)
                self.scanned.emit(code)
                return True
            return False
        mods = (
            event.modifiers()
            & ~Qt.KeyboardModifier.ShiftModifier
            & ~Qt.KeyboardModifier.KeypadModifier
        )
        if len(text) != 1 or not text.isprintable() or mods:
            self.reset()
            return False
        if not fast:
            self._buf = []
            self._snap = _snapshot(focus if focus is not None else obj)
        self._buf.append(text)
        self._last = now
        return False
