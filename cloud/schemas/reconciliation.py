"""Wire models of the reconciliation API (seed 002 uses snake_case, FastAPI style).

Requests refuse unknown fields, so a typo is a 422 rather than a silent no-op.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cloud.integrations.configs import ConnectorType
from cloud.models.reconciliation import ReconStatus

__all__ = [
    "MAX_RANGE_DAYS",
    "AcceptInvite",
    "AdminStats",
    "ClientCreate",
    "ClientOut",
    "ClientUpdate",
    "ClientUserOut",
    "ConnectorCreate",
    "ConnectorOut",
    "ConnectorTestOut",
    "ConnectorUpdate",
    "InviteCreate",
    "InviteOut",
    "JobOut",
    "JobParams",
    "ScheduleIn",
    "ScheduleOut",
    "SchedulePatch",
]

MAX_RANGE_DAYS = 366
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class JobParams(BaseModel):
    """What a trigger (or a schedule's ``config``) may say about a run."""

    model_config = ConfigDict(extra="forbid")

    days: int = Field(default=30, ge=1, le=365, description="days to fetch (1-365)")
    start_date: date | None = Field(default=None, description="YYYY-MM-DD; wins over days")
    end_date: date | None = Field(default=None, description="YYYY-MM-DD; default today")
    max_retries: int = Field(default=3, ge=0, le=5, description="automatic retries (0-5)")

    @field_validator("start_date", "end_date", mode="before")
    @classmethod
    def _iso(cls, value: Any) -> Any:
        if value is None or isinstance(value, date):
            return value
        if not isinstance(value, str) or not _ISO_DATE.match(value):
            raise ValueError("dates must be written YYYY-MM-DD")
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{value} is not a calendar date") from exc

    @model_validator(mode="after")
    def _order(self) -> JobParams:
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                raise ValueError("end_date is before start_date")
            if (self.end_date - self.start_date).days + 1 > MAX_RANGE_DAYS:
                raise ValueError(f"a date range is at most {MAX_RANGE_DAYS} days")
        return self


_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _slug(value: str | None) -> str | None:
    if value is not None and not _SLUG.match(value):
        raise ValueError("slug is lowercase letters, digits and dashes (1-100)")
    return value


def _logo(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("logo_url must be an http(s) URL")
    return value


# -- clients -------------------------------------------------------------------------------------

class ClientCreate(_In):
    name: str = Field(min_length=1, max_length=200)
    slug: str | None = Field(default=None, description="derived from the name when omitted")
    logo_url: str | None = Field(default=None, max_length=2000)
    is_active: bool = True

    @field_validator("slug")
    @classmethod
    def _slug_ok(cls, value: str | None) -> str | None:
        return _slug(value)

    @field_validator("logo_url")
    @classmethod
    def _logo_ok(cls, value: str | None) -> str | None:
        return _logo(value)


class ClientUpdate(_In):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    slug: str | None = None
    logo_url: str | None = Field(default=None, max_length=2000)
    is_active: bool | None = None

    @field_validator("slug")
    @classmethod
    def _slug_ok(cls, value: str | None) -> str | None:
        return _slug(value)

    @field_validator("logo_url")
    @classmethod
    def _logo_ok(cls, value: str | None) -> str | None:
        return _logo(value)


class ClientOut(_Out):
    id: uuid.UUID
    name: str
    slug: str
    logo_url: str | None
    is_active: bool
    created_at: datetime
    updated_at: datetime


# -- users and invites ---------------------------------------------------------------------------

class InviteCreate(_In):
    email: str = Field(max_length=320)
    role: Literal["admin", "manager", "viewer"] = "viewer"

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not _EMAIL.match(value):
            raise ValueError("email is not a valid email address")
        return value.lower()


class AcceptInvite(_In):
    token: str = Field(min_length=16, max_length=200)


class ClientUserOut(_Out):
    id: uuid.UUID = Field(description="the user_client_id used by DELETE /users/{id}")
    client_id: uuid.UUID
    email: str
    role: str
    status: str
    user_id: uuid.UUID | None
    invite_expires_at: datetime | None
    accepted_at: datetime | None
    created_at: datetime


class InviteOut(ClientUserOut):
    invite_token: str = Field(description="shown once; the invitee accepts with it")
    invite_link: str


# -- connectors ----------------------------------------------------------------------------------

class ConnectorCreate(_In):
    name: str = Field(default="", max_length=200)
    connector_type: ConnectorType
    config: dict[str, Any]
    is_active: bool = True


class ConnectorUpdate(_In):
    name: str | None = Field(default=None, max_length=200)
    connector_type: ConnectorType | None = None
    config: dict[str, Any] | None = None
    is_active: bool | None = None


class ConnectorOut(BaseModel):
    id: uuid.UUID
    client_id: uuid.UUID
    name: str
    connector_type: ConnectorType
    role: str
    config: dict[str, Any] = Field(description="secrets masked")
    is_active: bool
    last_tested_at: datetime | None
    last_test_ok: bool | None
    last_test_message: str | None
    created_at: datetime
    updated_at: datetime


class ConnectorTestOut(BaseModel):
    ok: bool
    connector_type: ConnectorType
    records: int = 0
    date_range: dict[str, str]
    message: str
    reason: str | None = Field(default=None, description=(
        "why it failed: unreachable, timeout, auth_failed, http_<status>, target_refused, "
        "bad_response (never the upstream's body)"))
    upstream_status: int | None = Field(default=None, description="the upstream HTTP status")


# -- jobs ----------------------------------------------------------------------------------------

class JobOut(BaseModel):
    id: uuid.UUID
    client_id: uuid.UUID
    status: ReconStatus
    trigger: str
    days: int
    start_date: date
    end_date: date
    max_retries: int
    retry_count: int
    can_retry: bool
    manual_retries: int
    next_retry_at: datetime | None
    error_message: str | None
    result: dict[str, Any] | None
    history: list[dict[str, Any]]
    schedule_id: uuid.UUID | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class AdminStats(BaseModel):
    client_count: int
    active_clients: int
    job_count: int
    jobs_by_status: dict[str, int]
    recent_jobs: list[JobOut]


# -- schedules -----------------------------------------------------------------------------------

TimeOfDay = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
                                 description="HH:MM:SS (or HH:MM), wall-clock time in the "
                                             "schedule's timezone", examples=["03:00:00"])]


