"""Printer code pages: choose one per printer and language, and make any text printable in it.

Why hand-written: python-escpos's magic encoder prints '?' for Romanian ș/ț (comma below) because
CP852/WPC1250 only have the cedilla forms ş/ţ. Here every character is first *normalised* to a
string the code page can print one byte per character (ș→ş, Ukrainian і→i on CP866, ’→', nbsp→
space, control bytes→space so item names cannot inject commands), so layout can measure width
before encoding, then encoded with the plain Python codec.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache

__all__ = [
    "EPSON_CODEPAGES",
    "LANGUAGE_PREFERENCE",
    "Charset",
    "charset",
    "choose_codepage",
]

#: Epson ``ESC t n`` ids for the code pages we use (reference/devices.md §3).
EPSON_CODEPAGES: dict[str, int] = {
    "cp437": 0, "cp850": 2, "cp860": 3, "cp863": 4, "cp865": 5, "cp1252": 16, "cp866": 17,
    "cp852": 18, "cp858": 19, "cp1250": 45, "cp1251": 46, "cp1253": 47, "cp1254": 48,
    "cp1257": 51,
}

#: Best first; a profile's own table decides what is available.
LANGUAGE_PREFERENCE: dict[str, tuple[str, ...]] = {
    "uk": ("cp1251", "cp1125", "cp866"),
    "ru": ("cp866", "cp1251"),
    "ro": ("iso8859_16", "cp1250", "cp852", "iso8859_2"),
    "en": ("cp437", "cp858", "cp1252"),
}

# Tried in order; the first candidate the code page can encode wins.
_FALLBACKS: dict[str, tuple[str, ...]] = {
    "ș": ("ş", "s"), "ț": ("ţ", "t"), "Ș": ("Ş", "S"), "Ț": ("Ţ", "T"),
    "ş": ("ș", "s"), "ţ": ("ț", "t"), "Ş": ("Ș", "S"), "Ţ": ("Ț", "T"),
    "і": ("i",), "І": ("I",), "ї": ("ï", "i"), "Ї": ("Ï", "I"),
    "ґ": ("г", "g"), "Ґ": ("Г", "G"), "є": ("e",), "Є": ("E",),
    "ʼ": ("'",), "’": ("'",), "‘": ("'",), "`": ("'",),
    "“": ('"',), "”": ('"',), "„": ('"',), "«": ('"',), "»": ('"',),
    "–": ("-",), "—": ("-",), "−": ("-",), "…": ("...",), "×": ("x",), "•": ("*",),
    "№": ("No",), "€": ("EUR",), "₴": ("грн", "UAH"), "°": ("o",),
}

_CYR_LAT = dict(zip(
    "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяыэъё",
    ["a", "b", "v", "h", "g", "d", "e", "ie", "zh", "z", "y", "i", "i", "i", "k", "l", "m",
     "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "iu", "ia",
     "y", "e", "", "io"], strict=True))

# C0/C1 controls and DEL become spaces (no command injection from data); odd spaces too.
_CONTROLS = {c: " " for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}
_CONTROLS.update({0xA0: " ", 0x202F: " ", 0x2007: " ", 0x2009: " ", 0xAD: ""})


class Charset:
    """One printer code page: a Python codec plus the printer's ``ESC t`` id."""

    __slots__ = ("_cache", "codec", "escpos_id")

    def __init__(self, codec: str, escpos_id: int) -> None:
        self.codec = codecs.lookup(codec).name
        self.escpos_id = escpos_id
        self._cache: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"Charset({self.codec!r}, {self.escpos_id})"

    def _can(self, text: str) -> bool:
        try:
            text.encode(self.codec)
        except UnicodeEncodeError:
            return False
        return True

    def _substitute(self, ch: str) -> str:
        for cand in _FALLBACKS.get(ch, ()):
            if self._can(cand):
                return cand
        base = "".join(c for c in unicodedata.normalize("NFKD", ch)
                       if not unicodedata.combining(c))
        if base and base != ch and self._can(base):
            return base
        low = ch.lower()
        if low in _CYR_LAT:
            lat = _CYR_LAT[low]
            return lat.capitalize() if ch != low else lat
        return "?"

    def normalize(self, text: str) -> str:
        """The text as the printer will show it: one code-page byte per character."""
        text = text.translate(_CONTROLS)
        try:
            text.encode(self.codec)
            return text
        except UnicodeEncodeError:
            pass
        out = []
        cache = self._cache
        for ch in text:
            sub = cache.get(ch)
            if sub is None:
                sub = ch if self._can(ch) else self._substitute(ch)
                cache[ch] = sub
            out.append(sub)
        return "".join(out)

    def encode(self, text: str) -> bytes:
        """Bytes for already-normalised text (``normalize`` first when unsure)."""
        return text.encode(self.codec)


@lru_cache(maxsize=64)
def charset(codec: str, escpos_id: int) -> Charset:
    """A shared :class:`Charset` (its substitution cache is reused across receipts)."""
    return Charset(codec, escpos_id)


def choose_codepage(available: Mapping[str, int], language: str,
                    preferred: Sequence[str] = ()) -> Charset:
    """Pick the printer's best code page for ``language``.

    ``available`` is the profile's code page → ``ESC t`` id table; ``preferred`` the profile's
    own choice for this language (e.g. CP866 on a model without WPC1251).
    """
    lang = language.split("-")[0].split("_")[0].lower()
    order = [*preferred, *LANGUAGE_PREFERENCE.get(lang, ()), *LANGUAGE_PREFERENCE["en"]]
    for name in order:
        key = codecs.lookup(name).name
        for avail, n in available.items():
            if codecs.lookup(avail).name == key:
                return charset(key, n)
    if not available:
        return charset("cp437", 0)
    name, n = next(iter(available.items()))
    return charset(name, n)
