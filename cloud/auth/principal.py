"""The authenticated caller of a request: a user (JWT) or an API key."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from cloud.audit import AuditContext

__all__ = ["Principal"]


@dataclass(frozen=True)
class Principal:
    kind: Literal["user", "api_key"]
    id: uuid.UUID  # the user's id, or the API key's id
    tenant_id: uuid.UUID
    permissions: frozenset[str]
    roles: tuple[str, ...] = ()
    email: str | None = None
    name: str = ""
    user_id: uuid.UUID | None = None  # for an API key: the user who created it
    session_id: uuid.UUID | None = None
    jti: str | None = None
    token_expires_at: datetime | None = None
    key_mode: str | None = None  # "live" | "test" for API keys
    rate_limit: int | None = None  # an API key's own requests/minute
    mfa_enrolled: bool = False

    def has(self, *scopes: str) -> bool:
        return all(s in self.permissions for s in scopes)

    def missing(self, *scopes: str) -> list[str]:
        return [s for s in scopes if s not in self.permissions]

    def audit_context(self, *, ip: str | None, user_agent: str | None,
                      request_id: str | None) -> AuditContext:
        return AuditContext(
            actor_type=self.kind, actor_id=self.id, actor_email=self.email,
            actor_name=self.name or None, ip=ip, user_agent=user_agent,
            session_id=str(self.session_id) if self.session_id else None,
            request_id=request_id)
