"""Dependencies of the local API: the per-till bearer token and the till's services.

Routes reach the till's collaborators through :data:`Services` — the
:class:`~desktop.app.TillServices` that :func:`desktop.api.app.create_app` was given — never
by building their own.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from desktop.app import TillServices
from shared.errors import TillbridgeError

__all__ = ["RequireToken", "Services", "require_token", "till_services"]

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


def till_services(request: Request) -> TillServices:
    """The services the app was built with."""
    services: TillServices = request.app.state.services
    return services


RequireToken = Depends(require_token)
Services = Annotated[TillServices, Depends(till_services)]
