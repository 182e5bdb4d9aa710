"""Search text: diacritic folding, query tokens, and which product fields a query matched.

Folding mirrors what the databases do (SQLite FTS5 ``unicode61 remove_diacritics 2`` and
PostgreSQL ``unaccent``), so "sosete barbati" and "Șosete bărbați" meet in the middle and the
matched-field report agrees with the index.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

__all__ = ["document_text", "fold", "matched_fields", "query_tokens"]

_WORD = re.compile(r"\w+", re.UNICODE)
# Letters that NFKD does not split into base + combining mark.
_EXTRA = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ı": "i"})


def fold(text: str) -> str:
    """Lower-case, strip diacritics (ș→s, ă→a, ї→і), keep letters/digits/spaces."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_EXTRA))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def query_tokens(query: str, *, max_tokens: int = 12) -> list[str]:
    """Folded word tokens (2+ characters) of a query, de-duplicated, at most ``max_tokens``."""
    return list(dict.fromkeys(w for w in _WORD.findall(fold(query)) if len(w) > 1))[:max_tokens]


def document_text(fields: Mapping[str, str | None]) -> str:
    """What an embedding is computed from: the descriptive fields, not codes or prices."""
    parts = [fields.get(k) for k in ("name", "category", "subcategory", "shortDescription",
                                      "description", "tags")]
    return ". ".join(p.strip() for p in parts if p and p.strip())[:2000]


def matched_fields(tokens: list[str], fields: Mapping[str, str | None]) -> list[str]:
    """Fields whose folded words start with any query token (prefix match, as the index does)."""
    out = []
    for name, value in fields.items():
        if not value:
            continue
        words = _WORD.findall(fold(value))
        if any(w.startswith(t) for t in tokens for w in words):
            out.append(name)
    return out