def wall_time(text: str) -> time:
    """``HH:MM[:SS]`` as a naive ``time``."""
    return time.fromisoformat(text)


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"{value!r} is not an IANA time zone") from exc
    return value


class ScheduleIn(_In):
    frequency: Literal["hourly", "daily", "weekly"] = "daily"
    time_of_day: TimeOfDay = "03:00:00"
    weekday: int | None = Field(default=None, ge=0, le=6, description="weekly: 0 = Monday")
    timezone: str = "Europe/Bucharest"
    is_active: bool = True
    config: JobParams = Field(default_factory=JobParams)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        return _zone(value)


class SchedulePatch(_In):
    frequency: Literal["hourly", "daily", "weekly"] | None = None
    time_of_day: TimeOfDay | None = None
    weekday: int | None = Field(default=None, ge=0, le=6)
    timezone: str | None = None
    is_active: bool | None = None
    config: JobParams | None = None

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str | None) -> str | None:
        return value if value is None else _zone(value)


class ScheduleOut(BaseModel):
    id: uuid.UUID
    client_id: uuid.UUID
    frequency: str
    time_of_day: str = Field(description="HH:MM:SS, wall-clock time in ``timezone``")
    weekday: int | None
    timezone: str
    is_active: bool
    config: JobParams
    next_run: datetime | None = Field(description="UTC")
    next_run_local: datetime | None = Field(description="in the schedule's time zone")
    last_run: datetime | None
