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

import json
import math
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

__all__ = [
    "MAX_MONEY",
    "MAX_QUANTITY",
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
    "JsonObject",
    "Meta",
    "Money",
    "OffsetPagination",
    "PageParams",
    "Paginated",
    "Percent",
    "PimErrorBody",
    "PimErrorEnvelope",
    "PimMeta",
    "ReconError",
    "RequestModel",
    "RetailError",
    "json_bounded",
    "nul_path",
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


# Wire bounds shared by the families. Money in major units: 10^11 is 10^13 minor units, far
# inside int64 (≈9.2·10^18) and above any single price or discount a store will type.
MAX_MONEY = Decimal(10) ** 11
# Quantities as the catalog validation holds them (``cloud.services.catalog.validation``).
MAX_QUANTITY = Decimal(10) ** 12
Money = Annotated[Decimal, Field(ge=0, le=MAX_MONEY)]
Percent = Annotated[Decimal, Field(ge=0, le=100)]


def json_bounded(*, max_bytes: int = 64 * 1024, max_depth: int = 8, max_keys: int = 1000,
                 max_number: int = 10**15) -> AfterValidator:
    """A free-form JSON value held to a size: ``max_bytes`` serialized, ``max_depth`` levels,
    ``max_keys`` keys and items in all, numbers within ±``max_number``. Such values are stored
    and handed back on every read and sync, so an unbounded one costs every later request."""

    def check(value: Any) -> Any:
        items = 0

        def walk(v: Any, depth: int) -> None:
            nonlocal items
            if depth > max_depth:
                raise PydanticCustomError("json_too_deep", "at most {max} levels of nesting",
                                          {"max": max_depth})
            if isinstance(v, dict | list):
                items += len(v)
                if items > max_keys:
                    raise PydanticCustomError("json_too_many", "at most {max} keys and items",
                                              {"max": max_keys})
                for child in v.values() if isinstance(v, dict) else v:
                    walk(child, depth + 1)
            elif isinstance(v, int | float | Decimal) and not isinstance(v, bool):
                finite = isinstance(v, int) or math.isfinite(v)
                if not finite or abs(Decimal(v)) > max_number:
                    raise PydanticCustomError("json_number_too_large",
                                              "numbers must be within ±{max}",
                                              {"max": max_number})

        walk(value, 1)
        size = len(json.dumps(value, default=str, ensure_ascii=False).encode())
        if size > max_bytes:
            raise PydanticCustomError("json_too_large", "at most {max} bytes as JSON",
                                      {"max": max_bytes})
        return value

    return AfterValidator(check)


JsonObject = Annotated[dict[str, Any], json_bounded()]


class ApiModel(BaseModel):
    """Wire models: camelCase on the wire (seed 001), snake_case in Python."""

    model_config = _CAMEL


def nul_path(value: Any, path: str = "") -> str | None:
    """The dotted wire path of the first NUL character in ``value`` (``""`` for the value
    itself), or None when there is none."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for k, v in value.items():
            where = f"{path}.{k}" if path else str(k)
            if isinstance(k, str) and "\x00" in k:
                return where.replace("\x00", "\\0")
            found = nul_path(v, where)
            if found is not None:
                return found
    if isinstance(value, list | tuple):
        for i, v in enumerate(value):
            found = nul_path(v, f"{path}.{i}" if path else str(i))
            if found is not None:
                return found
    return None


class RequestModel(ApiModel):
    """Request bodies refuse unknown fields, so a typo is an error and not a silent no-op,
    and NUL characters, which PostgreSQL cannot store in text."""

    model_config = ConfigDict(**_CAMEL, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        where = nul_path(data)
        if where is not None:
            # ``field`` in the context: the error handler names it, since a model-level
            # validator's own location is the whole body.
            raise PydanticCustomError("string_nul", "NUL characters are not allowed in {field}",
                                      {"field": where or "body"})
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
