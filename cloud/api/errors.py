"""The one place where failures become HTTP responses, in the format of the path's family.

Seed 001/000 paths answer ``{success:false, error:{code, message, details, field, requestId}}``,
seed 003 paths ``{error, code, details}`` and seed 002 paths ``{detail, code}``; the family is
picked by :func:`shared.errors.family_for_path`. Pydantic validation errors are mapped to the
seed's ``VAL_*`` codes (retail: ``VALIDATION_ERROR``); FastAPI's default body never leaves.
Unexpected exceptions are turned into a 500 by the request middleware (``render_unexpected``),
so that they too carry the request id and rate-limit headers.
"""

from __future__ import annotations

import traceback
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from shared.errors import TillbridgeError, family_for_path, render_error

__all__ = ["error_response", "install_error_handlers", "render_unexpected", "validation_codes"]

log = structlog.get_logger(__name__)

_STATUS_CODES = {400: "BAD_REQUEST", 401: "AUTH_TOKEN_MISSING", 403: "AUTHZ_PERMISSION_DENIED",
                 404: "RES_NOT_FOUND", 405: "RES_METHOD_NOT_ALLOWED", 409: "RES_ALREADY_EXISTS",
                 413: "VAL_BODY_TOO_LARGE", 422: "VAL_INVALID_FORMAT",
                 429: "RATE_LIMIT_EXCEEDED", 503: "SYS_MAINTENANCE"}

# pydantic error type -> seed 001 §15.3 code
_RANGE = {"greater_than", "greater_than_equal", "less_than", "less_than_equal", "too_long",
          "too_short", "string_too_long", "string_too_short", "multiple_of", "list_too_long",
          "list_too_short", "finite_number", "decimal_max_digits", "decimal_max_places",
          "json_too_deep", "json_too_many", "json_number_too_large", "json_too_large"}
_ENUM = {"enum", "literal_error"}


def _code_for(err: dict[str, Any]) -> str:
    kind = str(err.get("type", ""))
    if kind == "missing":
        return "VAL_REQUIRED_FIELD"
    if kind in _ENUM:
        return "VAL_INVALID_ENUM"
    if kind in _RANGE:
        return "VAL_OUT_OF_RANGE"
    if kind == "value_error" and "email" in str(err.get("msg", "")).lower():
        return "VAL_EMAIL_INVALID"
    return "VAL_INVALID_FORMAT"


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or "body"


def _where(err: Any) -> str:
    """The field an error is about: its location, or the path a model-level check put in its
    context (the NUL check sees the whole body, but names the field that holds the NUL)."""
    here = _field(err.get("loc", ()))
    inner = (err.get("ctx") or {}).get("field")
    if inner and isinstance(inner, str) and inner != "body":
        return f"{here}.{inner}" if here != "body" else inner
    return here


def validation_codes(exc: RequestValidationError) -> tuple[str, int, str, dict[str, Any] | None,
                                                           str | None]:
    """(code, status, message, details, field) for a request validation failure."""
    errors = [{"field": _where(e), "code": _code_for(e),
               "message": str(e.get("msg", "invalid"))} for e in exc.errors()]
    if any(e.get("type") == "json_invalid" for e in exc.errors()):
        return "VAL_MALFORMED_BODY", 400, "Request body is not valid JSON", None, None
    if len(errors) == 1:
        one = errors[0]
        return one["code"], 422, one["message"], None, one["field"]
    return ("VAL_MULTIPLE_ERRORS", 422, "Validation failed with multiple errors",
            {"errors": errors}, None)


def _request_id(scope: Scope) -> str | None:
    return scope.get("state", {}).get("request_id")


def error_response(scope: Scope, code: str, message: str, *, status: int,
                   details: Any = None, field: str | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    """A JSON error in the wire format of the request path's family."""
    family = family_for_path(scope.get("path", "/"))
    body = render_error(family, code, message, details=details, field=field,
                        request_id=_request_id(scope))
    return JSONResponse(body, status_code=status, headers=headers)


def render_unexpected(scope: Scope, exc: BaseException, *, debug: bool) -> JSONResponse:
    """500 with a request id; the stack trace only when ``debug`` is on."""
    log.error("unhandled_error", path=scope.get("path"), error=type(exc).__name__,
              exc_info=exc)
    details = None
    if debug:
        details = {"exception": type(exc).__name__,
                   "stack": traceback.format_exception(type(exc), exc, exc.__traceback__)}
    return error_response(scope, "SYS_INTERNAL_ERROR", "Internal server error", status=500,
                          details=details)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(TillbridgeError)
    async def _domain(request: Request, exc: TillbridgeError) -> JSONResponse:
        headers = getattr(exc, "headers", None)
        if exc.status >= 500:
            log.warning("service_error", code=exc.code, path=request.url.path)
        return error_response(request.scope, exc.code, exc.message, status=exc.status,
                              details=exc.details or None, field=exc.field, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        code, status, message, details, field = validation_codes(exc)
        return error_response(request.scope, code, message, status=status, details=details,
                              field=field)

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError) -> JSONResponse:
        # A race that a service's own check could not see (e.g. two users with one e-mail at
        # the same time), a value the database refuses, or the database being unreachable.
        log.warning("database_error", error=type(exc.orig).__name__, path=request.url.path)
        if isinstance(exc, IntegrityError):
            code, status, message = "RES_ALREADY_EXISTS", 409, "Conflicts with an existing record"
        elif isinstance(exc, DataError):
            code, status, message = "VAL_INVALID_FORMAT", 422, "A value is not acceptable"
        else:
            code, status, message = "SYS_DATABASE_ERROR", 503, "Database operation failed"
        return error_response(request.scope, code, message, status=status)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "BAD_REQUEST")
        default = {404: "Resource not found", 405: "Method not allowed"}.get(exc.status_code)
        message = exc.detail if isinstance(exc.detail, str) and exc.detail else code
        if default and message in ("Not Found", "Method Not Allowed"):
            message = default
        return error_response(request.scope, code, message, status=exc.status_code,
                              headers=getattr(exc, "headers", None))
