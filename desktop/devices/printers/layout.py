"""Fixed-width layout for receipts: wrapping and two-column rows that never overflow.

All functions take *normalised* text (one printed cell per character, see ``Charset.normalize``)
and return lines no longer than ``width``.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal

from shared.money import format_money

__all__ = ["amount", "columns", "quantity", "rule", "wrap"]

_LOCALES = {"uk": "uk", "ro": "ro", "en": "en", "ru": "uk"}


def wrap(text: str, width: int) -> list[str]:
    """Word-wrap to ``width``; words longer than a line are broken. Empty text → one empty line."""
    if width < 1:
        raise ValueError("width must be positive")
    if len(text) <= width:
        return [text]
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]


def columns(left: str, right: str, width: int) -> list[str]:
    """``left`` flush left and ``right`` flush right on one line, wrapping ``left`` when needed."""
    if len(left) + 1 + len(right) <= width:
        return [left + " " * (width - len(left) - len(right)) + right]
    if len(right) >= width:
        return [*wrap(left, width), *(r.rjust(width) for r in wrap(right, width))]
    lines = wrap(left, width)
    last = lines[-1]
    if len(last) + 1 + len(right) <= width:
        lines[-1] = last + " " * (width - len(last) - len(right)) + right
    else:
        lines.append(right.rjust(width))
    return lines


def rule(width: int, ch: str = "-") -> str:
    return ch * width


def amount(minor: int, currency: str, language: str) -> str:
    """Money without the symbol in the language's style (``1 234,56``)."""
    return format_money(minor, currency, _LOCALES.get(language, "en"), symbol=False)


def quantity(q: Decimal, language: str) -> str:
    """``2``, ``0,345`` (decimal comma for uk/ro/ru) without trailing zeros."""
    text = format(q, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if language in ("uk", "ro", "ru") else text
