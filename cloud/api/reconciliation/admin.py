"""``/api/v1/admin/stats`` and ``/api/v1/admin/jobs`` (seed 002 §6)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from cloud.api.deps import SessionDep
from cloud.api.reconciliation._deps import RECON_ERRORS, Admin
from cloud.errors import InvalidInput
from cloud.models.reconciliation import ReconStatus
from cloud.schemas.common import IsoDateTime
from cloud.schemas.reconciliation import AdminStats, JobOut
from cloud.services.reconciliation import jobs

router = APIRouter(prefix="/api/v1/admin", tags=["reconciliation: admin"],
                   responses=RECON_ERRORS)


def _aware(at: datetime | None) -> datetime | None:
    """A time without a zone is read as UTC."""
    if at is None:
        return None
    try:
        return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    except OverflowError:
        raise InvalidInput("date is out of range", field="created_from") from None


@router.get("/stats", response_model=AdminStats)
def stats(session: SessionDep, principal: Admin) -> Any:
    """Client count, active clients, job count, jobs by status, the 10 newest jobs."""
    return AdminStats(**jobs.admin_stats(session, tenant_id=principal.tenant_id))


@router.get("/jobs", response_model=list[JobOut])
def admin_jobs(session: SessionDep, principal: Admin, response: Response,
               client_id: uuid.UUID | None = None, status: ReconStatus | None = None,
               trigger: Literal["manual", "trigger", "schedule"] | None = None,
               created_from: Annotated[IsoDateTime | None, Query(
                   description="ISO 8601 with zone; jobs created at or after")] = None,
               created_to: Annotated[IsoDateTime | None, Query(
                   description="ISO 8601 with zone; jobs created before")] = None,
               skip: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
               limit: Annotated[int, Query(ge=1, le=500)] = 100) -> Any:
    """Every job of the tenant, filtered; total in ``X-Total-Count``."""
    created_from, created_to = _aware(created_from), _aware(created_to)
    rows, total = jobs.list_jobs(session, tenant_id=principal.tenant_id, client_id=client_id,
                                 status=status, trigger=trigger, created_from=created_from,
                                 created_to=created_to, skip=skip, limit=limit)
    response.headers["X-Total-Count"] = str(total)
    return [jobs.job_out(session, r) for r in rows]
