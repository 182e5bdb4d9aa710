"""The audit trail, written in the same transaction as the change it describes.

When a session carries an :class:`AuditContext` (every authenticated request does, the CLI
too), each flushed insert, update and delete of a tenant-owned model becomes an
:class:`~cloud.models.audit.AuditLog` row with a before/after summary: who, tenant, action,
entity, changed fields, request id, IP. Later families get it for free; a model opts out with
``__audit__ = False``. Secret columns (``info={"secret": True}`` or a secret-sounding name) show
``[redacted]``; noisy columns (``info={"audit": False}``) are left out. Entries are stamped by
the clock in ``session.info["clock"]`` when there is one (request sessions), else UTC now.
Services add semantic events (login, logout) with :func:`record` and name an entity change
with :func:`label`.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from cloud.models.audit import AuditLog
from cloud.models.base import TenantMixin, utcnow
from cloud.tenancy import TenantSession, current_tenant
from shared.ids import uuid7

__all__ = ["REDACTED", "AuditContext", "get_context", "label", "record", "set_context"]

REDACTED = "[redacted]"
_SECRETISH = re.compile(r"(password|secret|token|hash|api[_-]?key|private)", re.IGNORECASE)
_SKIP = {"id", "tenant_id", "created_at", "updated_at"}
_MAX_CHANGES = 50
_MAX_TEXT = 200


@dataclass(frozen=True)
class AuditContext:
    """Who is acting and from where; attached to a session with :func:`set_context`."""

    actor_type: str = "system"  # user | api_key | system
    actor_id: uuid.UUID | None = None
    actor_email: str | None = None
    actor_name: str | None = None
    ip: str | None = None
    user_agent: str | None = None
    session_id: str | None = None
    request_id: str | None = None


def set_context(session: Session, ctx: AuditContext) -> None:
    session.info["audit"] = ctx


def get_context(session: Session) -> AuditContext | None:
    return session.info.get("audit")


def label(session: Session, obj: Any, action: str, description: str = "", *,
          with_changes: bool = True) -> None:
    """Name the next flushed change of ``obj`` (e.g. ``user.deleted`` for a soft delete).

    ``with_changes=False`` records the event without the before/after values (GDPR erase).
    """
    session.info.setdefault("audit_labels", {})[id(obj)] = (action, description, with_changes)


def record(session: Session, *, action: str, entity_type: str, entity_id: Any = None,
           description: str = "", changes: list[dict[str, Any]] | None = None,
           tenant_id: uuid.UUID | None = None, ctx: AuditContext | None = None) -> AuditLog:
    """Add one audit entry to the session (written with the session's transaction)."""
    ctx = ctx or get_context(session) or AuditContext()
    clock = session.info.get("clock")
    entry = AuditLog(
        id=uuid7(), created_at=clock.now() if clock else utcnow(),
        tenant_id=tenant_id or current_tenant(session), actor_type=ctx.actor_type,
        actor_id=ctx.actor_id, actor_email=ctx.actor_email, actor_name=ctx.actor_name,
        action=action, description=description[:500], entity_type=entity_type,
        entity_id=str(entity_id) if entity_id is not None else None, changes=changes,
        ip_address=ctx.ip, user_agent=(ctx.user_agent or "")[:256] or None,
        session_id=ctx.session_id, request_id=ctx.request_id)
    session.add(entry)
    return entry


def _json(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return value if len(value) <= _MAX_TEXT else value[:_MAX_TEXT] + "…"
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return _json(value.value)
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in list(value.items())[:_MAX_CHANGES]}
    if isinstance(value, list | tuple | set):
        return [_json(v) for v in list(value)[:_MAX_CHANGES]]
    return str(value)[:_MAX_TEXT]


def _columns(obj: Any) -> list[tuple[str, Any, bool]]:
    """(attribute key, column, secret) for the audited columns of ``obj``."""
    out = []
    for attr in inspect(type(obj)).column_attrs:
        col = attr.columns[0]
        if attr.key in _SKIP or col.info.get("audit") is False:
            continue
        secret = bool(col.info.get("secret")) or bool(_SECRETISH.search(attr.key))
        out.append((attr.key, col, secret))
    return out


def _flatten(prefix: str, old: Any, new: Any, out: list[dict[str, Any]]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            _flatten(f"{prefix}.{key}", old.get(key), new.get(key), out)
        return
    if old != new:
        out.append({"field": prefix, "oldValue": _json(old), "newValue": _json(new)})


def _diff(obj: Any, *, mode: str) -> list[dict[str, Any]]:
    state = inspect(obj)
    changes: list[dict[str, Any]] = []
    for key, _col, secret in _columns(obj):
        hist = state.attrs[key].history
        if mode == "update" and not hist.has_changes():
            continue
        new = getattr(obj, key) if mode != "delete" else None
        old = (hist.deleted[0] if hist.deleted else None) if mode == "update" else None
        if mode == "delete":
            old = getattr(obj, key)
        if secret:
            if mode == "update" or (old is not None or new is not None):
                changes.append({"field": key, "oldValue": REDACTED if old is not None else None,
                                "newValue": REDACTED if new is not None else None})
            continue
        _flatten(key, old, new, changes)
    return changes[:_MAX_CHANGES]


def _entity(obj: Any) -> str:
    name = getattr(type(obj), "__audit_entity__", None) or type(obj).__name__
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _tenant_of(obj: Any, session: Session) -> uuid.UUID | None:
    if isinstance(obj, TenantMixin):
        return obj.tenant_id or current_tenant(session)
    key = getattr(type(obj), "__tenant_key__", None)
    return getattr(obj, key) if key else current_tenant(session)


def _audited(obj: Any) -> bool:
    cls = type(obj)
    if getattr(cls, "__audit__", True) is False:
        return False
    return isinstance(obj, TenantMixin) or getattr(cls, "__tenant_key__", None) is not None


@event.listens_for(TenantSession, "before_flush")
def _record_changes(session: Session, _ctx: Any, _instances: Any) -> None:
    ctx = get_context(session)
    if ctx is None:
        return
    labels: dict[int, tuple[str, str, bool]] = session.info.get("audit_labels", {})
    batches = (("create", "created", list(session.new)),
               ("update", "updated", [o for o in session.dirty
                                      if session.is_modified(o, include_collections=False)]),
               ("delete", "deleted", list(session.deleted)))
    for mode, verb, objs in batches:
        for obj in objs:
            if not _audited(obj):
                continue
            if mode == "create" and getattr(obj, "id", "") is None:
                obj.id = uuid7()
            changes = _diff(obj, mode=mode)
            if mode == "update" and not changes:
                continue
            entity = _entity(obj)
            action, description, keep = labels.pop(id(obj), (f"{entity}.{verb}", "", True))
            if not keep:
                changes = []
            tag = getattr(obj, "email", None) or getattr(obj, "name", None) or ""
            description = description or f"{verb.capitalize()} {entity.replace('_', ' ')} {tag}"
            record(session, action=action, entity_type=entity, entity_id=getattr(obj, "id", None),
                   description=description.strip(), changes=changes or None,
                   tenant_id=_tenant_of(obj, session), ctx=ctx)
