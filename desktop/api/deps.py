"""Dependencies of the local API: the per-till bearer token."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.errors import TillbridgeError

__all__ = ["RequireToken", "require_token"]

_bearer = HTTPBearer(auto_error=False)


def require_token(
    request: Request,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Refuse a request without the till's token (constant-time compare)."""
    expected: str | None = request.app.state.token
    if expected is None:
        return
    if creds is None or not hmac.compare_digest(creds.credentials.encode(), expected.encode()):
        raise TillbridgeError("Missing or invalid till API token", code="AUTHENTICATION_FAILED",
                              status=401)


RequireToken = Depends(require_token)
