"""One catalogue of stable error codes and their wire formats.

Every API family renders the same :class:`ErrorCode` in the format its seed document defines:

* seed 000 (PIM) and seed 001 (B2B):  ``{"success": false, "error": {code, message, ...}}``
* seed 002 (reconciliation):           ``{"detail": message, "code": code}`` (FastAPI style)
* seed 003 (retail):                   ``{"error": message, "code": code, "details": {...}}``

Codes are data, not exceptions, so the till, the cloud and sync share them without I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = [
    "CATALOGUE",
    "ErrorCode",
    "Family",
    "TillbridgeError",
    "family_for_path",
    "http_status",
    "render_error",
    "render_seed000",
    "render_seed001",
    "render_seed002",
    "render_seed003",
]


class Family(StrEnum):
    """Which seed document's wire format a response follows."""

    PIM = "000"
    B2B = "001"
    RECON = "002"
    RETAIL = "003"


@dataclass(frozen=True)
class ErrorCode:
    """A stable machine-readable code with its HTTP status and default message."""

    code: str
    status: int
    message: str


def _codes(*rows: tuple[str, int, str]) -> dict[str, ErrorCode]:
    return {code: ErrorCode(code, status, message) for code, status, message in rows}


CATALOGUE: dict[str, ErrorCode] = _codes(
    # seed 001 §15.3 — authentication
    ("AUTH_TOKEN_MISSING", 401, "Authorization token required"),
    ("AUTH_TOKEN_INVALID", 401, "Invalid authentication token"),
    ("AUTH_TOKEN_EXPIRED", 401, "Authentication token has expired"),
    ("AUTH_REFRESH_INVALID", 401, "Invalid refresh token"),
    ("AUTH_MFA_REQUIRED", 401, "Multi-factor authentication required"),
    ("AUTH_SESSION_EXPIRED", 401, "Session has expired"),
    ("AUTH_IP_BLOCKED", 403, "IP address not in whitelist"),
    ("AUTH_INVALID_CREDENTIALS", 401, "Invalid email or password"),
    ("AUTH_ACCOUNT_LOCKED", 423, "Account is locked after repeated failures"),
    ("AUTH_API_KEY_INVALID", 401, "Invalid or expired API key"),
    # authorization
    ("AUTHZ_PERMISSION_DENIED", 403, "Insufficient permissions for this action"),
    ("AUTHZ_ROLE_REQUIRED", 403, "This action requires a specific role"),
    ("AUTHZ_TENANT_MISMATCH", 403, "Resource belongs to different tenant"),
    ("AUTHZ_RESOURCE_LOCKED", 423, "Resource is locked by another user"),
    # validation
    ("VAL_REQUIRED_FIELD", 422, "Required field is missing"),
    ("VAL_INVALID_FORMAT", 422, "Field format is invalid"),
    ("VAL_OUT_OF_RANGE", 422, "Value is out of allowed range"),
    ("VAL_INVALID_ENUM", 422, "Value not in allowed list"),
    ("VAL_DUPLICATE", 409, "Duplicate value not allowed"),
    ("VAL_REFERENCE_INVALID", 422, "Referenced entity does not exist"),
    ("VAL_CUI_INVALID", 422, "Invalid CUI format"),
    ("VAL_IBAN_INVALID", 422, "Invalid IBAN format"),
    ("VAL_EMAIL_INVALID", 422, "Invalid email address"),
    ("VAL_PHONE_INVALID", 422, "Invalid phone number"),
    ("VAL_MULTIPLE_ERRORS", 422, "Validation failed with multiple errors"),
    ("VAL_MALFORMED_BODY", 400, "Request body is not valid JSON"),
    ("VAL_BODY_TOO_LARGE", 413, "Request body is too large"),
    # resources
    ("RES_NOT_FOUND", 404, "Resource not found"),
    ("RES_ALREADY_EXISTS", 409, "Resource already exists"),
    ("RES_DELETED", 410, "Resource has been deleted"),
    ("RES_ARCHIVED", 409, "Resource has been archived"),
    ("RES_LOCKED", 423, "Resource is locked"),
    ("RES_METHOD_NOT_ALLOWED", 405, "Method not allowed for this resource"),
    ("BIZ_STATE_CONFLICT", 409, "The request conflicts with the current state"),
    # business logic
    ("BIZ_DISCOUNT_EXCEEDED", 422, "Discount exceeds maximum allowed"),
    ("BIZ_STOCK_INSUFFICIENT", 409, "Insufficient stock for quantity"),
    ("BIZ_NEGOTIATION_CLOSED", 409, "Negotiation is already closed"),
    ("BIZ_DOCUMENT_FINALIZED", 409, "Document is finalized and cannot be edited"),
    ("BIZ_APPROVAL_EXPIRED", 410, "Approval request has expired"),
    ("BIZ_SLA_BREACHED", 409, "SLA deadline has been breached"),
    ("BIZ_QUOTA_EXCEEDED", 429, "Usage quota exceeded"),
    # integrations
    ("INT_ANAF_UNAVAILABLE", 503, "ANAF service unavailable"),
    ("INT_ANAF_CUI_NOT_FOUND", 404, "CUI not found in ANAF registry"),
    ("INT_EFACTURA_REJECTED", 422, "E-Factura submission rejected"),
    ("INT_EFACTURA_CERT_INVALID", 422, "E-Factura certificate invalid"),
    ("INT_OBLIO_AUTH_FAILED", 502, "Oblio authentication failed"),
    ("INT_OBLIO_SYNC_ERROR", 502, "Oblio synchronization failed"),
    ("INT_HUNTER_QUOTA", 429, "Hunter.io quota exceeded"),
    ("INT_EMAIL_DELIVERY_FAILED", 502, "Email delivery failed"),
    # AI
    ("AI_MODEL_UNAVAILABLE", 503, "AI model is unavailable"),
    ("AI_QUOTA_EXCEEDED", 429, "AI usage quota exceeded"),
    ("AI_GUARDRAIL_BLOCKED", 422, "Response blocked by guardrail"),
    ("AI_CONTEXT_TOO_LONG", 422, "Conversation context exceeds limit"),
    ("AI_CONFIDENCE_LOW", 422, "AI confidence below threshold"),
    ("AI_TIMEOUT", 504, "AI processing timeout"),
    # system
    ("SYS_INTERNAL_ERROR", 500, "Internal server error"),
    ("SYS_DATABASE_ERROR", 503, "Database operation failed"),
    ("SYS_QUEUE_ERROR", 503, "Message queue error"),
    ("SYS_STORAGE_ERROR", 503, "Storage operation failed"),
    ("SYS_MAINTENANCE", 503, "System under maintenance"),
    # seed 003 "Common Error Codes"
    ("INVALID_REQUEST", 400, "Invalid request"),
    ("AUTHENTICATION_FAILED", 401, "Authentication failed"),
    ("INSUFFICIENT_PERMISSIONS", 403, "Insufficient permissions"),
    ("RESOURCE_NOT_FOUND", 404, "Resource not found"),
    ("DUPLICATE_RESOURCE", 409, "Duplicate resource"),
    ("VALIDATION_ERROR", 422, "Validation error"),
    ("RATE_LIMIT_EXCEEDED", 429, "Rate limit exceeded"),
    ("EXTERNAL_SERVICE_ERROR", 502, "External service error"),
    ("DATABASE_ERROR", 500, "Database error"),
    # seed 000 envelope (PIM); these share the envelope of seed 001
    ("UNAUTHORIZED", 401, "Session required"),
    ("FORBIDDEN", 403, "Admin session required"),
    ("NOT_FOUND", 404, "Not found"),
    ("BAD_REQUEST", 400, "Bad request"),
    ("CONFLICT", 409, "Conflict"),
    ("INTERNAL_ERROR", 500, "Internal error"),
)

