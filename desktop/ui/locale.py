"""The UI language: Qt translators (uk/ro/en) and per-locale text for money, quantities and time.

Strings are marked with ``translate("Context", "text")`` (Qt's ``QCoreApplication.translate``,
which ``pyside6-lupdate`` extracts into ``i18n/tillbridge_<lang>.ts``); plurals pass ``n`` and
use ``%n``. ``make i18n`` builds the ``.qm`` files next to the sources. Money goes through
``shared.money.format_money`` so the UI, receipts and reports agree to the character.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, QObject, QTranslator, Signal

from desktop.core.quantity import Unit
from shared.money import format_money

__all__ = [
    "I18N_DIR",
    "LANGUAGES",
    "Language",
    "age_text",
    "current",
    "money",
    "quantity",
    "time_text",
    "translate",
    "unit_text",
    "vat_group_text",
    "when_text",
]

translate = QCoreApplication.translate

I18N_DIR = Path(__file__).with_name("i18n")
LANGUAGES: dict[str, str] = {"uk": "Українська", "ro": "Română", "en": "English"}
"""UI languages, each named in itself (so anyone can find their own)."""
_QT_LOCALE = {"uk": "uk_UA", "ro": "ro_RO", "en": "en_GB"}

_current = "en"


def current() -> str:
    """The UI language code now in use."""
    return _current


def _qlocale() -> QLocale:
    return QLocale(_QT_LOCALE[_current])


class Language(QObject):
    """Installs the translator of the chosen language; Qt then sends ``LanguageChange`` to
    every widget, which re-reads its texts."""

    changed = Signal(str)

    def __init__(self, language: str = "en", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._translator: QTranslator | None = None
        self.set(language)

    @property
    def code(self) -> str:
        return _current

    def set(self, language: str) -> None:
        global _current
        lang = language if language in LANGUAGES else "en"
        app = QCoreApplication.instance()
        if self._translator is not None and app is not None:
            app.removeTranslator(self._translator)
            self._translator = None
        _current = lang
        QLocale.setDefault(QLocale(_QT_LOCALE[lang]))
        if app is not None:  # English too: its .qm carries the plural forms
            tr = QTranslator(self)
            if tr.load(f"tillbridge_{lang}", str(I18N_DIR)):
                app.installTranslator(tr)
                self._translator = tr
        self.changed.emit(lang)


def money(minor: int, currency: str) -> str:
    """``1.234,56 lei`` / ``1 234,56 грн`` / ``RON 1,234.56`` per the UI language."""
    return format_money(minor, currency, _current)


def quantity(value: Decimal, unit: Unit) -> str:
    """Pieces whole, weights with 3 decimals, in the locale's decimal mark."""
    if unit is Unit.PCS:
        return str(int(value))
    text = f"{value:.3f}"
    return text.replace(".", ",") if _current in ("uk", "ro") else text


def unit_text(unit: Unit) -> str:
    return {
        Unit.PCS: translate("Units", "pcs"),
        Unit.KG: translate("Units", "kg"),
        Unit.L: translate("Units", "l"),
        Unit.M: translate("Units", "m"),
    }[unit]


def vat_group_text(group: str) -> str:
    """A VAT group's name for people (the group keys are ``shared.tax`` identifiers)."""
    names = {
        "standard": translate("VatGroups", "standard"),
        "reduced": translate("VatGroups", "reduced"),
        "super_reduced": translate("VatGroups", "super-reduced"),
        "agri": translate("VatGroups", "agricultural"),
        "housing": translate("VatGroups", "housing"),
        "zero": translate("VatGroups", "zero-rated"),
        "exempt": translate("VatGroups", "exempt"),
    }
    return names.get(group, group)


def when_text(at: datetime) -> str:
    """A UTC timestamp as local date and time in the locale's short format."""
    local = QDateTime.fromSecsSinceEpoch(int(at.timestamp())).toLocalTime()
    return _qlocale().toString(local, QLocale.FormatType.ShortFormat)


def time_text(at: datetime) -> str:
    """Local time of day only (hh:mm)."""
    local = QDateTime.fromSecsSinceEpoch(int(at.timestamp())).toLocalTime()
    return local.toString("HH:mm")


def age_text(age: timedelta) -> str:
    """``2 h 05 min`` — how long a shift has been open, with the right plural forms."""
    minutes = max(0, int(age.total_seconds()) // 60)
    hours, mins = divmod(minutes, 60)
    if hours:
        return (
            translate("Time", "%n h", "hours", hours)
            + " "
            + translate("Time", "%n min", "minutes", mins)
        )
    return translate("Time", "%n min", "minutes", mins)
