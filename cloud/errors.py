"""The cloud's exception tree. Each class carries a stable code from ``shared.errors``.

::

    CloudError (TillbridgeError)
     ├── NotFound                RES_NOT_FOUND            404
     ├── AlreadyExists           RES_ALREADY_EXISTS       409
     ├── Conflict                BIZ_STATE_CONFLICT       409
     ├── InvalidInput            VAL_INVALID_FORMAT       422 (field-level, raised by services)
     ├── AuthError               AUTH_*                   401 (see the subclasses)
     │    ├── TokenMissing, TokenInvalid, TokenExpired, RefreshInvalid, MfaRequired,
     │    └── SessionExpired, InvalidCredentials, ApiKeyInvalid
     ├── IpBlocked               AUTH_IP_BLOCKED          403
     ├── PermissionDenied        AUTHZ_PERMISSION_DENIED  403
     └── RateLimited             RATE_LIMIT_EXCEEDED      429 (+ Retry-After)

The API layer renders any of them in the wire format of the request's path family
(``cloud/api/errors.py``); services never build HTTP responses.
"""

from __future__ import annotations

from typing import Any, ClassVar

from shared.errors import TillbridgeError

__all__ = [
    "AlreadyExists",
    "ApiKeyInvalid",
    "AuthError",
    "CloudError",
    "Conflict",
    "InvalidCredentials",
    "InvalidInput",
    "IpBlocked",
    "MfaRequired",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "RefreshInvalid",
    "SessionExpired",
    "TokenExpired",
    "TokenInvalid",
    "TokenMissing",
]


class CloudError(TillbridgeError):
    """A cloud failure with a stable code."""

    code = "SYS_INTERNAL_ERROR"
    headers: ClassVar[dict[str, str] | None] = None

    def __init__(self, message: str | None = None, *, headers: dict[str, str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        if headers:
            self.headers = headers


class NotFound(CloudError):
    """Resource not found."""

    code = "RES_NOT_FOUND"


class AlreadyExists(CloudError):
    """Resource already exists."""

    code = "RES_ALREADY_EXISTS"


class Conflict(CloudError):
    """The request conflicts with the resource's current state."""

    code = "BIZ_STATE_CONFLICT"


class InvalidInput(CloudError):
    """Field format is invalid."""

    code = "VAL_INVALID_FORMAT"


class AuthError(CloudError):
    """Authentication failed."""

    code = "AUTH_TOKEN_INVALID"
    headers: ClassVar[dict[str, str] | None] = {"WWW-Authenticate": "Bearer"}


class TokenMissing(AuthError):
    code = "AUTH_TOKEN_MISSING"


class TokenInvalid(AuthError):
    code = "AUTH_TOKEN_INVALID"


class TokenExpired(AuthError):
    code = "AUTH_TOKEN_EXPIRED"


class RefreshInvalid(AuthError):
    code = "AUTH_REFRESH_INVALID"


class MfaRequired(AuthError):
    code = "AUTH_MFA_REQUIRED"


class SessionExpired(AuthError):
    code = "AUTH_SESSION_EXPIRED"


class InvalidCredentials(AuthError):
    code = "AUTH_INVALID_CREDENTIALS"


class ApiKeyInvalid(AuthError):
    code = "AUTH_API_KEY_INVALID"
    headers: ClassVar[dict[str, str] | None] = {
        "WWW-Authenticate": 'ApiKey header="X-API-Key"'}


class IpBlocked(CloudError):
    code = "AUTH_IP_BLOCKED"


class PermissionDenied(CloudError):
    code = "AUTHZ_PERMISSION_DENIED"


class RateLimited(CloudError):
    code = "RATE_LIMIT_EXCEEDED"
