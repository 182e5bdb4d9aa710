"""Wire basics every family shares: the model bases, the success envelopes, pagination and
the error bodies.

``ApiModel`` is camelCase on the wire (seed 001) and snake_case in Python; ``RequestModel``
also refuses unknown fields and NUL characters. Seed 001/000 success bodies are
``{success: true, data, meta}`` (:class:`Envelope`), plus ``pagination`` for lists
(:class:`Paginated`, :class:`CursorPaginated`). The error models are what
``cloud.api.responses.error_responses`` documents per family in OpenAPI. Services may import this
module (``cloud.services.pagination`` builds the pagination blocks); routers build the envelopes
with ``cloud.api.responses``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

__all__ = [
    "ApiModel",
    "CursorPage",
    "CursorPaginated",
    "CursorPagination",
    "Envelope",
    "ErrorBody",
    "ErrorEnvelope",
    "IsoDate",
    "IsoDateOrDateTime",
    "IsoDateTime",
    "Meta",
    "OffsetPagination",
    "PageParams",
    "Paginated",
    "PimErrorBody",
    "PimErrorEnvelope",
    "PimMeta",
    "ReconError",
    "RequestModel",
    "RetailError",
]

T = TypeVar("T")


# -- strict ISO 8601 dates ---------------------------------------------------------------------
# pydantic's lax mode reads a bare number as a Unix timestamp, so ``?to=0.5`` was 1970-01-01
# 00:00:00.5 and ``?from=1`` a second later: a typo silently became a filter. Query dates are
# ISO 8601 text (ASCII digits), nothing else.

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}"
                       r"(:[0-9]{2}([.,][0-9]{1,9})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?",
                       re.IGNORECASE)


def _iso_date(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value):
        return value
    raise ValueError("expected an ISO 8601 date, YYYY-MM-DD")


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and (_DATE.fullmatch(value) or _DATETIME.fullmatch(value)):
        return value
    raise ValueError("expected an ISO 8601 date or date-time, e.g. 2026-03-02T09:30:00Z")


def _iso_date_or_datetime(value: Any) -> Any:
    """A date stays a date (a whole day, so ``to=2026-03-02`` includes that day's evening)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"not a calendar date: {exc}") from None
    return _iso_datetime(value)


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
"""``YYYY-MM-DD`` only."""
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]
"""An ISO 8601 date-time (a bare date is its midnight); never a Unix timestamp."""
IsoDateOrDateTime = Annotated[datetime | date, BeforeValidator(_iso_date_or_datetime)]
"""A whole day (``YYYY-MM-DD``) or an instant (ISO 8601 date-time)."""
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



# -- pagination parameters (routers fill them from the query string) ------------------------

class PageParams(BaseModel):
    page: int = 1
    limit: int = 25


class CursorPage(BaseModel):
    cursor: str | None = None
    limit: int = 25


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
