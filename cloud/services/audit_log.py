"""Reading the audit log (seed 001 §13.7) with filters, by page or by cursor."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from cloud.models.audit import AuditLog
from cloud.schemas.common import CursorPage, CursorPagination, OffsetPagination, PageParams
from cloud.services.pagination import keyset_page, paginate

__all__ = ["AuditFilter", "list_audit"]


@dataclass(frozen=True)
class AuditFilter:
    user_id: uuid.UUID | None = None
    action: str | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    ip_address: str | None = None

    def apply(self, stmt: Select[Any]) -> Select[Any]:
        if self.user_id:
            stmt = stmt.where(AuditLog.actor_id == self.user_id)
        if self.action:
            # "user.*" lists every user action; otherwise an exact match.
            if self.action.endswith(".*"):
                stmt = stmt.where(AuditLog.action.startswith(self.action[:-1], autoescape=True))
            else:
                stmt = stmt.where(AuditLog.action == self.action)
        if self.entity_type:
            stmt = stmt.where(AuditLog.entity_type == self.entity_type)
        if self.entity_id:
            stmt = stmt.where(AuditLog.entity_id == self.entity_id)
        if self.start_date:
            stmt = stmt.where(AuditLog.created_at >= self.start_date)
        if self.end_date:
            stmt = stmt.where(AuditLog.created_at <= self.end_date)
        if self.ip_address:
            stmt = stmt.where(AuditLog.ip_address == self.ip_address)
        return stmt


def list_audit(*, session: Session, filters: AuditFilter, page: PageParams | None = None,
               cursor: CursorPage | None = None,
               ) -> tuple[list[AuditLog], OffsetPagination | CursorPagination]:
    """Newest first. With ``cursor`` set, keyset pagination over the (time-ordered) ids."""
    stmt = filters.apply(select(AuditLog))
    if cursor is not None:
        return keyset_page(session, stmt, AuditLog.id, cursor)
    return paginate(session, stmt.order_by(AuditLog.id.desc()), page or PageParams())
