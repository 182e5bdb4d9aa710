"""Who is calling: turn a bearer JWT or an ``X-API-Key`` into a :class:`Principal`.

The JWT signature and expiry are checked without the database (tills do the same offline);
then the database decides whether the user, the login session, the token (``jti``) and the
tenant are still good, so a logout or a suspension takes effect at once.
"""

from __future__ import annotations

import ipaddress
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from cloud import tenancy
from cloud.auth.hashing import hash_api_key, parse_api_key
from cloud.auth.keys import Keyring
from cloud.auth.principal import Principal
from cloud.auth.rbac import permissions_for
from cloud.errors import (
    ApiKeyInvalid,
    IpBlocked,
    PermissionDenied,
    SessionExpired,
    TokenInvalid,
    TokenMissing,
)
from cloud.models.identity import ApiKey, AuthSession, RevokedToken, User, UserStatus
from cloud.models.tenancy import Tenant, TenantStatus

__all__ = ["authenticate", "check_ip_allowed", "lookup_api_key", "security_settings"]


def security_settings(tenant: Tenant) -> dict[str, Any]:
    return dict((tenant.settings or {}).get("security") or {})


def check_ip_allowed(tenant: Tenant, ip: str | None) -> None:
    """Refuse callers outside the tenant's ``security.ipWhitelist`` (when it has one)."""
    allowed = security_settings(tenant).get("ipWhitelist") or []
    if not allowed:
        return
    try:
        addr = ipaddress.ip_address(ip or "")
    except ValueError:
        raise IpBlocked() from None
    if not any(addr in ipaddress.ip_network(net, strict=False) for net in allowed):
        raise IpBlocked()


def _tenant(session: Session, tenant_id: uuid.UUID) -> Tenant:
    with tenancy.unscoped(session):
        tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        raise TokenInvalid()
    if tenant.status != TenantStatus.ACTIVE:
        raise PermissionDenied("Tenant is suspended")
    return tenant


def lookup_api_key(session: Session, key: str) -> ApiKey | None:
    """The stored key for ``key`` in any tenant (by hash), or None."""
    if parse_api_key(key) is None:
        return None
    with tenancy.unscoped(session):
        return session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_api_key(key)))


def _from_api_key(session: Session, key: str, *, now: datetime,
                  touch_interval_s: int) -> tuple[Principal, Tenant]:
    row = lookup_api_key(session, key)
    if row is None or row.revoked_at is not None:
        raise ApiKeyInvalid()
    if row.expires_at is not None and row.expires_at <= now:
        raise ApiKeyInvalid("API key has expired")
    if not row.service and row.created_by is not None:
        with tenancy.unscoped(session):
            creator = session.get(User, row.created_by)
        if creator is None or creator.deleted_at is not None or creator.status in (
                UserStatus.INACTIVE, UserStatus.SUSPENDED):
            raise ApiKeyInvalid("API key's creator is no longer active")
    tenant = _tenant(session, row.tenant_id)
    tenancy.scope(session, tenant.id)
    if row.last_used_at is None or now - row.last_used_at >= timedelta(seconds=touch_interval_s):
        session.execute(update(ApiKey).where(ApiKey.id == row.id).values(last_used_at=now))
        session.commit()
        row.last_used_at = now
    principal = Principal(kind="api_key", id=row.id, tenant_id=row.tenant_id,
                          permissions=frozenset(row.scopes or ()), name=row.name,
                          user_id=row.created_by, key_mode=row.mode, rate_limit=row.rate_limit,
                          token_expires_at=row.expires_at)
    return principal, tenant


def _from_jwt(session: Session, claims: dict[str, Any], *, now: datetime,
              ) -> tuple[Principal, Tenant, User]:
    try:
        tenant_id = uuid.UUID(str(claims["tenantId"]))
        user_id = uuid.UUID(str(claims["sub"]))
        sid = uuid.UUID(str(claims["sid"])) if claims.get("sid") else None
    except (KeyError, ValueError):
        raise TokenInvalid() from None
    tenancy.scope(session, tenant_id)
    # One round trip for the user, its tenant, the login session and the revocation list.
    row = session.execute(
        select(User, Tenant, AuthSession, RevokedToken.jti)
        .join(Tenant, Tenant.id == User.tenant_id)
        .outerjoin(AuthSession, and_(AuthSession.id == sid, AuthSession.user_id == User.id))
        .outerjoin(RevokedToken, RevokedToken.jti == str(claims["jti"]))
        .where(User.id == user_id)).first()
    if row is None:
        raise TokenInvalid()
    user, tenant, login, revoked = row
    if tenant.status != TenantStatus.ACTIVE:
        raise PermissionDenied("Tenant is suspended")
    if user.status != UserStatus.ACTIVE or user.deleted_at is not None:
        raise TokenInvalid("User is not active")
    if revoked is not None:
        raise TokenInvalid("Token has been revoked")
    if sid is not None:
        if login is None or login.revoked_at is not None:
            raise TokenInvalid("Token has been revoked")
        if login.expires_at <= now:
            raise SessionExpired()
    principal = Principal(
        kind="user", id=user.id, tenant_id=tenant.id, email=user.email, name=user.name,
        roles=(user.role,), permissions=permissions_for(user.role, user.permissions or []),
        user_id=user.id, session_id=sid, jti=str(claims["jti"]),
        token_expires_at=datetime.fromtimestamp(float(claims["exp"]), tz=now.tzinfo),
        mfa_enrolled=user.mfa_enabled)
    return principal, tenant, user


def authenticate(*, session: Session, keyring: Keyring, bearer: str | None,
                 api_key: str | None, ip: str | None, now: datetime,
                 claims: dict[str, Any] | None = None, touch_interval_s: int = 60,
                 ) -> tuple[Principal, Tenant]:
    """Resolve the caller, bind ``session`` to its tenant, or raise an ``AuthError``.

    ``claims`` are the access token's already-verified claims (the rate limiter verifies the
    signature first and passes them on so it is not done twice).
    """
    if bearer:
        verified = claims if claims is not None else keyring.verify(bearer, now=now)
        principal, tenant, _user = _from_jwt(session, verified, now=now)
    elif api_key:
        principal, tenant = _from_api_key(session, api_key, now=now,
                                          touch_interval_s=touch_interval_s)
    else:
        raise TokenMissing()
    check_ip_allowed(tenant, ip)
    return principal, tenant
