"""Webhook subscriptions, test sends and delivery history bodies (seed 001 §14)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from cloud.schemas.common import ApiModel, RequestModel

WebhookEvent = Literal[
    "negotiation.created", "negotiation.updated", "negotiation.stage_changed",
    "negotiation.won", "negotiation.lost", "document.created", "document.sent",
    "document.signed", "ai.message_sent", "ai.escalation_requested", "ai.guardrail_triggered",
    "approval.created", "approval.resolved", "approval.escalated", "efactura.submitted",
    "efactura.accepted", "efactura.rejected", "product.low_stock", "product.out_of_stock",
    "system.health_degraded", "system.backup_completed",
]
Url = Annotated[str, Field(min_length=10, max_length=2000, pattern=r"^https?://[^\s]+$",
                           description="http(s) URL; private addresses are refused")]
HeaderName = Annotated[str, Field(pattern=r"^[A-Za-z0-9-]{1,64}$")]

__all__ = [
    "AttemptRequest",
    "AttemptResponse",
    "AuthInfo",
    "Authentication",
    "CreateWebhook",
    "Created",
    "Deleted",
    "DeliveryList",
    "DeliveryOut",
    "Filters",
    "PageInfo",
    "Received",
    "RetryOut",
    "RetryPolicy",
    "SentRequest",
    "StatsOut",
    "TestResult",
    "TestWebhook",
    "UpdateWebhook",
    "Updated",
    "WebhookList",
    "WebhookOut",
]


class Authentication(RequestModel):
    type: Literal["basic", "bearer", "hmac"]
    username: str | None = Field(default=None, max_length=200)
    password: str | None = Field(default=None, max_length=500)
    token: str | None = Field(default=None, max_length=2000)
    secret: str | None = Field(default=None, min_length=16, max_length=200,
                               description="HMAC signing secret; generated when omitted")

    @model_validator(mode="after")
    def _complete(self) -> Authentication:
        if self.type == "basic" and not (self.username and self.password):
            raise ValueError("basic authentication needs username and password")
        if self.type == "bearer" and not self.token:
            raise ValueError("bearer authentication needs a token")
        return self


class Filters(RequestModel):
    entity_types: list[Annotated[str, Field(max_length=100)]] | None = Field(None, max_length=50)
    user_ids: list[Annotated[str, Field(max_length=100)]] | None = Field(None, max_length=200)
    conditions: dict[str, str | int | float | bool | None] | None = Field(None, max_length=20)


class RetryPolicy(RequestModel):
    max_retries: int = Field(3, ge=0, le=5)
    retry_delay: int = Field(2000, ge=0, le=3_600_000, description="milliseconds")
    backoff_multiplier: float = Field(2, ge=1, le=10)


class CreateWebhook(RequestModel):
    name: str = Field(min_length=1, max_length=200)
    url: Url
    events: list[WebhookEvent] = Field(min_length=1, max_length=50)
    authentication: Authentication | None = None
    filters: Filters | None = None
    retry_policy: RetryPolicy | None = None
    custom_headers: dict[HeaderName, Annotated[str, Field(max_length=1000)]] | None = Field(
        None, max_length=20)


class UpdateWebhook(RequestModel):
    name: str | None = Field(None, min_length=1, max_length=200)
    url: Url | None = None
    events: list[WebhookEvent] | None = Field(None, min_length=1, max_length=50)
    status: Literal["active", "paused"] | None = None
    authentication: Authentication | None = None
    filters: Filters | None = None
    retry_policy: RetryPolicy | None = None
    custom_headers: dict[HeaderName, Annotated[str, Field(max_length=1000)]] | None = Field(
        None, max_length=20)


class AuthInfo(ApiModel):
    type: Literal["none", "basic", "bearer", "hmac"]
    configured: bool


class StatsOut(ApiModel):
    total_deliveries: int
    success_rate: float
    last_delivery: datetime | None = None
    last_status: int | None = None


class WebhookOut(ApiModel):
    id: uuid.UUID
    name: str
    url: str
    events: list[str]
    status: Literal["active", "paused", "failed"]
    authentication: AuthInfo
    stats: StatsOut
    created_at: datetime
    updated_at: datetime


class WebhookList(ApiModel):
    webhooks: list[WebhookOut]


class Created(ApiModel):
    id: uuid.UUID
    name: str
    secret: str = Field(description="HMAC secret for X-Webhook-Signature; shown only now")
    status: Literal["active"] = "active"
    created_at: datetime


class Updated(ApiModel):
    updated: bool


class Deleted(ApiModel):
    deleted: bool


class TestWebhook(RequestModel):
    event_type: WebhookEvent
    mock_payload: dict[str, Any] | None = Field(None, max_length=100)


class SentRequest(ApiModel):
    url: str
    method: Literal["POST"] = "POST"
    headers: dict[str, str]
    body: Any


class Received(ApiModel):
    status: int
    headers: dict[str, str]
    body: Any | None = None
    latency: int = Field(description="milliseconds")


class TestResult(ApiModel):
    delivered: bool
    request: SentRequest
    response: Received
    error: str | None = None


class AttemptRequest(ApiModel):
    timestamp: datetime
    payload: Any


class AttemptResponse(ApiModel):
    timestamp: datetime | None = None
    status: int | None = None
    body: Any | None = None
    error: str | None = None


class DeliveryOut(ApiModel):
    id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    status: Literal["pending", "success", "failed"]
    http_status: int | None = None
    attempt: int
    max_attempts: int
    request: AttemptRequest
    response: AttemptResponse
    latency: int | None = Field(None, description="milliseconds")
    next_retry: datetime | None = None


class PageInfo(ApiModel):
    page: int
    limit: int
    total: int
    total_pages: int


class DeliveryList(ApiModel):
    deliveries: list[DeliveryOut]
    pagination: PageInfo


class RetryOut(ApiModel):
    retried: bool
    new_delivery_id: uuid.UUID
    status: Literal["pending", "success", "failed"]
    result: Any | None = None
