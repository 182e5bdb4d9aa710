"""Settings (F11) are a manager's: a cashier gets there with a manager's PIN. The language
applies at once and is remembered; the fiscal device is stored for the fiscal service."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_helpers import open_shift, open_ui

from desktop.core import Till
from desktop.devices.fiscal.config import config_path, load_config
from desktop.ui.dialogs.approval import ApprovalDialog
from desktop.ui.dialogs.settings import SettingsDialog

pytestmark = pytest.mark.qt

K = Qt.Key


def test_cashier_needs_a_manager_then_language_and_fiscal_device_are_saved(
        qtbot: QtBot, till: Till, tmp_path: Path) -> None:
    home = tmp_path / "home"
    ui, close = open_ui(qtbot, till, home)
    try:
        open_shift(ui)
        ui.press(K.Key_F11)
        ui.wait_modal(ApprovalDialog)
        ui.enter("9999")
        dialog = ui.wait_modal(SettingsDialog)
        assert isinstance(dialog, SettingsDialog)
        dialog.language.setCurrentIndex(dialog.language.findData("ro"))
        ui.press(K.Key_S, Qt.KeyboardModifier.ControlModifier)
        ui.wait(lambda: ui.window.sale.buttons["pay"].caption == "PLATĂ")
        assert ui.ctx.prefs.get("language") == "ro"

        dialog.tabs.setCurrentIndex(2)  # fiscal device
        dialog.f_device.setCurrentIndex(dialog.f_device.findData("datecs"))
        dialog.f_host.setText("192.168.1.50")
        dialog.f_port.setText("4999")
        ui.press(K.Key_S, Qt.KeyboardModifier.ControlModifier)
        ui.wait(lambda: config_path(home).exists())
        ui.idle()
        cfg = load_config(home)
        assert (cfg.device, cfg.datecs.host, cfg.datecs.port) == ("datecs", "192.168.1.50",
                                                                 4999)
        assert stat.S_IMODE(config_path(home).stat().st_mode) == 0o600
        assert dialog.notice.text() == "Salvat."

        dialog.tabs.setCurrentIndex(3)  # cloud: a till setting, recorded with its approver
        dialog.c_url.setText("https://cloud.example.com")
        ui.press(K.Key_S, Qt.KeyboardModifier.ControlModifier)
        ui.wait_modal(ApprovalDialog)  # every settings change is approved by a manager
        ui.enter("9999")
        ui.wait(lambda: till.settings.extra.get("cloud", {}).get("url") ==
                "https://cloud.example.com")
    finally:
        close()
