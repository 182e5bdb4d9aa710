"""Back-office sync bodies: enrollment codes, enrolled devices and till users (seed-001 envelope).

The till's own messages (push, pull, snapshot) are the versioned models of :mod:`sync.protocol`.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from cloud.schemas.common import ApiModel, RequestModel

__all__ = ["CodeIn", "CodeOut", "DeviceOut", "TillUserIn", "TillUserOut", "TillUserPatch"]


class CodeOut(ApiModel):
    code: str = Field(description="give it to the till: tillbridge-till enroll --code …")
    store_id: uuid.UUID
    till_id: uuid.UUID
    expires_at: datetime


class CodeIn(RequestModel):
    ttl_hours: int = Field(default=24, ge=1, le=24 * 14)


class DeviceOut(ApiModel):
    id: uuid.UUID
    store_id: uuid.UUID
    till_id: uuid.UUID
    name: str
    status: str
    app_version: str
    enrolled_at: datetime
    revoked_at: datetime | None
    acked_through: int
    max_seq: int
    events_count: int
    last_push_at: datetime | None
    last_pull_at: datetime | None


class TillUserIn(RequestModel):
    login: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    role: str = Field(description="cashier | store_manager")
    pin: str = Field(min_length=4, max_length=12, description="4-12 digits; stored hashed")
    store_id: uuid.UUID | None = Field(default=None, description="None: every store")


class TillUserPatch(RequestModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    role: str | None = None
    pin: str | None = Field(default=None, min_length=4, max_length=12)
    active: bool | None = None


class TillUserOut(ApiModel):
    id: uuid.UUID
    login: str
    name: str
    role: str
    store_id: uuid.UUID | None
    active: bool
    created_at: datetime
    updated_at: datetime
