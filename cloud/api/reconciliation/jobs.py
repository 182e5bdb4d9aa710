"""``/api/v1/jobs`` and ``/api/v1/trigger`` (seed 002 §4-5): queue runs, list, show, retry.

A trigger answers 202 at once with the PENDING job; the Cloud jobs worker runs it
(``tillbridge-cloud worker``) with ``max_retries`` automatic retries and 2^attempt backoff.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from cloud.api.deps import ClockDep, SessionDep
from cloud.api.errors import validation_codes
from cloud.api.reconciliation._deps import RECON_ERRORS, ClientScoped, Reader, ensure_client_admin
from cloud.errors import InvalidInput
from cloud.models.reconciliation import ReconStatus
from cloud.schemas.reconciliation import JobOut, JobParams
from cloud.services.reconciliation import clients, jobs

router = APIRouter(prefix="/api/v1", tags=["reconciliation: jobs"],
                   responses=RECON_ERRORS)

Skip = Annotated[int, Query(ge=0, le=1_000_000)]
Limit = Annotated[int, Query(ge=1, le=500)]


def _params(body: Any, days: int | None, start_date: str | None,
            end_date: str | None, max_retries: int | None) -> JobParams:
    """Body fields win over query parameters; every error names its field."""
    query = {"days": days, "start_date": start_date, "end_date": end_date,
             "max_retries": max_retries}
    if body is not None and not isinstance(body, dict):
        raise InvalidInput("the body must be a JSON object (JobParams)", field="body")
    merged = {**{k: v for k, v in query.items() if v is not None}, **(body or {})}
    try:
        return JobParams.model_validate(merged)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        code, _status, _msg, _details, _field = validation_codes(RequestValidationError(errors))
        listed = [{"field": ".".join(str(p) for p in e["loc"]) or "body",
                   "message": str(e["msg"]).removeprefix("Value error, ")}
                  for e in exc.errors(include_url=False)]
        text = "; ".join(f"{e['field']}: {e['message']}" for e in listed)
        raise InvalidInput(text, code=code, field=listed[0]["field"],
                           details={"errors": listed}) from None


def _trigger(client_id: uuid.UUID, body: Any, session: Any,
             principal: Any, clock: Any, response: Response, *, days: int | None,
             start_date: str | None, end_date: str | None, max_retries: int | None,
             trigger: str) -> JobOut:
    clients.get_client(session, tenant_id=principal.tenant_id, client_id=client_id)
    ensure_client_admin(session, principal, client_id)
    params = _params(body, days, start_date, end_date, max_retries)
    now = clock.now()
    job = jobs.create_job(session, tenant_id=principal.tenant_id, client_id=client_id,
                          params=params, now=now, today=now.date(), trigger=trigger,
                          created_by=principal.id if principal.kind == "user" else None,
                          retry_delay=None)
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return jobs.job_out(session, job)


# The body is validated by JobParams in ``_params`` (so errors name the field); the OpenAPI
# document still shows JobParams as the request body.
_BODY = Body(examples=[{"days": 30, "max_retries": 3},
                       {"start_date": "2026-01-01", "end_date": "2026-01-31"}])
_DOC = {"requestBody": {"required": False, "content": {"application/json": {
    "schema": {**JobParams.model_json_schema(), "title": "JobParams"}}}}}
DaysQ = Annotated[int | None, Query(description="1-365; ignored if start_date given")]
DateQ = Annotated[str | None, Query(description="YYYY-MM-DD")]
RetriesQ = Annotated[int | None, Query(description="0-5")]


@router.post("/jobs/run/{client_id}", response_model=JobOut, status_code=202, openapi_extra=_DOC)
def run_job(client_id: uuid.UUID, session: SessionDep, principal: ClientScoped,
            clock: ClockDep, response: Response,
            body: Annotated[Any, _BODY] = None, days: DaysQ = None,
            start_date: DateQ = None, end_date: DateQ = None,
            max_retries: RetriesQ = None) -> Any:
    """Queue a reconciliation of the client and answer at once with the PENDING job (admin)."""
    return _trigger(client_id, body, session, principal, clock, response, days=days,
                    start_date=start_date, end_date=end_date, max_retries=max_retries,
                    trigger="manual")


@router.post("/trigger/{client_id}", response_model=JobOut, status_code=202, openapi_extra=_DOC)
def trigger(client_id: uuid.UUID, session: SessionDep, principal: ClientScoped,
            clock: ClockDep, response: Response,
            body: Annotated[Any, _BODY] = None, days: DaysQ = None,
            start_date: DateQ = None, end_date: DateQ = None,
            max_retries: RetriesQ = None) -> Any:
    """Manual trigger: same as ``/jobs/run/{client_id}`` (admin)."""
    return _trigger(client_id, body, session, principal, clock, response, days=days,
                    start_date=start_date, end_date=end_date, max_retries=max_retries,
                    trigger="trigger")


@router.get("/jobs", response_model=list[JobOut])
def list_jobs(session: SessionDep, principal: Reader, response: Response,
              client_id: uuid.UUID | None = None, status: ReconStatus | None = None,
              skip: Skip = 0, limit: Limit = 100) -> Any:
    """Jobs, newest first, filtered by client and status; total in ``X-Total-Count``."""
    rows, total = jobs.list_jobs(session, tenant_id=principal.tenant_id, client_id=client_id,
                                 status=status, skip=skip, limit=limit)
    response.headers["X-Total-Count"] = str(total)
    return [jobs.job_out(session, r) for r in rows]


@router.post("/jobs/{job_id}/retry", response_model=JobOut, status_code=202)
def retry_job(job_id: uuid.UUID, session: SessionDep, principal: ClientScoped,
              clock: ClockDep) -> Any:
    """Run a FAILED job again, with its automatic retries and backoff (admin; 409 otherwise)."""
    job = jobs.get_job(session, tenant_id=principal.tenant_id, job_id=job_id)
    ensure_client_admin(session, principal, job.client_id)
    job = jobs.retry_job(session, tenant_id=principal.tenant_id, job_id=job_id,
                         now=clock.now())
    return jobs.job_out(session, job)


@router.get("/jobs/{job_id}", response_model=JobOut)
def get_job(job_id: uuid.UUID, session: SessionDep, principal: Reader) -> Any:
    """The job with its status, retries (``retry_count``, ``can_retry``) and result."""
    return jobs.job_out(session, jobs.get_job(session, tenant_id=principal.tenant_id,
                                              job_id=job_id))


