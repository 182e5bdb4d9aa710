"""Response envelopes, pagination and the error schemas every family documents.

Seed 001/000 success bodies are ``{success: true, data, meta}`` (plus ``pagination`` for list
endpoints that return a bare array, seed 001 §1.5). Build them with :func:`ok`,
:func:`paginated` or :func:`cursor_paginated`; routers declare ``response_model=Envelope[X]``.
Offset pages come from :func:`paginate` and keyset (cursor) pages from :func:`keyset_page`, so a
list endpoint is two lines. :func:`error_responses` documents the family's error body for each
status in OpenAPI, which is what schemathesis checks responses against.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import time
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel
from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from cloud.errors import InvalidInput
from shared.errors import Family

__all__ = [
    "ApiModel",
    "CursorPage",
    "CursorPageDep",
    "CursorPaginated",
    "CursorPagination",
    "Envelope",
    "ErrorBody",
    "ErrorEnvelope",
    "Meta",
    "OffsetPagination",
    "PageDep",
    "PageParams",
    "Paginated",
    "RequestModel",
    "cursor_paginated",
    "decode_cursor",
    "encode_cursor",
    "error_responses",
    "keyset_page",
    "meta",
    "ok",
    "paginate",
    "paginated",
]

T = TypeVar("T")
_CAMEL = ConfigDict(alias_generator=to_camel, validate_by_name=True, validate_by_alias=True,
                    serialize_by_alias=True, from_attributes=True)


class ApiModel(BaseModel):
    """Wire models: camelCase on the wire (seed 001), snake_case in Python."""

    model_config = _CAMEL


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class RequestModel(ApiModel):
    """Request bodies refuse unknown fields, so a typo is an error and not a silent no-op,
    and NUL characters, which PostgreSQL cannot store in text."""

    model_config = ConfigDict(**_CAMEL, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        if _has_nul(data):
            raise ValueError("NUL characters are not allowed")
        return data


class Meta(ApiModel):
    request_id: str | None = None
    timestamp: datetime
    duration: float = Field(description="milliseconds spent on the request so far")


class OffsetPagination(ApiModel):
    page: int
    limit: int
    total: int
    total_pages: int
    has_next: bool
    has_previous: bool


class CursorPagination(ApiModel):
    cursor: str | None = Field(description="pass as ?cursor= for the next page; null at the end")
    has_more: bool
    count: int


class Envelope(ApiModel, Generic[T]):
    success: Literal[True] = True
    data: T
    meta: Meta | None = None


class Paginated(ApiModel, Generic[T]):
    success: Literal[True] = True
    data: list[T]
    pagination: OffsetPagination
    meta: Meta | None = None


class CursorPaginated(ApiModel, Generic[T]):
    success: Literal[True] = True
    data: list[T]
    pagination: CursorPagination
    meta: Meta | None = None


def meta(request: Request) -> Meta:
    state = request.scope.get("state", {})
    started = state.get("started_at")
    duration = (time.perf_counter() - started) * 1000 if started else 0.0
    return Meta(request_id=state.get("request_id"), timestamp=datetime.now(UTC),
                duration=round(duration, 3))


def ok(request: Request, data: Any) -> Envelope[Any]:
    """``{success: true, data, meta}``."""
    return Envelope(data=data, meta=meta(request))


def paginated(request: Request, items: list[Any], page: OffsetPagination) -> Paginated[Any]:
    return Paginated(data=items, pagination=page, meta=meta(request))


def cursor_paginated(request: Request, items: list[Any],
                     page: CursorPagination) -> CursorPaginated[Any]:
    return CursorPaginated(data=items, pagination=page, meta=meta(request))


# -- offset pagination ------------------------------------------------------------------------

class PageParams(BaseModel):
    page: int = 1
    limit: int = 25


def _page_params(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="1-based page number")] = 1,
    limit: Annotated[int, Query(ge=1, le=100, description="items per page (max 100)")] = 25,
) -> PageParams:
    return PageParams(page=page, limit=limit)


PageDep = Annotated[PageParams, Depends(_page_params)]


def paginate(session: Session, stmt: Select[Any], params: PageParams,
             ) -> tuple[list[Any], OffsetPagination]:
    """Run ``stmt`` for one page and count the total (tenant filtering applies to both)."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = list(session.scalars(stmt.limit(params.limit).offset((params.page - 1) * params.limit)))
    pages = math.ceil(total / params.limit) if total else 0
    return rows, OffsetPagination(page=params.page, limit=params.limit, total=total,
                                  total_pages=pages, has_next=params.page < pages,
                                  has_previous=params.page > 1)


# -- cursor pagination ------------------------------------------------------------------------

class CursorPage(BaseModel):
    cursor: str | None = None
    limit: int = 25


def _cursor_params(
    cursor: Annotated[str | None, Query(max_length=512, description="opaque cursor")] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="items per page (max 100)")] = 25,
) -> CursorPage:
    return CursorPage(cursor=cursor, limit=limit)


CursorPageDep = Annotated[CursorPage, Depends(_cursor_params)]


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


# -- error schemas for OpenAPI ----------------------------------------------------------------

class ErrorBody(BaseModel):
    code: str
    message: str
    details: Any | None = None
    field: str | None = None
    requestId: str | None = None


class ErrorEnvelope(BaseModel):
    """Seed 001 §15.1 error body."""

    success: Literal[False]
    error: ErrorBody


class PimErrorBody(BaseModel):
    code: str
    message: str
    details: Any | None = None


class PimMeta(BaseModel):
    requestId: str | None = None


class PimErrorEnvelope(BaseModel):
    """Seed 000 error envelope."""

    success: Literal[False]
    error: PimErrorBody
    meta: PimMeta | None = None


class RetailError(BaseModel):
    """Seed 003 ``{error, code, details}``."""

    error: str
    code: str
    details: dict[str, Any]


class ReconError(BaseModel):
    """Seed 002: FastAPI's ``detail`` plus our stable ``code``."""

    detail: str
    code: str
    errors: Any | None = None
    request_id: str | None = None


_ERROR_MODELS: dict[Family, type[BaseModel]] = {
    Family.B2B: ErrorEnvelope, Family.PIM: PimErrorEnvelope,
    Family.RETAIL: RetailError, Family.RECON: ReconError,
}
_DESCRIPTIONS = {
    400: "Malformed request", 401: "Missing or invalid credentials",
    403: "Authenticated but not allowed", 404: "Not found (or another tenant's)",
    405: "Method not allowed", 409: "Conflict with the current state",
    413: "Request body too large", 422: "Validation failed", 423: "Locked",
    429: "Rate limit exceeded", 500: "Unexpected error (see requestId)",
    503: "Database or a dependency unavailable",
}
DEFAULT_ERROR_STATUSES = (400, 401, 403, 404, 409, 413, 422, 429, 500, 503)


def error_responses(family: Family = Family.B2B,
                    statuses: tuple[int, ...] = DEFAULT_ERROR_STATUSES,
                    ) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a router or route: the family's error body for each status."""
    model = _ERROR_MODELS[family]
    return {s: {"model": model, "description": _DESCRIPTIONS.get(s, "Error")} for s in statuses}
