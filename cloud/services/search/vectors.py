"""Product embeddings: compute (with de-duplication by text), store as float32 bytes, and
search by cosine similarity over an in-memory per-tenant matrix.

Why not pgvector: it is not packaged for PostgreSQL 15 in Debian bookworm (``apt-cache policy
postgresql-15-pgvector`` finds nothing), and SQLite has no vector type either. Vectors are
L2-normalised, so cosine similarity is one matrix-vector product in numpy: ~10 ms for 100k
products. The matrix is cached per (database, tenant) and refreshed incrementally when
``product_embeddings`` changes (newest ``indexed_at`` and row count are compared per query).
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from threadpoolctl import threadpool_limits

from cloud.models.catalog import Product, ProductEmbedding
from cloud.services.search.embedding import MODEL_NAME, EmbeddingModel, get_model
from cloud.services.search.text import document_text

__all__ = ["VectorIndex", "embed_products", "pack", "similar", "text_hash", "unpack"]

_E = ProductEmbedding.__table__


def pack(vector: np.ndarray[Any, Any]) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def unpack(data: bytes) -> np.ndarray[Any, Any]:
    return np.frombuffer(data, dtype="<f4")


def text_hash(text: str) -> str:
    return hashlib.sha256(f"{MODEL_NAME}\x00{text}".encode()).hexdigest()


def product_document(p: Product | Any) -> str:
    return document_text({
        "name": p.name, "category": p.category, "subcategory": p.subcategory,
        "shortDescription": p.short_description, "description": p.description,
        "tags": ", ".join(p.tags or []),
    })


def embed_products(session: Session, *, tenant_id: uuid.UUID,
                   product_ids: Sequence[uuid.UUID] | None, now: datetime,
                   model: EmbeddingModel | None = None, batch: int = 256) -> int:
    """(Re)compute embeddings whose text changed; ``None`` means every product of the tenant.

    Products with the same text share one computation (looked up by text hash in the tenant),
    so catalogs of variants cost one forward pass per distinct text. Returns vectors written.
    """
    stmt = (select(Product.id, Product.name, Product.category, Product.subcategory,
                   Product.short_description, Product.description, Product.tags,
                   _E.c.text_hash)
            .outerjoin(_E, _E.c.product_id == Product.id)
            .where(Product.tenant_id == tenant_id, Product.deleted_at.is_(None)))
    if product_ids is not None:
        stmt = stmt.where(Product.id.in_(list(product_ids)))
    todo: list[tuple[uuid.UUID, str, str, bool]] = []
    for row in session.execute(stmt):
        doc = product_document(row)
        h = text_hash(doc)
        if h != row.text_hash:
            todo.append((row.id, doc, h, row.text_hash is not None))
    if not todo:
        return 0
    known: dict[str, bytes] = {}
    hashes = list({h for _i, _d, h, _e in todo})
    for i in range(0, len(hashes), 1000):
        for h, vec in session.execute(select(_E.c.text_hash, _E.c.vector).where(
                _E.c.tenant_id == tenant_id, _E.c.text_hash.in_(hashes[i:i + 1000]))):
            known.setdefault(h, vec)
    missing = {h: d for _i, d, h, _e in todo if h not in known}
    if missing:
        model = model or get_model()
        keys = list(missing)
        for i in range(0, len(keys), batch):
            chunk = keys[i:i + batch]
            vectors = model.encode([missing[k] for k in chunk])
            for k, v in zip(chunk, vectors, strict=True):
                known[k] = pack(v)
    ids = [pid for pid, _d, _h, _e in todo]
    for i in range(0, len(ids), 1000):
        session.execute(delete(_E).where(_E.c.tenant_id == tenant_id,
                                         _E.c.product_id.in_(ids[i:i + 1000])))
    rows = [{"product_id": pid, "tenant_id": tenant_id, "model": MODEL_NAME, "text_hash": h,
             "vector": known[h], "indexed_at": now} for pid, _d, h, _e in todo]
    for i in range(0, len(rows), 1000):
        session.execute(_E.insert(), rows[i:i + 1000])
    return len(rows)


@dataclass
class _Entry:
    ids: list[uuid.UUID]
    matrix: np.ndarray[Any, Any]
    newest: datetime | None
    count: int


class VectorIndex:
    """Per-(database, tenant) embedding matrices kept in memory between searches."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, uuid.UUID], _Entry] = {}
        self._lock = threading.Lock()

    def _load(self, session: Session, tenant_id: uuid.UUID,
              since: datetime | None) -> tuple[list[uuid.UUID], list[bytes]]:
        stmt = select(_E.c.product_id, _E.c.vector).where(_E.c.tenant_id == tenant_id)
        if since is not None:
            stmt = stmt.where(_E.c.indexed_at > since)
        rows = session.execute(stmt).all()
        return [r[0] for r in rows], [r[1] for r in rows]

    def matrix(self, session: Session, tenant_id: uuid.UUID,
               ) -> tuple[list[uuid.UUID], np.ndarray[Any, Any]]:
        bind = session.get_bind()
        key = (str(bind.url), tenant_id)
        newest, count = session.execute(
            select(func.max(_E.c.indexed_at), func.count())
            .where(_E.c.tenant_id == tenant_id)).one()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry.newest == newest and entry.count == count:
                return entry.ids, entry.matrix
            if entry is not None and entry.newest is not None and newest is not None:
                ids, blobs = self._load(session, tenant_id, entry.newest)
                fresh = set(ids)
                keep = [i for i, pid in enumerate(entry.ids) if pid not in fresh]
                merged_ids = [entry.ids[i] for i in keep] + ids
                if len(merged_ids) == count:
                    parts = [entry.matrix[keep]] if keep else []
                    if blobs:
                        parts.append(np.vstack([unpack(b) for b in blobs]))
                    mat = np.vstack(parts) if parts else np.zeros((0, 384), np.float32)
                    self._entries[key] = _Entry(merged_ids, mat, newest, count)
                    return merged_ids, mat
            ids, blobs = self._load(session, tenant_id, None)
            mat = (np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(blobs), -1)
                   if blobs else np.zeros((0, 384), np.float32))
            self._entries[key] = _Entry(ids, mat, newest, count)
            return ids, mat


_index = VectorIndex()


def similar(session: Session, *, tenant_id: uuid.UUID, query_vector: np.ndarray[Any, Any],
            limit: int, threshold: float | None = None) -> list[tuple[uuid.UUID, float]]:
    """Best-first ``(product id, cosine similarity)`` among the tenant's embedded products."""
    ids, mat = _index.matrix(session, tenant_id)
    if not ids:
        return []
    with threadpool_limits(limits=1, user_api="blas"):
        scores = mat @ query_vector.astype(np.float32)
    k = min(limit, len(ids))
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top])]
    out = [(ids[i], float(scores[i])) for i in top]
    if threshold is not None:
        out = [(pid, s) for pid, s in out if s >= threshold]
    return out
