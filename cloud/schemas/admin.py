"""Seed 001 §13 (admin) and §16.6 (rate-limit status) bodies."""

from __future__ import annotations

import ipaddress
import uuid
from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import available_timezones

from pydantic import AfterValidator, Field

from cloud.auth.rbac import Role
from cloud.schemas.auth import Email, Scope
from cloud.schemas.common import ApiModel, CursorPagination, OffsetPagination, RequestModel

RoleName = Literal["admin", "sales_manager", "sales_rep", "viewer", "store_manager", "cashier"]
assert set(RoleName.__args__) == {r.value for r in Role}  # type: ignore[attr-defined]
Name = Annotated[str, Field(max_length=100)]
Metadata = Annotated[dict[str, Any], Field(max_length=50)]


# -- users --------------------------------------------------------------------------------------

class Activity(ApiModel):
    negotiations: int = 0
    approvals_handled: int = 0
    last_action: datetime | None = None


class UserOut(ApiModel):
    id: uuid.UUID
    email: str
    first_name: str
    last_name: str
    role: str
    status: str
    permissions: list[str]
    mfa_enabled: bool
    last_login: datetime | None
    created_at: datetime
    activity: Activity


class UserList(ApiModel):
    users: list[UserOut]
    pagination: OffsetPagination


class UserCreate(RequestModel):
    email: Email
    first_name: Annotated[str, Field(min_length=1, max_length=100)]
    last_name: Annotated[str, Field(min_length=1, max_length=100)]
    role: RoleName
    send_invite: bool = False
    temp_password: Annotated[str, Field(min_length=1, max_length=256)] | None = None
    permissions: Annotated[list[Scope], Field(max_length=64)] = Field(default_factory=list)
    metadata: Metadata | None = None


class UserCreated(ApiModel):
    id: uuid.UUID
    email: str
    role: str
    status: Literal["invited", "active"]
    invite_link: str | None = None
    invite_expires_at: datetime | None = None
    created_at: datetime


class UserUpdate(RequestModel):
    first_name: Name | None = None
    last_name: Name | None = None
    role: RoleName | None = None
    permissions: Annotated[list[Scope], Field(max_length=64)] | None = None
    status: Literal["active", "suspended"] | None = None
    metadata: Metadata | None = None


class Updated(ApiModel):
    updated: bool


class TransferredItem(ApiModel):
    type: str
    count: int
    transferred_to: str


class DataDeleted(ApiModel):
    tables: list[str]
    records_removed: int
    logs_anonymized: int


class UserDeleted(ApiModel):
    deleted: bool
    transferred_items: list[TransferredItem]
    data_deleted: DataDeleted | None = None


# -- tenant configuration ----------------------------------------------------------------------

_ZONES: set[str] = set()


def _timezone(value: str) -> str:
    if not _ZONES:
        _ZONES.update(available_timezones())
    if value not in _ZONES:
        raise ValueError(f"unknown IANA timezone {value!r}")
    return value


def _network(value: str) -> str:
    try:
        return str(ipaddress.ip_network(value, strict=False))
    except ValueError as exc:
        raise ValueError(f"not an IP address or CIDR network: {value!r}") from exc


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def _omittable() -> Any:
    """A field a partial update may leave out (the stored value stays) but not set to null.

    Every key here has a value in the tenant's effective settings; a stored null used to reach
    ``GET /admin/config`` (a whole section: a 500 on every later read), so null is refused.
    """
    return Field(default=None, json_schema_extra=_no_default)


class Branding(RequestModel):
    logo: Annotated[str, Field(max_length=2048)] | None = Field(
        default=None, description="null removes the logo")
    primary_color: Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")] = _omittable()
    company_name: Annotated[str, Field(max_length=200)] = _omittable()


class Regional(RequestModel):
    timezone: Annotated[str, Field(max_length=64), AfterValidator(_timezone)] = _omittable()
    locale: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")] = _omittable()
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = _omittable()
    date_format: Annotated[str, Field(min_length=4, max_length=32)] = _omittable()


class Defaults(RequestModel):
    payment_terms: Annotated[int, Field(ge=0, le=365)] = _omittable()
    validity_days: Annotated[int, Field(ge=1, le=365)] = _omittable()
    default_vat_rate: Annotated[int, Field(ge=0, le=100)] = _omittable()


class Notifications(RequestModel):
    email_notifications: bool = _omittable()
    push_notifications: bool = _omittable()
    daily_digest: bool = _omittable()
    weekly_report: bool = _omittable()


