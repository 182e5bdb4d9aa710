"""The few words a receipt prints itself, per language (everything else comes in the document)."""

from __future__ import annotations

__all__ = ["words"]

_WORDS: dict[str, dict[str, str]] = {
    "uk": {"total": "СУМА", "subtotal": "Підсумок", "discount": "Знижка",
           "rounding": "Заокруглення", "vat": "ПДВ", "cash": "Готівка", "card": "Картка",
           "other": "Інше", "change": "Решта", "cashier": "Касир", "receipt": "Чек №",
           "copy": "*** КОПІЯ ***", "unit_pcs": "шт", "unit_kg": "кг", "unit_l": "л",
           "per": "за"},
    "ru": {"total": "ИТОГО", "subtotal": "Подытог", "discount": "Скидка",
           "rounding": "Округление", "vat": "НДС", "cash": "Наличные", "card": "Карта",
           "other": "Другое", "change": "Сдача", "cashier": "Кассир", "receipt": "Чек №",
           "copy": "*** КОПИЯ ***", "unit_pcs": "шт", "unit_kg": "кг", "unit_l": "л",
           "per": "за"},
    "ro": {"total": "TOTAL", "subtotal": "Subtotal", "discount": "Reducere",
           "rounding": "Rotunjire", "vat": "TVA", "cash": "Numerar", "card": "Card",
           "other": "Altele", "change": "Rest", "cashier": "Casier", "receipt": "Bon nr.",
           "copy": "*** COPIE ***", "unit_pcs": "buc", "unit_kg": "kg", "unit_l": "l",
           "per": "/"},
    "en": {"total": "TOTAL", "subtotal": "Subtotal", "discount": "Discount",
           "rounding": "Rounding", "vat": "VAT", "cash": "Cash", "card": "Card",
           "other": "Other", "change": "Change", "cashier": "Cashier", "receipt": "Receipt",
           "copy": "*** COPY ***", "unit_pcs": "pcs", "unit_kg": "kg", "unit_l": "l",
           "per": "per"},
}


def words(language: str) -> dict[str, str]:
    """The word table for ``language`` (English when we have none)."""
    return _WORDS.get(language.split("-")[0].lower(), _WORDS["en"])
