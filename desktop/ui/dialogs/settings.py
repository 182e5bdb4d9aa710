"""Settings (a manager's): language, receipt printer, fiscal device, cloud connection.

Printer changes go through the hardware service (it checks the printer answers before saving);
the fiscal device is stored in ``home/fiscal.json`` (0600) and reconnected on next use; the
cloud address is a till setting the sync engine reads.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.devices.fiscal.config import FiscalConfig, load_config, save_config
from desktop.devices.fiscal.errors import NotConfigured
from desktop.ui.context import UiContext
from desktop.ui.dialogs.approval import run_approved
from desktop.ui.dialogs.base import TillDialog
from desktop.ui.locale import LANGUAGES, translate
from desktop.ui.problems import printer_text, sync_text
from desktop.ui.status import DeviceHealth, Health

__all__ = ["SettingsDialog"]


def _page(parent: QWidget) -> tuple[QWidget, QFormLayout]:
    page = QWidget(parent)
    form = QFormLayout(page)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
    form.setVerticalSpacing(12)
    return page, form


class SettingsDialog(TillDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None) -> None:
        super().__init__(ctx, parent, translate("Settings", "Settings"))
        self.setMinimumSize(1000, 660)
        self.tabs = QTabWidget(self)
        self.body.addWidget(self.tabs, 1)
        self._language_page()
        self._printer_page()
        self._fiscal_page()
        self._cloud_page()
        self.add_button("Esc", translate("Settings", "Close"), self.reject)
        self.add_button("Ctrl+S", translate("Settings", "Save this page"), self.save, role="pay")

    # -- pages ---------------------------------------------------------------------------------
    def _language_page(self) -> None:
        page, form = _page(self)
        self.language = QComboBox(page)
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(list(LANGUAGES).index(self.ctx.language.code))
        form.addRow(translate("Settings", "Screen language"), self.language)
        s = self.ctx.till.settings
        form.addRow(
            translate("Settings", "Store / till"), QLabel(f"{s.store_code} / {s.till_code}", page)
        )
        form.addRow(
            translate("Settings", "Country / currency"), QLabel(f"{s.country} / {s.currency}", page)
        )
        self.tabs.addTab(page, translate("Settings", "Language"))

    def _printer_page(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.printers = QListWidget(page)
        col.addWidget(self.printers, 1)
        form = QFormLayout()
        self.p_name = QLineEdit(translate("Settings", "Receipt printer"), page)
        self.p_ip = QLineEdit(page)
        self.p_ip.setPlaceholderText("192.168.1.50")
        self.p_port = QLineEdit("9100", page)
        form.addRow(translate("Settings", "Name"), self.p_name)
        form.addRow(translate("Settings", "Network address"), self.p_ip)
        form.addRow(translate("Settings", "Port"), self.p_port)
        col.addLayout(form)
        hint = QLabel(
            translate(
                "Settings",
                "Save adds this network printer (it must answer). USB and serial "
                "printers are added with the local API.",
            ),
            page,
        )
        hint.setObjectName("Muted")
        hint.setWordWrap(True)
        col.addWidget(hint)
        self.tabs.addTab(page, translate("Settings", "Printer"))
        self._load_printers()

    def _load_printers(self) -> None:
        hw = self.ctx.hardware
        if hw is None:
            self.printers.addItem(translate("Settings", "Printers are not available on this till."))
            return

        def shown(views: list[Any]) -> None:
            self.printers.clear()
            for v in views:
                word, _advice = printer_text(
                    DeviceHealth(
                        Health.OK if v.status.ready else Health.ERROR, v.status.state.value
                    )
                )
                star = " ★" if v.config.default else ""
                item = QListWidgetItem(f"{v.config.name}{star} · {v.config.address()} · {word}")
                self.printers.addItem(item)
            if not views:
                self.printers.addItem(translate("Settings", "No printer yet."))

        self.ctx.lanes.printer.submit(lambda: hw().list_printers(), shown, self.show_problem)

    def _fiscal_page(self) -> None:
        page, form = _page(self)
        try:
            cfg = load_config(self.ctx.home)
        except NotConfigured:
            cfg = FiscalConfig(country=self.ctx.till.settings.country)
        self.fiscal_cfg = cfg
        self.f_device = QComboBox(page)
        for key, name in (
            ("none", translate("Settings", "None")),
            ("datecs", "Datecs (RO)"),
            ("checkbox", "Checkbox (UA)"),
        ):
            self.f_device.addItem(name, key)
        self.f_device.setCurrentIndex(["none", "datecs", "checkbox"].index(cfg.device))
        self.f_host = QLineEdit(cfg.datecs.host, page)
        self.f_port = QLineEdit(str(cfg.datecs.port), page)
        self.f_url = QLineEdit(cfg.checkbox.base_url, page)
        self.f_license = QLineEdit(cfg.checkbox.license_key, page)
        self.f_login = QLineEdit(cfg.checkbox.login, page)
        self.f_password = QLineEdit(cfg.checkbox.password, page)
        self.f_password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(translate("Settings", "Fiscal device"), self.f_device)
        form.addRow(translate("Settings", "Datecs address"), self.f_host)
        form.addRow(translate("Settings", "Datecs port"), self.f_port)
        form.addRow(translate("Settings", "Checkbox server"), self.f_url)
        form.addRow(translate("Settings", "Checkbox licence key"), self.f_license)
        form.addRow(translate("Settings", "Checkbox cashier login"), self.f_login)
        form.addRow(translate("Settings", "Checkbox cashier password"), self.f_password)
        self.tabs.addTab(page, translate("Settings", "Fiscal device"))

    def _cloud_page(self) -> None:
        page, form = _page(self)
        cloud = dict(self.ctx.till.settings.extra.get("cloud", {}))
        self.c_url = QLineEdit(str(cloud.get("url", "")), page)
        self.c_url.setPlaceholderText("https://cloud.example.com")
        self.c_code = QLineEdit(str(cloud.get("enrollment_code", "")), page)
        form.addRow(translate("Settings", "Cloud address"), self.c_url)
        form.addRow(translate("Settings", "Enrollment code"), self.c_code)
        self.c_state = QLabel(page)
        self.c_state.setWordWrap(True)
        form.addRow(translate("Settings", "State"), self.c_state)
        self.ctx.lanes.status.submit(self.ctx.sync.state, self._sync_state, self.show_problem)
        self.tabs.addTab(page, translate("Settings", "Cloud"))

    def _sync_state(self, state: Any) -> None:
        self.c_state.setText(sync_text(state))

    # -- saving --------------------------------------------------------------------------------
    def save(self) -> None:
        self.clear_problem()
        page = self.tabs.currentIndex()
        [self._save_language, self._save_printer, self._save_fiscal, self._save_cloud][page]()

    def _saved(self, _result: object = None) -> None:
        self.show_notice(translate("Settings", "Saved."))
        for hook in self.ctx.on_settings_saved:
            hook()

    def _save_language(self) -> None:
        code = self.language.currentData()
        self.ctx.language.set(code)
        self.ctx.prefs.set("language", code)
        self._saved()

    def _save_printer(self) -> None:
        hw = self.ctx.hardware
        if hw is None:
            return
        fields = {
            "name": self.p_name.text().strip(),
            "type": "thermal",
            "connection": "network",
            "ip": self.p_ip.text().strip(),
            "port": int(self.p_port.text() or "9100") if self.p_port.text().isdigit() else 0,
        }

        def added(_cfg: object) -> None:
            self._saved()
            self._load_printers()

        self.ctx.lanes.printer.submit(lambda: hw().add_printer(fields), added,
                                      self.show_problem)

    def _save_fiscal(self) -> None:
        device = self.f_device.currentData()
        cfg = self.fiscal_cfg.model_copy(deep=True)
        cfg.device = device
        cfg.datecs.host = self.f_host.text().strip() or cfg.datecs.host
        if self.f_port.text().strip().isdigit():
            cfg.datecs.port = int(self.f_port.text())
        cfg.checkbox.base_url = self.f_url.text().strip() or cfg.checkbox.base_url
        cfg.checkbox.license_key = self.f_license.text().strip()
        cfg.checkbox.login = self.f_login.text().strip()
        cfg.checkbox.password = self.f_password.text()
        home = self.ctx.home
        self.ctx.lanes.fiscal.submit(lambda: save_config(home, cfg), self._saved, self.show_problem)

    def _save_cloud(self) -> None:
        till = self.ctx.till
        extra = {
            **dict(till.settings.extra),
            "cloud": {
                "url": self.c_url.text().strip(),
                "enrollment_code": self.c_code.text().strip(),
            },
        }
        run_approved(
            self.ctx,
            self,
            lambda a: till.update_settings(approval=a, extra=extra),
            self._saved,
            self.show_problem,
        )

    def start(self) -> None:
        self.open_modal(self.tabs)
