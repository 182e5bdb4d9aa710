"""Building the answer: success envelopes with ``meta``, the pagination query parameters, and
the error schemas every family documents.

Seed 001/000 success bodies are ``{success: true, data, meta}`` (plus ``pagination`` for list
endpoints that return a bare array, seed 001 §1.5). Build them with :func:`ok`,
:func:`paginated` or :func:`cursor_paginated`; routers declare ``response_model=Envelope[X]``
(the models live in ``cloud.schemas.common``). A router reads ``PageDep``/``CursorPageDep`` and
hands them to a service, which pages with ``cloud.services.pagination``.
:func:`error_responses` documents the family's error body for each status in OpenAPI, which is
what schemathesis checks responses against.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from pydantic import BaseModel

from cloud.schemas.common import (
    CursorPage,
    CursorPaginated,
    CursorPagination,
    Envelope,
    ErrorEnvelope,
    Meta,
    OffsetPagination,
    PageParams,
    Paginated,
    PimErrorEnvelope,
    ReconError,
    RetailError,
)
from shared.errors import Family

__all__ = [
    "DEFAULT_ERROR_STATUSES",
    "CursorPageDep",
    "PageDep",
    "cursor_paginated",
    "error_responses",
    "meta",
    "ok",
    "paginated",
]


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


# -- pagination parameters --------------------------------------------------------------------

def _page_params(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="1-based page number")] = 1,
    limit: Annotated[int, Query(ge=1, le=100, description="items per page (max 100)")] = 25,
) -> PageParams:
    return PageParams(page=page, limit=limit)


PageDep = Annotated[PageParams, Depends(_page_params)]


def _cursor_params(
    cursor: Annotated[str | None, Query(max_length=512, description="opaque cursor")] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="items per page (max 100)")] = 25,
) -> CursorPage:
    return CursorPage(cursor=cursor, limit=limit)


CursorPageDep = Annotated[CursorPage, Depends(_cursor_params)]


# -- error schemas for OpenAPI ----------------------------------------------------------------

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