# Codes that name the same failure in another family's vocabulary: a service raises one code and
# each family shows the word its document uses.
_TRANSLATE: dict[Family, dict[str, str]] = {
    Family.RETAIL: {
        "AUTH_TOKEN_MISSING": "AUTHENTICATION_FAILED",
        "AUTH_TOKEN_INVALID": "AUTHENTICATION_FAILED",
        "AUTH_TOKEN_EXPIRED": "AUTHENTICATION_FAILED",
        "AUTH_API_KEY_INVALID": "AUTHENTICATION_FAILED",
        "AUTH_INVALID_CREDENTIALS": "AUTHENTICATION_FAILED",
        "AUTHZ_PERMISSION_DENIED": "INSUFFICIENT_PERMISSIONS",
        "AUTHZ_ROLE_REQUIRED": "INSUFFICIENT_PERMISSIONS",
        "RES_NOT_FOUND": "RESOURCE_NOT_FOUND",
        "NOT_FOUND": "RESOURCE_NOT_FOUND",
        "RES_ALREADY_EXISTS": "DUPLICATE_RESOURCE",
        "VAL_DUPLICATE": "DUPLICATE_RESOURCE",
        "VAL_REQUIRED_FIELD": "VALIDATION_ERROR",
        "VAL_INVALID_FORMAT": "VALIDATION_ERROR",
        "VAL_OUT_OF_RANGE": "VALIDATION_ERROR",
        "VAL_INVALID_ENUM": "VALIDATION_ERROR",
        "VAL_MULTIPLE_ERRORS": "VALIDATION_ERROR",
        "VAL_MALFORMED_BODY": "INVALID_REQUEST",
        "SYS_INTERNAL_ERROR": "INTERNAL_ERROR",
        "SYS_DATABASE_ERROR": "DATABASE_ERROR",
        "VAL_BODY_TOO_LARGE": "INVALID_REQUEST",
        "RES_METHOD_NOT_ALLOWED": "INVALID_REQUEST",
        "BIZ_STATE_CONFLICT": "DUPLICATE_RESOURCE",
    },
    Family.PIM: {
        "AUTH_TOKEN_MISSING": "UNAUTHORIZED",
        "RES_NOT_FOUND": "NOT_FOUND",
        "SYS_INTERNAL_ERROR": "INTERNAL_ERROR",
    },
}


