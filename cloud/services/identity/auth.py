"""Login, token refresh with rotation and reuse detection, logout.

Each login opens an :class:`AuthSession` (one device); its refresh tokens form a family. A
refresh token is good once: refreshing marks it used (a conditional UPDATE, so two racing
refreshes cannot both win) and issues the next one. Presenting a used token again means it was
stolen or replayed, so the whole family is revoked. Access tokens name their session (``sid``)
and are refused as soon as it is revoked.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NoReturn

import structlog
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from cloud import audit, tenancy
from cloud.audit import AuditContext
from cloud.auth import mfa
from cloud.auth.hashing import check_password, hash_password, needs_rehash, new_token
from cloud.auth.keys import Keyring
from cloud.auth.principal import Principal
from cloud.auth.rbac import permissions_for
from cloud.config import Settings
from cloud.errors import (
    InvalidCredentials,
    MfaRequired,
    PermissionDenied,
    RefreshInvalid,
    SessionExpired,
)
from cloud.models.identity import AuthSession, RefreshToken, RevokedToken, User, UserStatus
from cloud.models.tenancy import Tenant, TenantStatus
from cloud.services.identity.authn import check_ip_allowed, security_settings
from shared.ids import uuid7

__all__ = [
    "Client",
    "Tokens",
    "issue_access_token",
    "login",
    "logout",
    "purge_expired",
    "refresh",
    "revoke_user_sessions",
]

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Client:
    """Where a request came from (for sessions and the audit log)."""

    ip: str | None = None
    user_agent: str | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int
    user: User
    tenant: Tenant


def issue_access_token(keyring: Keyring, settings: Settings, *, user: User, tenant: Tenant,
                       session_id: uuid.UUID, now: datetime) -> str:
    """A seed 001 §2.1 access token (plus ``sid``, ``typ`` and ``plan``)."""
    iat = int(now.timestamp())
    return keyring.sign({
        "sub": str(user.id), "tenantId": str(tenant.id), "email": user.email,
        "roles": [user.role],
        "permissions": sorted(permissions_for(user.role, user.permissions or [])),
        "iat": iat, "exp": iat + settings.access_token_ttl_s, "jti": uuid7().hex,
        "sid": str(session_id), "typ": "access", "plan": tenant.plan,
    })


def _new_refresh(session: Session, keyring: Keyring, login: AuthSession, now: datetime) -> str:
    token = new_token()
    session.add(RefreshToken(id=uuid7(), tenant_id=login.tenant_id, session_id=login.id,
                             token_hash=keyring.hash_refresh(token), created_at=now,
                             expires_at=login.expires_at))
    return token


def _actor(user: User, client: Client, session_id: uuid.UUID | None = None) -> AuditContext:
    return AuditContext(actor_type="user", actor_id=user.id, actor_email=user.email,
                        actor_name=user.name, ip=client.ip, user_agent=client.user_agent,
                        session_id=str(session_id) if session_id else None,
                        request_id=client.request_id)


def _tenant_of(session: Session, user: User) -> Tenant:
    tenant = session.get(Tenant, user.tenant_id)
    if tenant is None or tenant.status != TenantStatus.ACTIVE:
        raise PermissionDenied("Tenant is suspended")
    return tenant


def _fail_login(session: Session, settings: Settings, user: User, client: Client,
                now: datetime, reason: str) -> None:
    user.failed_logins = (user.failed_logins or 0) + 1
    locked = user.failed_logins >= settings.login_max_failures
    if locked:
        user.locked_until = now + timedelta(seconds=settings.login_lockout_s)
        user.failed_logins = 0
    ctx = AuditContext(actor_type="anonymous", actor_email=user.email, ip=client.ip,
                       user_agent=client.user_agent, request_id=client.request_id)
    audit.record(session, action="auth.login_failed", entity_type="user", entity_id=user.id,
                 description=f"Failed login ({reason}){'; account locked' if locked else ''}",
                 tenant_id=user.tenant_id, ctx=ctx)
    session.commit()


def _refuse_locked(session: Session, user: User, client: Client) -> NoReturn:
    """A locked account answers exactly like a wrong password, even to the right one.

    A distinct answer (it used to be 423 ``AUTH_ACCOUNT_LOCKED``) told anyone which e-mails have
    accounts and when guessing had locked one; the password was hashed before getting here, so
    the time taken does not tell them apart either. The lockout does not grow while it lasts:
    further attempts are recorded for the admins, not counted.
    """
    ctx = AuditContext(actor_type="anonymous", actor_email=user.email, ip=client.ip,
                       user_agent=client.user_agent, request_id=client.request_id)
    audit.record(session, action="auth.login_failed", entity_type="user", entity_id=user.id,
                 description="Failed login (account locked)", tenant_id=user.tenant_id,
                 ctx=ctx)
    session.commit()
    raise InvalidCredentials()


def login(*, session: Session, keyring: Keyring, settings: Settings, now: datetime,
          email: str, password: str, mfa_code: str | None, device_id: str | None,
          client: Client) -> Tokens:
    with tenancy.unscoped(session):
        user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        check_password(None, password)  # same cost as a real check
        raise InvalidCredentials()
    tenancy.scope(session, user.tenant_id)
    password_ok = check_password(user.password_hash, password)  # hashed even when locked
    if user.locked_until is not None and user.locked_until > now:
        _refuse_locked(session, user, client)
    if not password_ok:
        _fail_login(session, settings, user, client, now, "password")
        raise InvalidCredentials()
    if user.status != UserStatus.ACTIVE or user.deleted_at is not None:
        raise InvalidCredentials(f"Account is {user.status}")
    tenant = _tenant_of(session, user)
    check_ip_allowed(tenant, client.ip)
    if user.mfa_enabled:
        if not mfa_code:
            raise MfaRequired(details={"mfaCodeField": "mfaCode"})
        step = mfa.verify(keyring.decrypt(user.mfa_secret or ""), mfa_code, now=now,
                          last_step=user.mfa_last_step)
        if step is None:
            _fail_login(session, settings, user, client, now, "mfa code")
            raise InvalidCredentials("Invalid or already used MFA code")
        user.mfa_last_step = step
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    login_row = AuthSession(id=uuid7(), tenant_id=user.tenant_id, user_id=user.id,
                            device_id=device_id, ip=client.ip, user_agent=client.user_agent,
                            created_at=now, last_used_at=now,
                            expires_at=now + timedelta(seconds=settings.refresh_token_ttl_s))
    purge_expired(session, now)
    session.add(login_row)
    refresh_token = _new_refresh(session, keyring, login_row, now)
    access = issue_access_token(keyring, settings, user=user, tenant=tenant,
                                session_id=login_row.id, now=now)
    audit.record(session, action="auth.login", entity_type="user", entity_id=user.id,
                 description=f"Logged in{f' on device {device_id}' if device_id else ''}",
                 tenant_id=user.tenant_id, ctx=_actor(user, client, login_row.id))
    session.commit()
    return Tokens(access, refresh_token, settings.access_token_ttl_s, user, tenant)


def _revoke_family(session: Session, login_row: AuthSession, now: datetime, reason: str) -> None:
    if login_row.revoked_at is None:
        login_row.revoked_at = now
        login_row.revoked_reason = reason


def _find_refresh(session: Session, keyring: Keyring, token: str,
                  ) -> tuple[RefreshToken, AuthSession]:
    with tenancy.unscoped(session):
        row = session.scalar(select(RefreshToken).where(
            RefreshToken.token_hash == keyring.hash_refresh(token)))
        login_row = session.get(AuthSession, row.session_id) if row else None
    if row is None or login_row is None:
        raise RefreshInvalid()
    tenancy.scope(session, row.tenant_id)
    return row, login_row


def refresh(*, session: Session, keyring: Keyring, settings: Settings, now: datetime,
            refresh_token: str, client: Client) -> Tokens:
    row, login_row = _find_refresh(session, keyring, refresh_token)
    user = session.get(User, login_row.user_id)
    if row.used_at is not None:
        _on_reuse(session, login_row, user, client, now)
    if login_row.revoked_at is not None:
        raise RefreshInvalid("Session has been revoked")
    if row.expires_at <= now or login_row.expires_at <= now:
        raise SessionExpired()
    if user is None or user.status != UserStatus.ACTIVE or user.deleted_at is not None:
        _revoke_family(session, login_row, now, "user_inactive")
        session.commit()
        raise RefreshInvalid("User is not active")
    tenant = _tenant_of(session, user)
    check_ip_allowed(tenant, client.ip)
    idle_min = security_settings(tenant).get("sessionTimeout")
    if idle_min and now - login_row.last_used_at > timedelta(minutes=int(idle_min)):
        _revoke_family(session, login_row, now, "idle_timeout")
        session.commit()
        raise SessionExpired()
    claimed = session.execute(
        update(RefreshToken).where(RefreshToken.id == row.id, RefreshToken.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]  # lost a race: a replay
        session.rollback()
        _on_reuse(session, login_row, user, client, now)
    login_row.last_used_at = now
    new_refresh = _new_refresh(session, keyring, login_row, now)
    access = issue_access_token(keyring, settings, user=user, tenant=tenant,
                                session_id=login_row.id, now=now)
    session.commit()
    return Tokens(access, new_refresh, settings.access_token_ttl_s, user, tenant)


def _on_reuse(session: Session, login_row: AuthSession, user: User | None, client: Client,
              now: datetime) -> None:
    """A rotated token came back: revoke the family, record it, refuse."""
    _revoke_family(session, login_row, now, "refresh_reuse")
    ctx = _actor(user, client, login_row.id) if user else AuditContext(ip=client.ip)
    audit.record(session, action="auth.refresh_reuse_detected", entity_type="auth_session",
                 entity_id=login_row.id, tenant_id=login_row.tenant_id, ctx=ctx,
                 description="A rotated refresh token was replayed; the session was revoked")
    session.commit()
    log.warning("refresh_token_reuse", session_id=str(login_row.id))
    raise RefreshInvalid("Refresh token reuse detected; the session has been revoked")


def logout(*, session: Session, keyring: Keyring, now: datetime, refresh_token: str,
           all_devices: bool, client: Client, access_claims: dict[str, Any] | None = None,
           ) -> int:
    """Revoke the token's session (or every session of its user); returns how many."""
    _row, login_row = _find_refresh(session, keyring, refresh_token)
    user = session.get(User, login_row.user_id)
    if access_claims and access_claims.get("sub") != str(login_row.user_id):
        raise RefreshInvalid()
    if all_devices:
        result = session.execute(
            update(AuthSession)
            .where(AuthSession.user_id == login_row.user_id, AuthSession.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason="logout_all")
            .execution_options(synchronize_session="fetch"))
        count = int(result.rowcount or 0)  # type: ignore[attr-defined]
    else:
        count = 1 if login_row.revoked_at is None else 0
        _revoke_family(session, login_row, now, "logout")
    if access_claims and access_claims.get("jti"):
        jti = str(access_claims["jti"])
        if session.get(RevokedToken, jti) is None:
            session.add(RevokedToken(jti=jti, tenant_id=login_row.tenant_id, revoked_at=now,
                                     expires_at=datetime.fromtimestamp(
                                         float(access_claims["exp"]), tz=now.tzinfo)))
    if user is not None:
        audit.record(session, action="auth.logout_all" if all_devices else "auth.logout",
                     entity_type="user", entity_id=user.id, tenant_id=login_row.tenant_id,
                     description=f"Logged out ({count} session(s) revoked)",
                     ctx=_actor(user, client, login_row.id))
    session.commit()
    return count


def purge_expired(session: Session, now: datetime, *, grace: timedelta = timedelta(days=1),
                  ) -> int:
    """Delete the scoped tenant's dead sessions (their refresh tokens cascade) and revoked
    access-token ids past their expiry; run on every login so the tables stay small."""
    gone = session.execute(delete(RevokedToken).where(RevokedToken.expires_at < now)
                           .execution_options(synchronize_session=False))
    dead = session.execute(delete(AuthSession).where(
        or_(AuthSession.expires_at < now - grace, AuthSession.revoked_at < now - grace))
        .execution_options(synchronize_session=False))
    return int(gone.rowcount or 0) + int(dead.rowcount or 0)  # type: ignore[attr-defined]


def revoke_user_sessions(session: Session, user_id: uuid.UUID, now: datetime,
                         reason: str) -> int:
    """Revoke every open session of a user (suspension, deletion, password change)."""
    result = session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
        .execution_options(synchronize_session="fetch"))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def principal_user(session: Session, principal: Principal) -> User:
    user = session.get(User, principal.id) if principal.kind == "user" else None
    if user is None:
        raise PermissionDenied("This action needs a user login, not an API key")
    return user
