"""The request pipeline around every route (pure ASGI, no per-request task overhead).

In order: request id (``X-Request-ID`` in, or a new ``req_<uuid7>``), structlog context, body
size limit (413 ``VAL_BODY_TOO_LARGE``), rate limit (``X-RateLimit-*`` on every response, 429
``RATE_LIMIT_EXCEEDED`` + ``Retry-After``), then the app; an exception nobody handled becomes a
500 in the family's format here, so it still carries the request id and the limit headers.
One access-log line per request with method, path, status, duration, tenant and user.
"""

from __future__ import annotations

import re
import time
from typing import Any

import anyio
import structlog
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cloud.api.errors import error_response, render_unexpected
from cloud.auth.hashing import hash_api_key, parse_api_key
from cloud.errors import AuthError
from cloud.models.tenancy import Tenant
from cloud.ratelimit import Decision, Identity
from cloud.runtime import Runtime
from cloud.services.identity.authn import lookup_api_key
from shared.ids import uuid7

__all__ = ["BodyTooLarge", "RequestMiddleware", "client_ip", "rate_identity"]

log = structlog.get_logger("cloud.access")
_RID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class BodyTooLarge(HTTPException):
    """Request body is too large."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"Request body exceeds {limit} bytes")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def client_ip(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


async def rate_identity(runtime: Runtime, scope: Scope) -> Identity | None:
    """Who the request claims to be, cheaply: a verified JWT or a known API key.

    The verified claims (or the verification error) go into the request state, so the auth
    dependency does not verify the signature a second time.
    """
    state = scope.setdefault("state", {})
    auth = _header(scope, b"authorization")
    if auth and auth[:7].lower() == "bearer ":
        token = auth[7:].strip()
        try:
            claims = runtime.keyring.verify(token, now=runtime.clock.now())
        except AuthError as exc:
            state["auth_error"] = (token, exc)
            return None
        state["jwt_claims"] = (token, claims)
        return Identity(bucket=f"user:{claims['sub']}", tenant_id=str(claims["tenantId"]),
                        plan=str(claims.get("plan", "professional")))
    key = _header(scope, b"x-api-key")
    if key and parse_api_key(key):
        digest = hash_api_key(key)
        cached = runtime.api_key_identities.get(digest, "miss")
        if cached == "miss":
            cached = await anyio.to_thread.run_sync(_key_identity, runtime, key)
            runtime.api_key_identities.set(digest, cached)
        return cached  # type: ignore[no-any-return]
    return None


def _key_identity(runtime: Runtime, key: str) -> Identity | None:
    with runtime.sessions() as session:
        row = lookup_api_key(session, key)
        if row is None:
            return None
        tenant = session.get(Tenant, row.tenant_id)
        plan = tenant.plan if tenant else "starter"
        return Identity(bucket=f"key:{row.id}", tenant_id=str(row.tenant_id), plan=plan,
                        per_minute=row.rate_limit)


class RequestMiddleware:
    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = self.runtime.settings
        state = scope.setdefault("state", {})
        incoming = _header(scope, b"x-request-id")
        rid = incoming if incoming and _RID.match(incoming) else f"req_{uuid7().hex}"
        state["request_id"] = rid
        state["started_at"] = time.perf_counter()
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=rid)
        extra: list[tuple[bytes, bytes]] = [(b"x-request-id", rid.encode())]
        status = {"code": 500, "started": False}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"], status["started"] = message["status"], True
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            if not await self._admit(scope, send_with_headers, extra):
                return
            await self.app(scope, self._limited(receive, body_limit(settings, scope["path"])),
                           send_with_headers)
        except BodyTooLarge as exc:
            if status["started"]:
                raise
            await self._send(error_response(scope, "VAL_BODY_TOO_LARGE", str(exc.detail),
                                             status=413), scope, send_with_headers)
        except Exception as exc:
            if status["started"]:
                raise
            await self._send(render_unexpected(scope, exc, debug=settings.debug), scope,
                             send_with_headers)
        finally:
            self._log(scope, status["code"])

    async def _admit(self, scope: Scope, send: Send, extra: list[tuple[bytes, bytes]]) -> bool:
        """Rate limit first (so even a refused request carries the headers), then URL and
        declared body size; False when a response has been sent instead of the app's."""
        if self.runtime.settings.rate_limit_enabled:
            identity = await rate_identity(self.runtime, scope)
            decision: Decision = await self.runtime.limiter.check(
                scope["method"], scope["path"], client_ip(scope), identity)
            scope["state"]["rate_limit"] = decision
            extra.extend((k.lower().encode(), v.encode())
                         for k, v in decision.headers().items())
            if not decision.allowed:
                u = decision.blocked_by
                details = {"limit": u.limit if u else None,
                           "window": f"{u.window} seconds" if u else None,
                           "retryAfter": decision.retry_after}
                await self._send(error_response(
                    scope, "RATE_LIMIT_EXCEEDED",
                    f"Rate limit exceeded. Try again in {decision.retry_after} seconds.",
                    status=429, details=details), scope, send)
                return False
        if b"%00" in scope.get("query_string", b"").lower() or "\x00" in scope["path"]:
            await self._send(error_response(scope, "VAL_INVALID_FORMAT",
                                            "NUL characters are not allowed in the URL",
                                            status=422), scope, send)
            return False
        limit = body_limit(self.runtime.settings, scope["path"])
        length = _header(scope, b"content-length")
        if length is not None and not length.isdigit():
            await self._send(error_response(scope, "BAD_REQUEST", "Invalid Content-Length",
                                            status=400), scope, send)
            return False
        if length is not None and int(length) > limit:
            await self._send(error_response(scope, "VAL_BODY_TOO_LARGE",
                                            f"Request body exceeds {limit} bytes",
                                            status=413), scope, send)
            return False
        return True

    @staticmethod
    async def _send(response: Any, scope: Scope, send: Send) -> None:
        async def no_body() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        await response(scope, no_body, send)

    @staticmethod
    def _limited(receive: Receive, limit: int) -> Receive:
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        return counted

    @staticmethod
    def _log(scope: Scope, status: int) -> None:
        state = scope.get("state", {})
        principal = state.get("principal")
        started = state.get("started_at")
        log.info("request", method=scope.get("method"), path=scope.get("path"), status=status,
                 duration_ms=round((time.perf_counter() - started) * 1000, 2) if started else None,
                 tenant_id=str(principal.tenant_id) if principal else None,
                 actor=f"{principal.kind}:{principal.id}" if principal else None)


UPLOAD_PATHS = ("/api/v1/products/import", "/api/supplier/products/import")


def body_limit(settings: Any, path: str) -> int:
    """Spreadsheet uploads get their own, larger limit; every other body the general one."""
    if path.rstrip("/") in UPLOAD_PATHS:
        return int(max(settings.max_upload_bytes, settings.max_body_bytes))
    return int(settings.max_body_bytes)
