"""``/api/v1/clients/{client_id}/schedule`` (seed 002 §5): one stored schedule per client.

``next_run`` is computed from the recurrence in the schedule's IANA zone (UTC and local).
The Cloud jobs scheduler (``SCHEDULER_ENABLED``) fires it by enqueueing a reconciliation.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter

from cloud.api.deps import ClockDep, SessionDep
from cloud.api.reconciliation._deps import RECON_ERRORS, ClientScoped, ensure_client_admin
from cloud.schemas.reconciliation import ScheduleIn, ScheduleOut, SchedulePatch
from cloud.services.reconciliation import clients, schedules

router = APIRouter(prefix="/api/v1/clients/{client_id}/schedule",
                   tags=["reconciliation: schedules"], responses=RECON_ERRORS)


def _admin(session: Any, principal: Any, client_id: uuid.UUID) -> None:
    clients.get_client(session, tenant_id=principal.tenant_id, client_id=client_id)
    ensure_client_admin(session, principal, client_id)


@router.get("", response_model=ScheduleOut)
def get_schedule(client_id: uuid.UUID, session: SessionDep, principal: ClientScoped,
                 clock: ClockDep) -> Any:
    """The client's schedule with its computed ``next_run`` (admin; 404 when none)."""
    _admin(session, principal, client_id)
    row = schedules.get_schedule(session, tenant_id=principal.tenant_id, client_id=client_id)
    return schedules.schedule_out(row, now=clock.now())


@router.post("", response_model=ScheduleOut)
def save_schedule(client_id: uuid.UUID, body: ScheduleIn, session: SessionDep,
                  principal: ClientScoped, clock: ClockDep) -> Any:
    """Create or replace the client's schedule (admin)."""
    _admin(session, principal, client_id)
    row = schedules.save_schedule(session, tenant_id=principal.tenant_id, client_id=client_id,
                                  data=body, now=clock.now())
    return schedules.schedule_out(row, now=clock.now())


@router.put("", response_model=ScheduleOut)
def update_schedule(client_id: uuid.UUID, body: SchedulePatch, session: SessionDep,
                    principal: ClientScoped, clock: ClockDep) -> Any:
    """Change only the fields sent (admin; 404 when the client has no schedule)."""
    _admin(session, principal, client_id)
    row = schedules.update_schedule(session, tenant_id=principal.tenant_id,
                                    client_id=client_id, data=body, now=clock.now())
    return schedules.schedule_out(row, now=clock.now())


@router.delete("", status_code=204)
def delete_schedule(client_id: uuid.UUID, session: SessionDep, principal: ClientScoped) -> None:
    _admin(session, principal, client_id)
    schedules.delete_schedule(session, tenant_id=principal.tenant_id, client_id=client_id)
