"""Keyword search over ``products.search_text``, one implementation per database.

SQLite: FTS5 (``unicode61 remove_diacritics 2``), ranked by ``bm25``. PostgreSQL: the stored
``search_tsv`` (``to_tsvector('simple', tb_unaccent(search_text))``) with a GIN index, ranked
by ``ts_rank``. Query words are only lower-cased here and folded by the database exactly as
the documents were, so "sosete barbati" meets "Șosete bărbați". Every word is a prefix match
("sos" finds "șosete"); ``require_all`` ANDs the words (list filter), otherwise they are ORed
and rank decides (search).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import ColumnElement, text
from sqlalchemy.orm import Session

__all__ = ["keyword_ids", "match_clause", "words"]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(query: str, *, max_words: int = 12) -> list[str]:
    return list(dict.fromkeys(w.lower() for w in _WORD.findall(query)))[:max_words]


def _fts5(ws: list[str], require_all: bool) -> str:
    return (" AND " if require_all else " OR ").join(f'"{w}"*' for w in ws)


def _tsquery(ws: list[str], require_all: bool) -> str:
    return (" & " if require_all else " | ").join(f"{w}:*" for w in ws)


def _is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def match_clause(session: Session, query: str, *, require_all: bool = True,
                 ) -> ColumnElement[bool] | None:
    """A WHERE clause on ``products`` for the list filter; None when the query has no words."""
    ws = words(query)
    if not ws:
        return None
    if _is_pg(session):
        return text("products.search_tsv @@ to_tsquery('simple', tb_unaccent(:fts_q))"
                    ).bindparams(fts_q=_tsquery(ws, require_all))  # type: ignore[return-value]
    return text(
        "products.id IN (SELECT m.product_id FROM products_fts f JOIN products_fts_map m "
        "ON m.rowid = f.rowid WHERE products_fts MATCH :fts_q)"
    ).bindparams(fts_q=_fts5(ws, require_all))  # type: ignore[return-value]


def keyword_ids(session: Session, *, tenant_id: uuid.UUID, query: str, limit: int,
                require_all: bool = False) -> list[tuple[uuid.UUID, float]]:
    """Best-first ``(product id, score)`` of live products matching ``query``.

    Products with every word come first (a selective AND query the index answers quickly);
    when they are fewer than ``limit``, products with some of the words follow (OR). Scores
    are the engine's own (``-bm25`` or ``ts_rank``): higher is better, not comparable across
    engines; fusion uses ranks only.
    """
    ws = words(query)
    if not ws:
        return []
    best = _ranked(session, tenant_id, ws, limit, require_all=True)
    if require_all or len(best) >= limit or len(ws) == 1:
        return best
    seen = {pid for pid, _s in best}
    more = [(pid, s) for pid, s in _ranked(session, tenant_id, ws, limit, require_all=False)
            if pid not in seen]
    return best + more[:limit - len(best)]


def _ranked(session: Session, tenant_id: uuid.UUID, ws: list[str], limit: int, *,
            require_all: bool) -> list[tuple[uuid.UUID, float]]:
    params: dict[str, Any] = {"tenant": tenant_id, "limit": limit}
    if _is_pg(session):
        params["q"] = _tsquery(ws, require_all)
        sql = ("SELECT p.id, ts_rank(p.search_tsv, q) AS score FROM products p, "
               "to_tsquery('simple', tb_unaccent(:q)) q WHERE p.tenant_id = :tenant "
               "AND p.deleted_at IS NULL AND p.search_tsv @@ q "
               "ORDER BY score DESC, p.id LIMIT :limit")
        rows = session.execute(text(sql), params).all()
        return [(r[0] if isinstance(r[0], uuid.UUID) else uuid.UUID(str(r[0])), float(r[1]))
                for r in rows]
    params["q"] = _fts5(ws, require_all)
    params["tenant"] = tenant_id.hex
    sql = ("SELECT p.id, -bm25(products_fts) AS score FROM products_fts f "
           "JOIN products_fts_map m ON m.rowid = f.rowid JOIN products p ON p.id = m.product_id "
           "WHERE products_fts MATCH :q AND p.tenant_id = :tenant AND p.deleted_at IS NULL "
           "ORDER BY bm25(products_fts), p.id LIMIT :limit")
    rows = session.execute(text(sql), params).all()
    return [(uuid.UUID(hex=str(r[0])), float(r[1])) for r in rows]
