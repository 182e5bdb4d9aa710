"""``/api/v1/auth``: login, refresh, logout, API keys, TOTP enrolment, invitations, JWKS."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from cloud.api.deps import (
    ClockDep,
    CurrentUser,
    MfaSetupPrincipal,
    RequestInfoDep,
    RuntimeDep,
    SessionDep,
    require_scopes,
)
from cloud.api.responses import PageDep, error_responses, ok, paginated
from cloud.auth.principal import Principal
from cloud.errors import AuthError, PermissionDenied
from cloud.schemas.auth import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyOut,
    InviteAccept,
    Jwks,
    LoginRequest,
    LoginResponse,
    LoginUser,
    LogoutRequest,
    LogoutResponse,
    MfaCode,
    MfaDisable,
    MfaSetup,
    MfaStatus,
    RefreshRequest,
    RefreshResponse,
)
from cloud.schemas.common import Envelope, Paginated
from cloud.services.identity import api_keys, tenants
from cloud.services.identity import auth as auth_service
from cloud.services.identity import mfa as mfa_service
from cloud.services.identity import users as user_service
from cloud.services.identity.auth import Client

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], responses=error_responses())

ApiKeysAdmin = Annotated[Principal, require_scopes("admin:api-keys")]


def _client(info: Any) -> Client:
    return Client(ip=info.ip, user_agent=info.user_agent, request_id=info.request_id)


@router.post("/login", response_model=Envelope[LoginResponse],
             responses=error_responses(statuses=(423,)))
def login(body: LoginRequest, request: Request, session: SessionDep, runtime: RuntimeDep,
          info: RequestInfoDep) -> Any:
    """Exchange e-mail and password (and a TOTP code when enrolled) for tokens."""
    tokens = auth_service.login(
        session=session, keyring=runtime.keyring, settings=runtime.settings,
        now=runtime.clock.now(), email=body.email, password=body.password,
        mfa_code=body.mfa_code, device_id=body.device_id, client=_client(info))
    user = LoginUser(id=tokens.user.id, email=tokens.user.email, name=tokens.user.name,
                     roles=[tokens.user.role], tenant_id=tokens.tenant.id,
                     tenant_name=tokens.tenant.name)
    return ok(request, LoginResponse(access_token=tokens.access_token,
                                     refresh_token=tokens.refresh_token,
                                     expires_in=tokens.expires_in, user=user))


@router.post("/refresh", response_model=Envelope[RefreshResponse])
def refresh(body: RefreshRequest, request: Request, session: SessionDep, runtime: RuntimeDep,
            info: RequestInfoDep) -> Any:
    """Rotate a refresh token; replaying a rotated one revokes its whole session."""
    tokens = auth_service.refresh(
        session=session, keyring=runtime.keyring, settings=runtime.settings,
        now=runtime.clock.now(), refresh_token=body.refresh_token, client=_client(info))
    return ok(request, RefreshResponse(access_token=tokens.access_token,
                                       refresh_token=tokens.refresh_token,
                                       expires_in=tokens.expires_in))


def _bearer_claims(request: Request, runtime: Any) -> dict[str, Any] | None:
    """Claims of a valid bearer token on the request, if any (logout revokes its ``jti``)."""
    header = request.headers.get("authorization", "")
    if header[:7].lower() != "bearer ":
        return None
    try:
        return runtime.keyring.verify(header[7:].strip(), now=runtime.clock.now())  # type: ignore[no-any-return]
    except AuthError:
        return None


@router.post("/logout", response_model=Envelope[LogoutResponse])
def logout(body: LogoutRequest, request: Request, session: SessionDep, runtime: RuntimeDep,
           info: RequestInfoDep) -> Any:
    """Log out this device (the refresh token's session) or, with ``allDevices``, all."""
    count = auth_service.logout(
        session=session, keyring=runtime.keyring, now=runtime.clock.now(),
        refresh_token=body.refresh_token, all_devices=body.all_devices, client=_client(info),
        access_claims=_bearer_claims(request, runtime))
    return ok(request, LogoutResponse(logged_out=True, sessions_revoked=count))


@router.post("/api-keys", response_model=Envelope[ApiKeyCreated], status_code=201)
def create_api_key(body: ApiKeyCreate, request: Request, session: SessionDep,
                   principal: ApiKeysAdmin, clock: ClockDep) -> Any:
    """Issue an API key; the key is in this response only, the server keeps its hash."""
    row, key = api_keys.create_api_key(
        session=session, principal=principal, name=body.name, scopes=body.scopes,
        expires_at=body.expires_at, rate_limit=body.rate_limit, mode=body.mode,
        service=body.service, now=clock.now())
    return ok(request, ApiKeyCreated(id=row.id, key=key, name=row.name, prefix=row.prefix,
                                     scopes=row.scopes, rate_limit=row.rate_limit,
                                     expires_at=row.expires_at, created_at=row.created_at,
                                     service=row.service))


@router.get("/api-keys", response_model=Paginated[ApiKeyOut])
def list_api_keys(request: Request, session: SessionDep, _p: ApiKeysAdmin,
                  page: PageDep) -> Any:
    """The tenant's API keys (never the keys themselves)."""
    rows, pagination = api_keys.list_api_keys(session=session, params=page)
    return paginated(request, [ApiKeyOut.model_validate(r) for r in rows], pagination)


@router.delete("/api-keys/{key_id}", response_model=Envelope[ApiKeyOut])
def revoke_api_key(key_id: uuid.UUID, request: Request, session: SessionDep,
                   _p: ApiKeysAdmin, runtime: RuntimeDep) -> Any:
    """Revoke a key at once (it answers ``AUTH_API_KEY_INVALID`` from now on)."""
    row = api_keys.revoke_api_key(session=session, key_id=key_id, now=runtime.clock.now())
    runtime.api_key_identities.pop(row.key_hash)
    return ok(request, ApiKeyOut.model_validate(row))


@router.get("/jwks", response_model=Jwks, responses={})
async def jwks(runtime: RuntimeDep, response: Response) -> Any:
    """Public keys that verify access tokens (tills verify them offline)."""
    response.headers["Cache-Control"] = "public, max-age=300"
    return await run_in_threadpool(lambda: runtime.keyring.jwks())


def _user_only(principal: Principal) -> None:
    if principal.kind != "user":
        raise PermissionDenied("This action needs a user login, not an API key")


@router.post("/mfa/setup", response_model=Envelope[MfaSetup])
def mfa_setup(request: Request, session: SessionDep, principal: MfaSetupPrincipal,
              runtime: RuntimeDep) -> Any:
    """Start TOTP enrolment: returns a secret to add to an authenticator app."""
    _user_only(principal)
    user = user_service.get_user(session, principal.id)
    secret, uri = mfa_service.start(session=session, keyring=runtime.keyring, user=user)
    return ok(request, MfaSetup(secret=secret, otpauth_uri=uri))


@router.post("/mfa/enable", response_model=Envelope[MfaStatus])
def mfa_enable(body: MfaCode, request: Request, session: SessionDep,
               principal: MfaSetupPrincipal, runtime: RuntimeDep) -> Any:
    """Confirm enrolment with a code from the authenticator; later logins need a code."""
    _user_only(principal)
    user = user_service.get_user(session, principal.id)
    mfa_service.confirm(session=session, keyring=runtime.keyring, user=user, code=body.code,
                        now=runtime.clock.now())
    return ok(request, MfaStatus(mfa_enabled=True))


@router.post("/mfa/disable", response_model=Envelope[MfaStatus])
def mfa_disable(body: MfaDisable, request: Request, session: SessionDep, user: CurrentUser,
                runtime: RuntimeDep) -> Any:
    """Turn TOTP off (password and a current code required)."""
    mfa_service.disable(session=session, keyring=runtime.keyring, user=user, code=body.code,
                        password=body.password, now=runtime.clock.now())
    return ok(request, MfaStatus(mfa_enabled=False))


@router.post("/invite/accept", response_model=Envelope[LoginUser])
def accept_invite(body: InviteAccept, request: Request, session: SessionDep,
                  runtime: RuntimeDep) -> Any:
    """Activate an invited account by choosing a password (then log in as usual)."""
    user = user_service.accept_invite(session=session, token=body.token,
                                      password=body.password, now=runtime.clock.now(),
                                      first_name=body.first_name, last_name=body.last_name)
    tenant = tenants.get_tenant(session, user.tenant_id)
    return ok(request, LoginUser(id=user.id, email=user.email, name=user.name,
                                 roles=[user.role], tenant_id=user.tenant_id,
                                 tenant_name=tenant.name if tenant else ""))
