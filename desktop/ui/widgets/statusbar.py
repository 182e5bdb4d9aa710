"""The status strip along the bottom of every screen: shift, fiscal device, printer, sync.

It is always visible, says each state in one or two words with a colour, and shows the one
sentence to act on (with a Retry button) when a device needs a person.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.ui.locale import age_text, time_text, translate
from desktop.ui.problems import fiscal_text, printer_text, sync_text
from desktop.ui.status import Health, StatusSnapshot

__all__ = ["StatusStrip"]


class StatusStrip(QFrame):
    retry = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StatusBar")
        self.snapshot: StatusSnapshot | None = None
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        self.alert = QFrame(self)  # full-width row above the states, only when a person must act
        self.alert.setObjectName("AlertRow")
        alert_row = QHBoxLayout(self.alert)
        alert_row.setContentsMargins(10, 6, 10, 6)
        states = QWidget(self)
        row = QHBoxLayout(states)
        row.setContentsMargins(10, 4, 10, 4)
        row.setSpacing(22)
        col.addWidget(self.alert)
        col.addWidget(states)
        self.shift = QLabel(self)
        self.fiscal = QLabel(self)
        self.printer = QLabel(self)
        self.sync = QLabel(self)
        self.advice = QLabel(self.alert)
        self.advice.setObjectName("Problem")
        self.advice.setWordWrap(True)
        self.retry_button = QPushButton(self.alert)
        self.retry_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.retry_button.clicked.connect(self.retry.emit)
        alert_row.addWidget(self.advice, 1)
        alert_row.addWidget(self.retry_button)
        self.alert.hide()
        self.user = QLabel(self)
        self.user.setObjectName("Muted")
        for w in (self.shift, self.fiscal, self.printer, self.sync):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.user)
        self.retranslate()

    def retranslate(self) -> None:
        self.retry_button.setText(translate("StatusBar", "Retry"))
        if self.snapshot is not None:
            self.show_snapshot(self.snapshot)
        else:
            for label in (self.shift, self.fiscal, self.printer, self.sync):
                label.setText("…")

    def set_user(self, name: str) -> None:
        self.user.setText(name)

    @staticmethod
    def _state(label: QLabel, health: str) -> None:
        if label.property("state") != health:
            label.setProperty("state", health)
            label.style().unpolish(label)
            label.style().polish(label)

    def show_snapshot(self, snap: StatusSnapshot) -> None:
        self.snapshot = snap
        shift = snap.shift
        if shift is None:
            self.shift.setText(translate("StatusBar", "Shift: closed"))
            self._state(self.shift, "warn")
        else:
            age = snap.at - shift.opened_at
            text = translate("StatusBar", "Shift {number}: open {age}").format(
                number=shift.number, age=age_text(age)
            )
            self.shift.setText(text)
            limit = snap.shift_max_hours
            hours = age.total_seconds() / 3600
            level = (
                "ok" if not limit or hours < limit - 1 else ("warn" if hours < limit else "error")
            )
            self._state(self.shift, level)
        f_word, f_advice = fiscal_text(snap.fiscal)
        self.fiscal.setText(translate("StatusBar", "Fiscal: {state}").format(state=f_word))
        self._state(self.fiscal, snap.fiscal.health.value)
        p_word, p_advice = printer_text(snap.printer)
        self.printer.setText(translate("StatusBar", "Printer: {state}").format(state=p_word))
        self._state(self.printer, snap.printer.health.value)
        self.sync.setText(
            translate("StatusBar", "Sync: {state}").format(state=sync_text(snap.sync))
        )
        sync_level = "off" if not snap.sync.configured else ("ok" if snap.sync.online else "warn")
        self._state(self.sync, sync_level)
        advice = ""
        if snap.printer.health is Health.ERROR:
            advice = p_advice
        elif snap.fiscal.health is Health.ERROR:
            advice = f_advice
        self.show_advice(advice)

    def show_advice(self, text: str) -> None:
        """The sentence to act on, with Retry; empty hides the row."""
        self.advice.setText(text)
        self.alert.setVisible(bool(text))

    def clock(self) -> str:
        return time_text(self.snapshot.at) if self.snapshot else ""
