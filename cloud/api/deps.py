"""Dependencies every cloud router uses. How a new family plugs in::

    from typing import Annotated
    from fastapi import APIRouter, Request
    from cloud.api.deps import CurrentPrincipal, SessionDep, TenantDep, require_scopes
    from cloud.api.responses import PageDep, error_responses, ok, paginated
    from cloud.schemas.common import Envelope, Paginated
    from cloud.schemas.things import ThingOut
    from cloud.services import things

    router = APIRouter(prefix="/api/v1/things", tags=["things"], responses=error_responses())

    @router.get("/{thing_id}", response_model=Envelope[ThingOut],
                dependencies=[require_scopes("products:read")])
    def get_thing(thing_id: uuid.UUID, request: Request, session: SessionDep) -> Any:
        thing = things.get_thing(session, thing_id=thing_id)  # tenant filter is automatic
        return ok(request, ThingOut.model_validate(thing))

* ``SessionDep``: a SQLAlchemy session committed when the route returns (before the response
  is sent) and rolled back on error. Once a principal dependency ran, it is bound to the
  caller's tenant: every ORM query sees only that tenant's rows, inserts get ``tenant_id``
  stamped, and writes are audited. Without a principal it refuses tenant-owned tables.
* ``CurrentPrincipal`` (user or API key) / ``CurrentUser`` (users only, the ``User`` row) /
  ``TenantDep`` (the caller's ``Tenant`` row): each authenticates the request
  (``Authorization: Bearer`` or ``X-API-Key``) and raises ``AUTH_*`` 401s itself.
* ``require_scopes("a:b", ...)``: authenticates and answers 403 ``AUTHZ_PERMISSION_DENIED``
  unless the caller holds every scope. Use it in ``dependencies=[...]`` or as a parameter
  (``principal: Annotated[Principal, require_scopes("a:b")]``). A scope not in
  ``cloud.auth.rbac.SCOPES`` is registered on first use and granted to ``admin`` only.
* ``ClockDep``, ``RuntimeDep``, ``SettingsDep``, ``RequestInfoDep``: the process's clock,
  runtime, settings and the request's id/IP/user agent.
* Raise ``cloud.errors`` exceptions (``NotFound``...) from services; ``cloud/api/errors.py``
  renders them in the path family's format. Add rate-limit rows in ``cloud/ratelimit.py`` and
  cross-tenant rows in ``tests/integration/cloud/platform/test_cross_tenant.py``.
* Rate limits apply to every route (seed 001: 30 writes/minute per user). Tests that make many
  calls as one user pass ``Settings(rate_limit_overrides={"v1-write": "1000/minute"})`` or
  ``Settings(rate_limit_enabled=False)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

import structlog
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from cloud import audit, tenancy
from cloud.api.middleware import client_ip
from cloud.auth import rbac
from cloud.auth.principal import Principal
from cloud.config import Settings
from cloud.errors import MfaRequired, PermissionDenied
from cloud.models.identity import User
from cloud.models.tenancy import Tenant
from cloud.runtime import Runtime
from cloud.services.identity.authn import authenticate, security_settings
from shared.clock import Clock

__all__ = [
    "ClockDep",
    "CurrentPrincipal",
    "CurrentUser",
    "MfaSetupPrincipal",
    "RequestInfo",
    "RequestInfoDep",
    "RuntimeDep",
    "SessionDep",
    "SettingsDep",
    "TenantDep",
    "get_principal",
    "get_session",
    "request_info",
    "require_scopes",
]

_bearer = HTTPBearer(auto_error=False, description="Access token from /api/v1/auth/login")
_api_key = APIKeyHeader(name="X-API-Key", auto_error=False,
                        description="sk_live_… / sk_test_… key from /api/v1/auth/api-keys")


async def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_settings_dep(runtime: RuntimeDep) -> Settings:
    return runtime.settings


async def get_clock(runtime: RuntimeDep) -> Clock:
    return runtime.clock


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
ClockDep = Annotated[Clock, Depends(get_clock)]


@dataclass(frozen=True)
class RequestInfo:
    request_id: str | None
    ip: str
    user_agent: str | None


def request_info(request: Request) -> RequestInfo:
    return RequestInfo(request_id=request.scope.get("state", {}).get("request_id"),
                       ip=client_ip(request.scope),
                       user_agent=(request.headers.get("user-agent") or "")[:256] or None)


async def get_request_info(request: Request) -> RequestInfo:
    return request_info(request)


RequestInfoDep = Annotated[RequestInfo, Depends(get_request_info)]


def get_session(runtime: RuntimeDep) -> Iterator[Session]:
    """One session per request: committed after the route returns, rolled back on error."""
    session = runtime.sessions()
    session.info["tenancy_strict"] = True
    session.info["clock"] = runtime.clock
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


async def _authenticate(request: Request, session: Session, runtime: Runtime,
                        bearer: HTTPAuthorizationCredentials | None,
                        api_key: str | None) -> tuple[Principal, Tenant]:
    state = request.scope.setdefault("state", {})
    cached = state.get("principal")
    if cached is not None:
        return cached, state["tenant"]
    token = bearer.credentials if bearer else None
    pre = state.get("jwt_claims")
    failed = state.get("auth_error")
    if token and failed and failed[0] == token:
        raise failed[1]
    claims = pre[1] if pre and pre[0] == token else None
    principal, tenant = await run_in_threadpool(
        lambda: authenticate(session=session, keyring=runtime.keyring, bearer=token,
                             api_key=api_key, ip=client_ip(request.scope),
                             now=runtime.clock.now(), claims=claims,
                             touch_interval_s=runtime.settings.api_key_touch_interval_s))
    info = request_info(request)
    audit.set_context(session, principal.audit_context(
        ip=info.ip, user_agent=info.user_agent, request_id=info.request_id))
    state["principal"], state["tenant"] = principal, tenant
    structlog.contextvars.bind_contextvars(tenant_id=str(principal.tenant_id),
                                           actor=f"{principal.kind}:{principal.id}")
    return principal, tenant


async def _principal_for_mfa_setup(
    request: Request, session: SessionDep, runtime: RuntimeDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    api_key: Annotated[str | None, Depends(_api_key)],
) -> Principal:
    principal, _tenant = await _authenticate(request, session, runtime, bearer, api_key)
    return principal


MfaSetupPrincipal = Annotated[Principal, Depends(_principal_for_mfa_setup)]


async def get_principal(principal: MfaSetupPrincipal, request: Request) -> Principal:
    """The caller; users of a tenant that requires 2FA must have enrolled first."""
    tenant: Tenant = request.scope["state"]["tenant"]
    if (principal.kind == "user" and not principal.mfa_enrolled
            and security_settings(tenant).get("requireTwoFactor")):
        raise MfaRequired("This tenant requires two-factor authentication: enrol first",
                          details={"enrollmentRequired": True,
                                   "enrollEndpoint": "/api/v1/auth/mfa/setup"})
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


async def get_tenant(principal: CurrentPrincipal, request: Request) -> Tenant:
    return request.scope["state"]["tenant"]  # type: ignore[no-any-return]


TenantDep = Annotated[Tenant, Depends(get_tenant)]


def get_current_user(principal: CurrentPrincipal, session: SessionDep) -> User:
    if principal.kind != "user":
        raise PermissionDenied("This action needs a user login, not an API key")
    user = session.get(User, principal.id)
    if user is None:  # deleted between authentication and now
        raise PermissionDenied("User no longer exists")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_scopes(*scopes: str) -> Any:
    """A dependency that authenticates and checks the caller holds every scope."""
    rbac.register_scopes(*scopes)
    needed = tuple(scopes)

    async def check(principal: CurrentPrincipal) -> Principal:
        missing = principal.missing(*needed)
        if missing:
            raise PermissionDenied(details={"required": list(needed), "missing": missing})
        return principal

    check.__name__ = "require_" + "_".join(s.replace(":", "_").replace("-", "_")
                                           for s in needed)
    return Depends(check)


def bind_tenant(session: Session, principal: Principal) -> None:
    """Bind a session made outside a request (e.g. a background task) to the caller."""
    tenancy.scope(session, principal.tenant_id)
