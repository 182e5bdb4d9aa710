"""Translations: the committed .ts files cover every UI string, keep placeholders and plural
forms right; switching the language re-labels the running window; money reads per locale."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from ui_helpers import Ui, open_shift

from desktop.ui import translations
from desktop.ui.locale import LANGUAGES, Language, money

pytestmark = pytest.mark.qt

_PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%n")
_FORMS = {"uk": 3, "ro": 3, "en": 2}


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts).getroot()
    return {(c.findtext("name") or "", m.findtext("source") or ""): m
            for c in root.iter("context") for m in c.iter("message")}


def test_ts_files_are_up_to_date_with_the_code(tmp_path: Path) -> None:
    """lupdate over the sources finds exactly the messages the committed files hold."""
    fresh = translations.update(tmp_path)
    for lang, ts in zip(LANGUAGES, fresh, strict=True):
        assert set(_messages(ts)) == set(_messages(translations.ts_path(lang))), lang


@pytest.mark.parametrize("lang", ["uk", "ro", "en"])
def test_every_message_is_translated_with_its_placeholders(lang: str) -> None:
    messages = _messages(translations.ts_path(lang))
    assert messages
    for (ctx, source), m in messages.items():
        tr = m.find("translation")
        assert tr is not None and tr.get("type") is None, (ctx, source)
        wanted = sorted(_PLACEHOLDER.findall(source))
        if m.get("numerus") == "yes":
            forms = [f.text or "" for f in tr.findall("numerusform")]
            assert len(forms) == _FORMS[lang], (ctx, source)
            for form in forms:
                assert sorted(_PLACEHOLDER.findall(form)) == wanted, (ctx, source, form)
        else:
            assert lang != "en", "English only carries plural forms"
            assert tr.text and sorted(_PLACEHOLDER.findall(tr.text)) == wanted, (ctx, source)


@pytest.mark.parametrize(("lang", "expected"), [
    ("uk", ["1 рядок", "2 рядки", "5 рядків", "11 рядків", "21 рядок", "24 рядки"]),
    ("ro", ["1 linie", "2 linii", "5 linii", "11 linii", "21 de linii", "24 de linii"]),
    ("en", ["1 line", "2 lines", "5 lines", "11 lines", "21 lines", "24 lines"]),
])
def test_plural_forms_follow_each_language(qapp: object, lang: str,
                                           expected: list[str]) -> None:
    language = Language(lang)
    try:
        got = [QCoreApplication.translate("Sale", "%n line(s)", None, n)
               for n in (1, 2, 5, 11, 21, 24)]
    finally:
        language.set("en")
    assert got == expected


def test_money_reads_as_each_locale_writes_it(qapp: object) -> None:
    language = Language("uk")
    try:
        assert money(123456, "UAH") == "1\u00a0234,56 грн"  # no-break space: never split
        language.set("ro")
        assert money(123456, "RON") == "1.234,56 lei"
        language.set("en")
        assert money(123456, "RON") == "RON 1,234.56"
    finally:
        language.set("en")


def test_switching_language_relabels_the_running_window(ui: Ui) -> None:
    open_shift(ui)
    ui.scan("5949000000021")
    ui.idle()
    sale = ui.window.sale
    assert sale.buttons["pay"].caption == "PAY"
    assert sale.totals.total.text() == "RON 5.49"
    ui.ctx.language.set("uk")  # widgets re-read their texts on the LanguageChange event
    ui.wait(lambda: sale.buttons["pay"].caption == "ОПЛАТА")
    assert sale.buttons["void"].caption == "Сторно рядка"
    assert sale.totals.items.text() == "1 рядок"
    assert sale.totals.total.text() == "5,49 lei"
    assert sale.model.headerData(1, Qt.Orientation.Horizontal) == "Товар"
    assert ui.window.strip.shift.text().startswith("Зміна 1: відкрита")
    ui.ctx.language.set("ro")
    ui.wait(lambda: sale.buttons["pay"].caption == "PLATĂ")
    assert sale.totals.total.text() == "5,49 lei"
