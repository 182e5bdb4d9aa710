"""Code pages: Romanian comma-below letters and Ukrainian letters always print, never '?'."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.devices.protocols.escpos.codepages import EPSON_CODEPAGES, Charset, choose_codepage

RO_LETTERS = "ăâîșțĂÂÎȘȚşţŞŢ"
UK_LETTERS = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяАБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯʼ’"


def test_romanian_comma_below_maps_to_cedilla_on_cp852_and_cp1250() -> None:
    for cp in ("cp852", "cp1250"):
        cs = Charset(cp, EPSON_CODEPAGES[cp])
        assert cs.normalize("Ștefan și Țara") == "Ştefan şi Ţara"
        assert cs.encode(cs.normalize("ș")).decode(cp) == "ş"


def test_comma_below_kept_where_the_page_has_it() -> None:
    cs = Charset("iso8859_16", 0)
    assert cs.normalize("Ștefan și Țara") == "Ștefan și Țara"


def test_ukrainian_intact_on_wpc1251() -> None:
    cs = Charset("cp1251", 46)
    text = "Ґринджоли, їжак, єнот, ІРИНА, мʼясо"
    assert cs.normalize(text) == "Ґринджоли, їжак, єнот, ІРИНА, м'ясо"


def test_cp866_lacks_i_and_ghe_with_upturn_and_uses_lookalikes() -> None:
    cs = Charset("cp866", 17)
    # Latin i/I look the same as Ukrainian і/І; Ґ falls back to Г
    assert cs.normalize("Ґудзь і Іра") == "Гудзь i Iра"
    assert cs.normalize("Ґудзь і Іра").isascii() is False
    assert "?" not in cs.normalize(UK_LETTERS)


def test_control_bytes_cannot_inject_commands() -> None:
    cs = Charset("cp1251", 46)
    assert cs.normalize("Хліб\x1b@\x1dV\x01!") == "Хліб @ V !"
    assert cs.normalize("1\u00a0234") == "1 234"


@settings(deadline=None)
@given(st.text(alphabet=RO_LETTERS + UK_LETTERS + "abcXYZ 0123456789.,-", max_size=60))
def test_no_question_marks_for_our_languages(text: str) -> None:
    for cp in ("cp852", "cp1250", "cp866", "cp1251", "cp437"):
        cs = Charset(cp, 0)
        out = cs.normalize(text)
        assert "?" not in out
        cs.encode(out)  # one byte per printed character
        assert len(cs.encode(out)) == len(out)


def test_choose_codepage_by_language_and_profile() -> None:
    table = {"cp437": 0, "cp866": 17, "cp852": 18, "cp1250": 45, "cp1251": 46}
    assert choose_codepage(table, "uk").escpos_id == 46
    assert choose_codepage(table, "uk", ["cp866"]).escpos_id == 17
    assert choose_codepage(table, "ro").escpos_id == 45
    assert choose_codepage({"cp437": 0, "cp852": 18}, "ro").escpos_id == 18
    assert choose_codepage(table, "xx").escpos_id == 0
