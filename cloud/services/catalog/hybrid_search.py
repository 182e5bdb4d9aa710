"""Hybrid product search (seed 001 §3.7): keyword and semantic rankings fused with RRF.

``keyword``: the database's full-text index (diacritic-insensitive). ``semantic``: cosine
similarity between the query's MiniLM embedding and each product's. ``hybrid`` (default): both
rankings fused by reciprocal rank fusion; the score is the fused score scaled to 0..1, and
``matchType`` says which rankings found the product. Filters apply after retrieval over a
candidate pool several times the requested size.
"""

from __future__ import annotations

import html
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from cloud.services.catalog.listing import (
    ProductQuery,
    ProductRow,
    matching_ids,
    product_rows,
)
from cloud.services.search import fusion
from cloud.services.search.embedding import EmbeddingModel, get_model
from cloud.services.search.fulltext import keyword_ids
from cloud.services.search.text import fold, matched_fields, query_tokens
from cloud.services.search.vectors import product_document, similar

__all__ = ["SearchFilters", "SearchHit", "SearchResult", "search_products"]

_POOL_FACTOR = 5
_MIN_POOL = 50


@dataclass(frozen=True)
class SearchFilters:
    category: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool | None = None
    status: str | None = None

    def as_query(self) -> ProductQuery:
        return ProductQuery(category=self.category, status=self.status,
                            min_price=self.min_price, max_price=self.max_price,
                            in_stock=self.in_stock)


@dataclass
class SearchHit:
    row: ProductRow
    score: float
    match_type: str
    matched_fields: list[str]
    keyword_rank: int | None = None
    semantic_score: float | None = None
    chunks: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SearchResult:
    hits: list[SearchHit]
    total_found: int
    query_embedding: list[float] | None
    took_ms: float


def _fields(row: ProductRow) -> dict[str, str | None]:
    p = row.product
    names = " ".join(t.get("name", "") for t in (p.translations or {}).values())
    return {"name": p.name, "sku": p.sku, "category": p.category,
            "subcategory": p.subcategory, "tags": " ".join(p.tags or []),
            "shortDescription": p.short_description, "description": p.description,
            "translations": names or None}


def _highlight(text: str, tokens: list[str]) -> str:
    """HTML-escaped text with <mark> around words starting with a query token (folded)."""
    out: list[str] = []
    for part in re.split(r"(\w+)", text):
        if part and any(fold(part).startswith(t) for t in tokens):
            out.append(f"<mark>{html.escape(part)}</mark>")
        else:
            out.append(html.escape(part))
    return "".join(out)


def search_products(session: Session, *, tenant_id: uuid.UUID, query: str,
                    search_type: str = "hybrid", limit: int = 10,
                    threshold: float | None = None, filters: SearchFilters | None = None,
                    include_chunks: bool = False, include_embedding: bool = False,
                    model: EmbeddingModel | None = None) -> SearchResult:
    started = time.perf_counter()
    filters = filters or SearchFilters()
    pool = max(_MIN_POOL, limit * _POOL_FACTOR)
    keyword: list[tuple[uuid.UUID, float]] = []
    semantic: list[tuple[uuid.UUID, float]] = []
    qvec = None
    if search_type in ("hybrid", "keyword"):
        keyword = keyword_ids(session, tenant_id=tenant_id, query=query, limit=pool)
    if search_type in ("hybrid", "semantic"):
        qvec = (model or get_model()).encode_one(query)
        semantic = similar(session, tenant_id=tenant_id, query_vector=qvec, limit=pool,
                           threshold=threshold)
    kw_rank = {pid: i for i, (pid, _s) in enumerate(keyword, start=1)}
    sem = dict(semantic)
    lists = [[pid for pid, _s in ranking] for ranking in (keyword, semantic) if ranking]
    fused = fusion.rrf(lists)
    tokens = query_tokens(query)
    scored: list[tuple[uuid.UUID, float, bool, bool]] = []
    for pid, score in fused:
        in_kw, in_sem = pid in kw_rank, pid in sem
        if search_type == "semantic":
            value = sem[pid]
        elif search_type == "keyword":
            value = 1.0 / kw_rank[pid]
        else:
            value = fusion.normalise(score, len(lists))
        if threshold is not None and search_type != "semantic" and value < threshold:
            continue
        scored.append((pid, value, in_kw, in_sem))
    # Filters run in SQL over ids only; full rows are loaded just for the page returned.
    passing = matching_ids(session, tenant_id=tenant_id, ids=[s[0] for s in scored],
                           q=filters.as_query())
    scored = [s for s in scored if s[0] in passing]
    rows = product_rows(session, tenant_id=tenant_id, ids=[s[0] for s in scored[:limit]])
    hits: list[SearchHit] = []
    for pid, value, in_kw, in_sem in scored[:limit]:
        row = rows.get(pid)
        if row is None:
            continue
        hit = SearchHit(row, round(value, 6),
                        "hybrid" if in_kw and in_sem else ("keyword" if in_kw else "semantic"),
                        matched_fields(tokens, _fields(row)), kw_rank.get(pid),
                        round(sem[pid], 6) if in_sem else None)
        if include_chunks:
            doc = product_document(row.product)
            hit.chunks = [{"text": doc, "score": hit.semantic_score or hit.score,
                           "highlight": _highlight(doc, tokens)}]
        hits.append(hit)
    took = (time.perf_counter() - started) * 1000
    return SearchResult(hits, len(scored),
                        [round(float(x), 6) for x in qvec] if include_embedding and qvec is not None
                        else None, took)
