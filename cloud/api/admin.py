"""``/api/v1/admin``: tenant configuration, users, audit log, system health (seed 001 §13)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from cloud.api.deps import RuntimeDep, SessionDep, TenantDep, require_scopes
from cloud.api.responses import PageDep, error_responses, ok
from cloud.auth.principal import Principal
from cloud.models.audit import AuditLog
from cloud.models.identity import User
from cloud.schemas.admin import (
    Activity,
    AuditEntry,
    AuditList,
    AuditMeta,
    AuditUser,
    Change,
    ConfigUpdate,
    DataDeleted,
    RoleName,
    SystemHealth,
    TenantConfig,
    Updated,
    UserCreate,
    UserCreated,
    UserDeleted,
    UserList,
    UserOut,
    UserUpdate,
)
from cloud.schemas.common import CursorPage, Envelope, IsoDateTime
from cloud.services import audit_log
from cloud.services.health import system_health
from cloud.services.identity import tenants, users

router = APIRouter(prefix="/api/v1/admin", tags=["admin"],
                   responses=error_responses())

UsersAdmin = Annotated[Principal, require_scopes("admin:users")]
SettingsAdmin = Annotated[Principal, require_scopes("admin:settings")]
AuditReader = Annotated[Principal, require_scopes("admin:audit")]


@router.get("/config", response_model=Envelope[TenantConfig])
def get_config(request: Request, session: SessionDep, tenant: TenantDep,
               _p: SettingsAdmin) -> Any:
    """The tenant's plan, features, limits and settings."""
    return ok(request, TenantConfig.model_validate(
        tenants.tenant_config(session=session, tenant=tenant)))


@router.put("/config", response_model=Envelope[Updated])
def put_config(body: ConfigUpdate, request: Request, session: SessionDep, tenant: TenantDep,
               _p: SettingsAdmin) -> Any:
    """Change branding, regional, defaults, notifications or security (partial update)."""
    patch = body.model_dump(exclude_unset=True, by_alias=True)
    changed = tenants.update_config(session=session, tenant=tenant, patch=patch)
    return ok(request, Updated(updated=changed))


def _user_out(user: User, last: datetime | None) -> UserOut:
    return UserOut(id=user.id, email=user.email, first_name=user.first_name,
                   last_name=user.last_name, role=user.role, status=user.status,
                   permissions=list(user.permissions or []), mfa_enabled=user.mfa_enabled,
                   last_login=user.last_login_at, created_at=user.created_at,
                   activity=Activity(last_action=last))


@router.get("/users", response_model=Envelope[UserList])
def list_users(
    request: Request, session: SessionDep, _p: UsersAdmin, page: PageDep,
    role: RoleName | None = None,
    status: Literal["active", "inactive", "invited", "suspended"] | None = None,
    search: Annotated[str | None, Query(max_length=100)] = None,
) -> Any:
    """Users of the tenant, filtered and paged."""
    rows, pagination = users.list_users(session=session, params=page, role=role,
                                        status=status, search=search)
    last = users.last_actions(session, [u.id for u in rows])
    return ok(request, UserList(users=[_user_out(u, last.get(u.id)) for u in rows],
                                pagination=pagination))


@router.post("/users", response_model=Envelope[UserCreated], status_code=201)
def create_user(body: UserCreate, request: Request, session: SessionDep, tenant: TenantDep,
                principal: UsersAdmin, runtime: RuntimeDep) -> Any:
    """Create a user with a temporary password, or invite them (a one-time link)."""
    data = users.NewUser(email=body.email, first_name=body.first_name,
                         last_name=body.last_name, role=body.role,
                         send_invite=body.send_invite, temp_password=body.temp_password,
                         permissions=tuple(body.permissions), metadata=body.metadata)
    user, token = users.create_user(session=session, tenant=tenant, data=data,
                                    now=runtime.clock.now(), actor=principal,
                                    invite_ttl_s=runtime.settings.invite_ttl_s)
    link = (f"{runtime.settings.public_url.rstrip('/')}/accept-invite?token={token}"
            if token else None)
    return ok(request, UserCreated(id=user.id, email=user.email, role=user.role,
                                   status=user.status, invite_link=link,  # type: ignore[arg-type]
                                   invite_expires_at=user.invite_expires_at,
                                   created_at=user.created_at))