class TillbridgeError(Exception):
    """Base of every error that carries a stable code to an API boundary.

    The docstring of a subclass is its default message (as procrastinate does).
    """

    code: str = "SYS_INTERNAL_ERROR"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        field: str | None = None,
        details: dict[str, Any] | None = None,
        status: int | None = None,
    ) -> None:
        if code is not None:
            self.code = code
        entry = CATALOGUE.get(self.code)
        doc = (type(self).__doc__ or "").strip().splitlines()
        default = entry.message if entry else (doc[0] if doc else self.code)
        self.message = message or default
        self.field = field
        self.details = details or {}
        self.status = status or (entry.status if entry else 500)
        super().__init__(self.message)


def http_status(code: str) -> int:
    """The HTTP status a code answers with (500 for an unknown code)."""
    entry = CATALOGUE.get(code)
    return entry.status if entry else 500


def family_for_path(path: str) -> Family:
    """Pick the wire format by URL, as DESIGN.md's seed table does."""
    if path.startswith("/api/v1/"):
        recon = ("/api/v1/clients", "/api/v1/connectors", "/api/v1/jobs", "/api/v1/trigger",
                 "/api/v1/users", "/api/v1/admin/stats", "/api/v1/admin/jobs")
        return Family.RECON if path.startswith(recon) else Family.B2B
    retail = ("/api/admin/fiscal", "/api/b2b", "/api/supplier", "/api/hardware", "/api/ai")
    if path.startswith(retail):
        return Family.RETAIL
    return Family.PIM


def _translate(family: Family, code: str) -> str:
    return _TRANSLATE.get(family, {}).get(code, code)


def render_seed000(code: str, message: str, *, details: Any = None,
                   request_id: str | None = None) -> dict[str, Any]:
    """PIM envelope ``{success:false, error:{code, message, details}, meta}``."""
    body: dict[str, Any] = {"code": _translate(Family.PIM, code), "message": message}
    if details:
        body["details"] = details
    return {"success": False, "error": body, "meta": {"requestId": request_id}}


def render_seed001(code: str, message: str, *, details: Any = None, field: str | None = None,
                   request_id: str | None = None) -> dict[str, Any]:
    """B2B envelope of seed 001 §15.1 with ``requestId`` inside the error."""
    body: dict[str, Any] = {"code": code, "message": message, "requestId": request_id}
    if details:
        body["details"] = details
    if field:
        body["field"] = field
    return {"success": False, "error": body}


def render_seed002(code: str, message: str, *, details: Any = None, field: str | None = None,
                   request_id: str | None = None) -> dict[str, Any]:
    """Reconciliation style: FastAPI's ``detail`` plus our stable ``code`` (and ``field``)."""
    if field and field not in message:
        message = f"{field}: {message}"
    body: dict[str, Any] = {"detail": message, "code": code}
    if field:
        body["field"] = field
    if details:
        body["errors"] = details
    if request_id:
        body["request_id"] = request_id
    return body


def render_seed003(code: str, message: str, *, details: Any = None,
                   field: str | None = None) -> dict[str, Any]:
    """Retail format ``{error, code, details}``."""
    det: dict[str, Any] = dict(details) if isinstance(details, dict) else {}
    if details is not None and not isinstance(details, dict):
        det["errors"] = details
    if field:
        det.setdefault("field", field)
        det.setdefault("message", message)
    return {"error": message, "code": _translate(Family.RETAIL, code), "details": det}


def render_error(family: Family, code: str, message: str, *, details: Any = None,
                 field: str | None = None, request_id: str | None = None) -> dict[str, Any]:
    """Render one error in the wire format of ``family``."""
    if family is Family.RETAIL:
        return render_seed003(code, message, details=details, field=field)
    if family is Family.RECON:
        return render_seed002(code, message, details=details, field=field,
                              request_id=request_id)
    if family is Family.PIM:
        return render_seed000(code, message, details=details, request_id=request_id)
    return render_seed001(code, message, details=details, field=field, request_id=request_id)
