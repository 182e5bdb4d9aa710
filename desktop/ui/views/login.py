"""PIN login: pick your name (the last user is pre-selected), type the PIN, press Enter."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.core import User
from desktop.ui.context import UiContext
from desktop.ui.locale import LANGUAGES, translate
from desktop.ui.problems import explain
from desktop.ui.widgets.buttons import ActionButton
from desktop.ui.widgets.pin import PinPanel

__all__ = ["LoginView"]

_LANG_KEYS = {"uk": "Ctrl+1", "ro": "Ctrl+2", "en": "Ctrl+3"}


class LoginView(QWidget):
    logged_in = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("Screen")
        col = QVBoxLayout(self)
        col.setContentsMargins(60, 30, 60, 30)
        self.heading = QLabel(self)
        self.heading.setObjectName("Hero")
        self.where = QLabel(self)
        self.where.setObjectName("Muted")
        col.addWidget(self.heading)
        col.addWidget(self.where)
        self.panel = PinPanel(self)
        self.panel.submitted.connect(self._login)
        col.addWidget(self.panel, 1)
        langs = QHBoxLayout()
        self.lang_buttons: list[ActionButton] = []
        for code, name in LANGUAGES.items():
            b = ActionButton(_LANG_KEYS[code], self)
            b.set_caption(name)
            b.clicked.connect(lambda _=False, c=code: self._language(c))
            langs.addWidget(b)
            self.lang_buttons.append(b)
        col.addLayout(langs)
        self.retranslate()

    def retranslate(self) -> None:
        s = self.ctx.till.settings
        self.heading.setText(translate("Login", "Tillbridge — log in"))
        self.where.setText(
            translate("Login", "Store {store} · till {till}").format(
                store=s.store_code, till=s.till_code
            )
        )
        self.panel.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def activate(self) -> None:
        """Shown: reload users (async), clear the PIN, focus it."""
        self.panel.show_problem("")
        self.panel.reset()
        self.panel.loaded = False
        last = self.ctx.prefs.get("last_login")
        self.ctx.lanes.till.submit(
            lambda: [u for u in self.ctx.till.users() if u.active],
            lambda users: self.panel.set_users(users, select=last),
            lambda exc: self.panel.show_problem(explain(exc).text),
        )

    def _language(self, code: str) -> None:
        self.ctx.language.set(code)
        self.ctx.prefs.set("language", code)
        self.panel.pin.setFocus(Qt.FocusReason.OtherFocusReason)

    def _login(self, login: str, pin: str) -> None:
        def ok(user: User) -> None:
            self.ctx.prefs.set("last_login", user.login)
            self.panel.pin.clear()
            self.logged_in.emit(user)

        def failed(exc: Exception) -> None:
            self.panel.show_problem(explain(exc).text)
            self.panel.reset()

        self.panel.show_problem("")
        self.ctx.lanes.till.submit(lambda: self.ctx.till.login(login, pin), ok, failed)