@router.get("/users/{user_id}", response_model=Envelope[UserOut])
def get_user(user_id: uuid.UUID, request: Request, session: SessionDep,
             _p: UsersAdmin) -> Any:
    """One user of the tenant."""
    user = users.get_user(session, user_id)
    return ok(request, _user_out(user, users.last_actions(session, [user.id]).get(user.id)))


@router.put("/users/{user_id}", response_model=Envelope[Updated])
def update_user(user_id: uuid.UUID, body: UserUpdate, request: Request, session: SessionDep,
                principal: UsersAdmin, runtime: RuntimeDep) -> Any:
    """Change names, role, permissions, status (suspending revokes sessions) or metadata."""
    changed = users.update_user(session=session, user_id=user_id, actor=principal,
                                now=runtime.clock.now(),
                                changes=body.model_dump(exclude_unset=True, by_alias=False))
    return ok(request, Updated(updated=changed))


@router.delete("/users/{user_id}", response_model=Envelope[UserDeleted])
def delete_user(
    user_id: uuid.UUID, request: Request, session: SessionDep, principal: UsersAdmin,
    runtime: RuntimeDep,
    transfer_to: Annotated[uuid.UUID | None, Query(alias="transferNegotiationsTo")] = None,
    hard_delete: Annotated[bool, Query(alias="hardDelete")] = False,
) -> Any:
    """Deactivate a user, or erase them (``hardDelete``, GDPR) anonymising the audit log."""
    result = users.delete_user(session=session, user_id=user_id, actor=principal,
                               now=runtime.clock.now(), transfer_to=transfer_to,
                               hard_delete=hard_delete)
    data = (DataDeleted(tables=list(result.tables), records_removed=result.records_removed,
                        logs_anonymized=result.logs_anonymized) if result.hard else None)
    return ok(request, UserDeleted(deleted=True, transferred_items=[], data_deleted=data))


def _entry(row: AuditLog) -> AuditEntry:
    return AuditEntry(
        id=row.id, user=AuditUser(id=row.actor_id, email=row.actor_email, name=row.actor_name,
                                  type=row.actor_type),
        action=row.action, description=row.description, entity_type=row.entity_type,
        entity_id=row.entity_id,
        changes=[Change(field=c.get("field", ""), old_value=c.get("oldValue"),
                        new_value=c.get("newValue")) for c in row.changes or []] or None,
        metadata=AuditMeta(ip_address=row.ip_address, user_agent=row.user_agent,
                           session_id=row.session_id, request_id=row.request_id),
        timestamp=row.created_at)


@router.get("/audit", response_model=Envelope[AuditList])
def list_audit(
    request: Request, session: SessionDep, _p: AuditReader, page: PageDep,
    user_id: Annotated[uuid.UUID | None, Query(alias="userId")] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    entity_type: Annotated[str | None, Query(alias="entityType", max_length=64)] = None,
    entity_id: Annotated[str | None, Query(alias="entityId", max_length=64)] = None,
    start_date: Annotated[IsoDateTime | None, Query(alias="startDate")] = None,
    end_date: Annotated[IsoDateTime | None, Query(alias="endDate")] = None,
    ip_address: Annotated[str | None, Query(alias="ipAddress", max_length=64)] = None,
    pagination: Annotated[Literal["offset", "cursor"], Query()] = "offset",
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> Any:
    """Every write of the tenant, newest first; ``pagination=cursor`` (or a ``cursor``) for
    keyset pages that never skip entries written meanwhile."""
    filters = audit_log.AuditFilter(user_id=user_id, action=action, entity_type=entity_type,
                                    entity_id=entity_id, start_date=start_date,
                                    end_date=end_date, ip_address=ip_address)
    by_cursor = CursorPage(cursor=cursor, limit=page.limit) \
        if cursor or pagination == "cursor" else None
    rows, pager = audit_log.list_audit(session=session, filters=filters, page=page,
                                       cursor=by_cursor)
    return ok(request, AuditList(entries=[_entry(r) for r in rows], pagination=pager))


@router.get("/health", response_model=Envelope[SystemHealth])
def health(request: Request, session: SessionDep, _p: SettingsAdmin,
           runtime: RuntimeDep) -> Any:
    """Database, Redis, job queues, disk and uptime, for administrators."""
    doc = system_health(session=session, engine=runtime.engine, settings=runtime.settings,
                        now=runtime.clock.now(), started_at=runtime.started_at,
                        probes=runtime.health_probes)
    return ok(request, SystemHealth.model_validate(doc))
