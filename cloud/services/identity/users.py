"""Users of a tenant (seed 001 §13.3–13.6): list, invite/create, update, delete.

Guards a mature admin needs: nobody grants scopes they lack, the last active admin cannot be
demoted, suspended or deleted, and nobody deletes or suspends themselves. Suspending or
deleting a user revokes their sessions at once. A delete is a deactivation unless
``hardDelete`` asks for the GDPR erase, which removes the row and anonymises the audit trail.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from cloud import audit, tenancy
from cloud.auth.hashing import PasswordPolicy, hash_password, new_token, sha256_hex
from cloud.auth.principal import Principal
from cloud.auth.rbac import Role, all_scopes
from cloud.errors import (
    AlreadyExists,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RefreshInvalid,
)
from cloud.models.audit import AuditLog
from cloud.models.identity import ApiKey, User, UserStatus
from cloud.models.tenancy import Tenant
from cloud.schemas.common import OffsetPagination, PageParams
from cloud.services.identity.api_keys import revoke_keys_of
from cloud.services.identity.auth import revoke_user_sessions
from cloud.services.identity.tenants import effective_settings, require_user_quota
from cloud.services.pagination import paginate
from shared.ids import uuid7

__all__ = [
    "NewUser",
    "accept_invite",
    "create_user",
    "delete_user",
    "get_user",
    "last_actions",
    "list_users",
    "normalize_email",
    "update_user",
]


def normalize_email(email: str, *, field: str = "email") -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidInput(str(exc), field=field, code="VAL_EMAIL_INVALID") from exc


@dataclass(frozen=True)
class NewUser:
    email: str
    first_name: str
    last_name: str
    role: str
    send_invite: bool = False
    temp_password: str | None = None
    permissions: tuple[str, ...] = ()
    metadata: dict[str, Any] | None = None


def _check_permissions(perms: tuple[str, ...] | list[str], actor: Principal | None) -> None:
    unknown = sorted(set(perms) - set(all_scopes()))
    if unknown:
        raise InvalidInput(f"Unknown permission(s): {', '.join(unknown)}", field="permissions",
                           code="VAL_INVALID_ENUM")
    if actor is not None:
        beyond = sorted(set(perms) - actor.permissions)
        if beyond:
            raise PermissionDenied("You cannot grant permissions you do not hold",
                                   details={"missing": beyond})


def _policy(tenant: Tenant) -> PasswordPolicy:
    return PasswordPolicy.from_settings(effective_settings(tenant).get("security"))


def create_user(*, session: Session, tenant: Tenant, data: NewUser, now: datetime,
                invite_ttl_s: int, actor: Principal | None = None,
                ) -> tuple[User, str | None]:
    """The new user and, for an invitation, the one-time invite token."""
    try:
        Role(data.role)
    except ValueError:
        raise InvalidInput(f"Unknown role {data.role!r}", field="role",
                           code="VAL_INVALID_ENUM") from None
    _check_permissions(data.permissions, actor)
    email = normalize_email(data.email)
    with tenancy.unscoped(session):  # e-mails are unique across tenants (login by e-mail)
        if session.scalar(select(User.id).where(User.email == email)) is not None:
            raise AlreadyExists("A user with this email already exists", field="email",
                                code="VAL_DUPLICATE")
    require_user_quota(session, tenant)
    user = User(id=uuid7(), tenant_id=tenant.id, email=email, first_name=data.first_name,
                last_name=data.last_name, role=data.role, permissions=sorted(data.permissions),
                meta=dict(data.metadata or {}), created_at=now, updated_at=now)
    token = None
    if data.temp_password:
        _policy(tenant).check(data.temp_password, field="tempPassword")
        user.password_hash = hash_password(data.temp_password)
        user.status = UserStatus.ACTIVE
    elif data.send_invite:
        token = new_token()
        user.status = UserStatus.INVITED
        user.invite_token_hash = sha256_hex(token)
        user.invite_expires_at = now + timedelta(seconds=invite_ttl_s)
    else:
        raise InvalidInput("Give a tempPassword or set sendInvite", field="tempPassword",
                           code="VAL_REQUIRED_FIELD")
    session.add(user)
    session.flush()
    return user, token


def get_user(session: Session, user_id: uuid.UUID) -> User:
    user = session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise NotFound("User not found")
    return user


def list_users(*, session: Session, params: PageParams, role: str | None = None,
               status: str | None = None, search: str | None = None,
               ) -> tuple[list[User], OffsetPagination]:
    stmt = select(User).where(User.deleted_at.is_(None))
    if role:
        stmt = stmt.where(User.role == role)
    if status:
        stmt = stmt.where(User.status == status)
    if search:
        like = f"%{search.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.email).like(like),
                              func.lower(User.first_name).like(like),
                              func.lower(User.last_name).like(like)))
    return paginate(session, stmt.order_by(User.created_at, User.id), params)


def last_actions(session: Session, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, datetime]:
    """When each user last did something recorded in the audit log."""
    if not user_ids:
        return {}
    rows = session.execute(select(AuditLog.actor_id, func.max(AuditLog.created_at))
                           .where(AuditLog.actor_id.in_(user_ids))
                           .group_by(AuditLog.actor_id))
    return {r[0]: r[1] for r in rows if r[0] is not None}


def _active_admins(session: Session) -> int:
    return int(session.scalar(select(func.count(User.id)).where(
        User.role == Role.ADMIN.value, User.status == UserStatus.ACTIVE.value,
        User.deleted_at.is_(None))) or 0)


def _guard_last_admin(session: Session, user: User) -> None:
    if (user.role == Role.ADMIN and user.status == UserStatus.ACTIVE
            and _active_admins(session) <= 1):
        raise Conflict("The tenant's last active admin cannot be demoted, suspended or deleted")


def update_user(*, session: Session, user_id: uuid.UUID, actor: Principal, now: datetime,
                changes: dict[str, Any]) -> bool:
    """Apply the fields present in ``changes`` (snake_case keys); True if anything changed."""
    user = get_user(session, user_id)
    if "permissions" in changes and changes["permissions"] is not None:
        _check_permissions(changes["permissions"], actor)
    losing_admin = (("role" in changes and changes["role"] != user.role)
                    or ("status" in changes and changes["status"] != user.status))
    if losing_admin:
        _guard_last_admin(session, user)
    if changes.get("status") == UserStatus.SUSPENDED and user.id == actor.id:
        raise Conflict("You cannot suspend yourself")
    for key in ("first_name", "last_name", "role", "status"):
        if changes.get(key) is not None:
            setattr(user, key, changes[key])
    if changes.get("permissions") is not None:
        user.permissions = sorted(set(changes["permissions"]))
    if changes.get("metadata") is not None:
        user.meta = dict(changes["metadata"])
    changed = session.is_modified(user)
    if user.status == UserStatus.SUSPENDED:
        revoke_user_sessions(session, user.id, now, "suspended")
        revoke_keys_of(session, user.id, now)
    session.flush()
    return changed


@dataclass(frozen=True)
class Deletion:
    hard: bool
    transferred_to: uuid.UUID | None
    tables: tuple[str, ...] = ()
    records_removed: int = 0
    logs_anonymized: int = 0


def delete_user(*, session: Session, user_id: uuid.UUID, actor: Principal, now: datetime,
                transfer_to: uuid.UUID | None = None, hard_delete: bool = False) -> Deletion:
    user = get_user(session, user_id)
    if user.id == actor.id:
        raise Conflict("You cannot delete yourself")
    if transfer_to is not None:
        target = session.get(User, transfer_to)
        if target is None or target.deleted_at is not None or target.id == user.id:
            raise InvalidInput("transferNegotiationsTo is not a user of this tenant",
                               field="transferNegotiationsTo", code="VAL_REFERENCE_INVALID")
    _guard_last_admin(session, user)
    revoke_user_sessions(session, user.id, now, "deleted")
    revoke_keys_of(session, user.id, now)
    if not hard_delete:
        audit.label(session, user, "user.deleted", f"Deactivated user {user.email}")
        user.status = UserStatus.INACTIVE
        user.deleted_at = now
        session.flush()
        return Deletion(hard=False, transferred_to=transfer_to)
    anonymized = session.execute(
        update(AuditLog).where(AuditLog.actor_id == user.id)
        .values(actor_email=None, actor_name=None, ip_address=None, user_agent=None)
        .execution_options(synchronize_session=False))
    scrubbed = session.execute(
        update(AuditLog).where(AuditLog.entity_id == str(user.id))
        .values(changes=None, description="Personal data erased")
        .execution_options(synchronize_session=False))
    session.execute(update(ApiKey).where(ApiKey.created_by == user.id).values(created_by=None)
                    .execution_options(synchronize_session=False))
    audit.label(session, user, "user.erased", "Erased a user's personal data (GDPR)",
                with_changes=False)
    session.delete(user)
    session.flush()
    return Deletion(hard=True, transferred_to=transfer_to,
                    tables=("users", "auth_sessions", "refresh_tokens"), records_removed=1,
                    logs_anonymized=int(anonymized.rowcount or 0)  # type: ignore[attr-defined]
                    + int(scrubbed.rowcount or 0))  # type: ignore[attr-defined]


def accept_invite(*, session: Session, token: str, password: str, now: datetime,
                  first_name: str | None = None, last_name: str | None = None) -> User:
    """Turn an invitation into an active account with the chosen password."""
    with tenancy.unscoped(session):
        user = session.scalar(select(User).where(User.invite_token_hash == sha256_hex(token)))
    if (user is None or user.status != UserStatus.INVITED or user.invite_expires_at is None
            or user.invite_expires_at <= now):
        raise RefreshInvalid("Invitation is invalid or has expired")
    tenancy.scope(session, user.tenant_id)
    tenant = session.get(Tenant, user.tenant_id)
    assert tenant is not None
    _policy(tenant).check(password)
    user.password_hash = hash_password(password)
    user.status = UserStatus.ACTIVE
    user.invite_token_hash = None
    user.invite_expires_at = None
    if first_name:
        user.first_name = first_name
    if last_name:
        user.last_name = last_name
    audit.set_context(session, audit.AuditContext(actor_type="user", actor_id=user.id,
                                                  actor_email=user.email))
    audit.label(session, user, "user.invite_accepted", f"{user.email} accepted the invitation")
    session.flush()
    return user
