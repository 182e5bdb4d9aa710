"""User list + PIN entry shared by the login screen and the manager-approval prompt.

Keyboard: type the PIN (digits go to the PIN field whatever is selected), Up/Down choose the
user, Enter confirms. Touch: tap a name, tap the keypad.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core import Role, User
from desktop.ui.locale import translate
from desktop.ui.widgets.keypad import Keypad

__all__ = ["PinPanel"]


class PinPanel(QWidget):
    submitted = Signal(str, str)
    """(login, pin)"""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loaded = False
        self._pending = False
        self.users = QListWidget(self)
        self.users.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.users.setMinimumWidth(300)
        self.pin = QLineEdit(self)
        self.pin.setObjectName("PinField")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(12)
        self.pin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin.installEventFilter(self)
        self.pin.returnPressed.connect(self._submit)
        self.pin_label = QLabel(self)
        self.problem = QLabel(self)
        self.problem.setObjectName("Problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        keypad = Keypad(self.pin, self)
        keypad.enter.connect(self._submit)
        right = QVBoxLayout()
        right.addWidget(self.problem)
        right.addWidget(self.pin_label)
        right.addWidget(self.pin)
        right.addWidget(keypad, 1)
        row = QHBoxLayout(self)
        row.addWidget(self.users, 1)
        row.addLayout(right, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.pin_label.setText(translate("PinPanel", "PIN (Up/Down: choose user)"))
        self.pin.setPlaceholderText(translate("PinPanel", "Type your PIN, press Enter"))

    def set_users(self, users: list[User], *, select: str = "") -> None:
        self.loaded = True
        self.users.clear()
        for u in users:
            role = (
                translate("PinPanel", "manager")
                if u.role is Role.STORE_MANAGER
                else translate("PinPanel", "cashier")
            )
            item = QListWidgetItem(f"{u.name}\n{u.login} · {role}")
            item.setData(Qt.ItemDataRole.UserRole, u.login)
            self.users.addItem(item)
            if u.login == select:
                self.users.setCurrentItem(item)
        if self.users.currentRow() < 0 and self.users.count():
            self.users.setCurrentRow(0)
        if self._pending:  # Enter came before the list: submit now
            self._pending = False
            self._submit()

    def login(self) -> str:
        item = self.users.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else ""

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def reset(self) -> None:
        self.pin.clear()
        self.pin.setFocus()

    def _submit(self) -> None:
        login, pin = self.login(), self.pin.text()
        if not self.loaded:
            self._pending = bool(pin)
            return
        if not login:
            self.show_problem(
                translate(
                    "PinPanel",
                    "No users on this till yet — a manager "
                    "must create one (tillbridge-till users "
                    "add).",
                )
            )
            return
        if pin:
            self.submitted.emit(login, pin)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.pin and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
            if step and self.users.count():
                row = (self.users.currentRow() + step) % self.users.count()
                self.users.setCurrentRow(row)
                self.pin.clear()
                return True
        return False