class PasswordPolicyIn(RequestModel):
    min_length: Annotated[int, Field(ge=8, le=128)]
    require_uppercase: bool
    require_number: bool
    require_special: bool


class Security(RequestModel):
    require_two_factor: bool = _omittable()
    session_timeout: Annotated[int, Field(ge=5, le=43_200)] | None = Field(
        default=None, description="idle minutes; null: no idle timeout")
    ip_whitelist: Annotated[list[Annotated[str, Field(max_length=64),
                                           AfterValidator(_network)]],
                            Field(max_length=100)] = _omittable()
    password_policy: PasswordPolicyIn = _omittable()


class ConfigUpdate(RequestModel):
    """Seed 001 §13.2: any subset of the sections, each a partial update; null is refused."""

    branding: Branding = _omittable()
    regional: Regional = _omittable()
    defaults: Defaults = _omittable()
    notifications: Notifications = _omittable()
    security: Security = _omittable()


class TenantInfo(ApiModel):
    id: uuid.UUID
    name: str
    company_name: str
    cui: str
    created_at: datetime
    plan: Literal["starter", "professional", "enterprise"]
    plan_expires_at: datetime | None
    status: str


class Feature(ApiModel):
    feature: str
    enabled: bool
    limit: int | None = None
    usage: int | None = None


class Integration(ApiModel):
    name: str
    enabled: bool
    status: Literal["active", "inactive", "error"]
    last_sync: datetime | None = None


class Limits(ApiModel):
    max_users: int
    current_users: int
    max_contacts: int
    current_contacts: int
    max_products: int
    current_products: int
    max_ai_messages_per_month: int = Field(alias="maxAIMessagesPerMonth")
    current_ai_messages: int = Field(alias="currentAIMessages")


class TenantConfig(ApiModel):
    """Seed 001 §13.1 plus the sections §13.2 can change."""

    tenant: TenantInfo
    features: list[Feature]
    integrations: list[Integration]
    limits: Limits
    branding: dict[str, Any]
    regional: dict[str, Any]
    defaults: dict[str, Any]
    notifications: dict[str, Any]
    security: dict[str, Any]


# -- audit --------------------------------------------------------------------------------------

class AuditUser(ApiModel):
    id: uuid.UUID | None
    email: str | None
    name: str | None
    type: str


class Change(ApiModel):
    field: str
    old_value: Any = None
    new_value: Any = None


class AuditMeta(ApiModel):
    ip_address: str | None
    user_agent: str | None
    session_id: str | None
    request_id: str | None


class AuditEntry(ApiModel):
    id: uuid.UUID
    user: AuditUser
    action: str
    description: str
    entity_type: str
    entity_id: str | None
    changes: list[Change] | None
    metadata: AuditMeta
    timestamp: datetime


class AuditList(ApiModel):
    entries: list[AuditEntry]
    pagination: OffsetPagination | CursorPagination


# -- health -------------------------------------------------------------------------------------

class ServiceHealth(ApiModel):
    name: str
    status: Literal["up", "down", "degraded"]
    latency: float
    last_check: datetime
    error: str | None = None


class Connections(ApiModel):
    active: int
    idle: int
    max: int


class DatabaseHealth(ApiModel):
    status: str
    dialect: str
    connections: Connections


class RedisMemory(ApiModel):
    used: int
    peak: int
    max_configured: int


class RedisHealth(ApiModel):
    status: str
    memory: RedisMemory


class QueueHealth(ApiModel):
    name: str
    waiting: int = 0
    active: int = 0
    completed: int = 0
    failed: int = 0
    delayed: int = 0


class Storage(ApiModel):
    used: int
    available: int
    percentage: float


class SystemHealth(ApiModel):
    status: Literal["healthy", "degraded", "unhealthy"]
    services: list[ServiceHealth]
    database: DatabaseHealth
    redis: RedisHealth
    queues: list[QueueHealth]
    storage: Storage
    uptime: float
    version: str


# -- rate limits --------------------------------------------------------------------------------

class PlanLimitsOut(ApiModel):
    requests_per_hour: int
    requests_per_day: int
    ai_requests_per_day: int


class TenantLimits(ApiModel):
    plan: str
    limits: PlanLimitsOut


class Window(ApiModel):
    used: int
    remaining: int
    resets_at: datetime


class Current(ApiModel):
    hourly: Window
    daily: Window
    ai: Window


class EndpointUsage(ApiModel):
    endpoint: str
    used: int
    limit: int
    remaining: int


class RateLimitStatus(ApiModel):
    tenant: TenantLimits
    current: Current
    by_endpoint: list[EndpointUsage]
