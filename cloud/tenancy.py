"""Tenant isolation, enforced once for every ORM query and write.

A :class:`TenantSession` carries its tenant in ``session.info``. Every ORM ``SELECT``,
``UPDATE`` and ``DELETE`` touching a :class:`~cloud.models.base.TenantMixin` model gets
``tenant_id = :tenant`` added (``with_loader_criteria``, aliases and relationship loads
included); the ``tenants`` table itself is narrowed to the tenant's own row. New rows get the
session's ``tenant_id`` stamped on flush, and a row of another tenant, or a change of
``tenant_id``, is refused with :class:`TenancyError`.

Request sessions are *strict*: until a principal scopes them, any query on a tenant-owned table
raises. Sessions made directly from ``session_factory`` (workers, CLI) are unscoped system
sessions; scope them with :func:`scope` / :func:`tenant_session`. Code that legitimately looks
across tenants (login by e-mail, API-key lookup by hash) says so with :func:`unscoped`.
Raw SQL (``text()``) and Core statements on ``Table`` objects are not filtered: the repository
path is the ORM.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker, with_loader_criteria

from cloud.models.base import TenantMixin
from cloud.models.tenancy import Tenant

__all__ = [
    "TenancyError",
    "TenantSession",
    "current_tenant",
    "scope",
    "tenant_session",
    "unscoped",
]

_TENANT = "tenant_id"
_STRICT = "tenancy_strict"
_UNSCOPED = "tenancy_unscoped"


class TenancyError(RuntimeError):
    """A query or write would cross tenants, or ran without a tenant where one is required."""


class TenantSession(Session):
    """A session whose ORM statements are filtered by ``info['tenant_id']``."""


def scope(session: Session, tenant_id: uuid.UUID) -> None:
    """Bind ``session`` to one tenant; it can then neither read nor write another's rows."""
    current = session.info.get(_TENANT)
    if current is not None and current != tenant_id:
        raise TenancyError("session is already bound to another tenant")
    session.info[_TENANT] = tenant_id


def current_tenant(session: Session) -> uuid.UUID | None:
    return session.info.get(_TENANT)


@contextmanager
def unscoped(session: Session) -> Iterator[Session]:
    """Look across tenants inside the block (identity lookups only)."""
    before = session.info.get(_UNSCOPED, False)
    session.info[_UNSCOPED] = True
    try:
        yield session
    finally:
        session.info[_UNSCOPED] = before


@contextmanager
def tenant_session(factory: sessionmaker[Session], tenant_id: uuid.UUID) -> Iterator[Session]:
    """A new session bound to ``tenant_id`` (for workers and scripts)."""
    with factory() as session:
        scope(session, tenant_id)
        yield session


def _is_tenant_owned(cls: Any) -> bool:
    return isinstance(cls, type) and (issubclass(cls, TenantMixin)
                                      or getattr(cls, "__tenant_key__", None) is not None)


@event.listens_for(TenantSession, "do_orm_execute")
def _filter_by_tenant(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete) or state.is_column_load:
        return
    info = state.session.info
    if info.get(_UNSCOPED):
        return
    tenant = info.get(_TENANT)
    if tenant is None:
        if info.get(_STRICT) and any(_is_tenant_owned(m.class_) for m in state.all_mappers):
            raise TenancyError("query on a tenant-owned table in a session without a tenant")
        return
    state.statement = state.statement.options(
        with_loader_criteria(TenantMixin, lambda cls: cls.tenant_id == tenant,
                             include_aliases=True),
        with_loader_criteria(Tenant, lambda cls: cls.id == tenant, include_aliases=True),
    )


@event.listens_for(TenantSession, "before_flush")
def _stamp_tenant(session: Session, _ctx: Any, _instances: Any) -> None:
    tenant = session.info.get(_TENANT)
    free = session.info.get(_UNSCOPED, False)
    for obj in session.new:
        if not isinstance(obj, TenantMixin):
            continue
        if obj.tenant_id is None:
            if tenant is None:
                raise TenancyError(f"new {type(obj).__name__} has no tenant_id and the "
                                   "session has no tenant")
            obj.tenant_id = tenant
        elif tenant is not None and obj.tenant_id != tenant and not free:
            raise TenancyError(f"new {type(obj).__name__} belongs to another tenant")
    for obj in session.dirty:
        if isinstance(obj, TenantMixin):
            hist = inspect(obj).attrs.tenant_id.history
            if hist.deleted and hist.deleted[0] is not None and hist.has_changes():
                raise TenancyError(f"{type(obj).__name__}.tenant_id cannot change")
