"""Offset and keyset (cursor) pages over a SQLAlchemy ``Select``: the query side of
pagination, used by services that list rows.

Offset pages count the total (seed 001 §1.5); keyset pages order by a UUIDv7 column and never skip
or repeat a row when rows are added between pages. Cursors are opaque base64url JSON.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import uuid
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from cloud.errors import InvalidInput
from cloud.schemas.common import CursorPage, CursorPagination, OffsetPagination, PageParams

__all__ = ["decode_cursor", "encode_cursor", "keyset_page", "paginate"]


def paginate(session: Session, stmt: Select[Any], params: PageParams,
             ) -> tuple[list[Any], OffsetPagination]:
    """Run ``stmt`` for one page and count the total (tenant filtering applies to both)."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = list(session.scalars(stmt.limit(params.limit).offset((params.page - 1) * params.limit)))
    pages = math.ceil(total / params.limit) if total else 0
    return rows, OffsetPagination(page=params.page, limit=params.limit, total=total,
                                  total_pages=pages, has_next=params.page < pages,
                                  has_previous=params.page > 1)


def encode_cursor(values: dict[str, Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str) -> dict[str, Any]:
    """Decode a cursor made by :func:`encode_cursor`; anything else is a 422 on ``cursor``."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("Invalid cursor", field="cursor") from exc
    if not isinstance(value, dict):
        raise InvalidInput("Invalid cursor", field="cursor")
    return value


def keyset_page(session: Session, stmt: Select[Any], key: InstrumentedAttribute[uuid.UUID],
                params: CursorPage, *, descending: bool = True,
                ) -> tuple[list[Any], CursorPagination]:
    """One page ordered by a UUIDv7 column (time-ordered), continuing after ``params.cursor``.

    Keyset pagination never skips or repeats a row when rows are added between pages.
    """
    if params.cursor:
        try:
            after = uuid.UUID(str(decode_cursor(params.cursor).get("after")))
        except ValueError as exc:
            raise InvalidInput("Invalid cursor", field="cursor") from exc
        stmt = stmt.where(key < after if descending else key > after)
    stmt = stmt.order_by(key.desc() if descending else key.asc()).limit(params.limit + 1)
    rows = list(session.scalars(stmt))
    more = len(rows) > params.limit
    rows = rows[: params.limit]
    nxt = encode_cursor({"after": str(getattr(rows[-1], key.key))}) if more and rows else None
    return rows, CursorPagination(cursor=nxt, has_more=more, count=len(rows))
