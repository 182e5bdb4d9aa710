"""One place that turns every failure into seed 003's ``{error, code, details}`` body."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.errors import TillbridgeError, render_seed003

__all__ = ["ERROR_RESPONSES", "ErrorBody", "error_responses", "install_error_handlers"]

log = structlog.get_logger(__name__)

class ErrorBody(BaseModel):
    """Seed 003's error format."""

    error: str
    code: str
    details: dict[str, Any]


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` documenting seed 003's error body for ``statuses``."""
    return {s: {"model": ErrorBody} for s in statuses}


# Every protected route can answer these (a missing or wrong token, a body that fails
# validation); families add their own.
ERROR_RESPONSES = error_responses(401, 422)

_STATUS_CODES = {400: "INVALID_REQUEST", 401: "AUTHENTICATION_FAILED",
                 403: "INSUFFICIENT_PERMISSIONS", 404: "RESOURCE_NOT_FOUND",
                 405: "INVALID_REQUEST", 409: "DUPLICATE_RESOURCE", 413: "INVALID_REQUEST",
                 422: "VALIDATION_ERROR", 429: "RATE_LIMIT_EXCEEDED"}


def _validation_details(exc: RequestValidationError) -> dict[str, Any]:
    errors = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        errors.append({"field": ".".join(loc) or "body", "message": err.get("msg", "invalid")})
    first = errors[0] if errors else {"field": "body", "message": "invalid"}
    return {"field": first["field"], "message": first["message"], "errors": errors}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(TillbridgeError)
    async def _domain(_req: Request, exc: TillbridgeError) -> JSONResponse:
        body = render_seed003(exc.code, exc.message, details=exc.details or None, field=exc.field)
        return JSONResponse(body, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_req: Request, exc: RequestValidationError) -> JSONResponse:
        details = _validation_details(exc)
        malformed = any(e.get("type") == "json_invalid" for e in exc.errors())
        code, status = ("INVALID_REQUEST", 400) if malformed else ("VALIDATION_ERROR", 422)
        msg = "Request body is not valid JSON" if malformed else "Validation error"
        return JSONResponse(render_seed003(code, msg, details=details), status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_req: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "INVALID_REQUEST")
        message = exc.detail if isinstance(exc.detail, str) else code
        return JSONResponse(render_seed003(code, message), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(req: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled_error", path=req.url.path, error=type(exc).__name__)
        body = render_seed003("INTERNAL_ERROR", "Internal error", details={})
        return JSONResponse(body, status_code=500)
