"""Seed 001 §2.5 request and response bodies."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, EmailStr, Field

from cloud.schemas.common import ApiModel, RequestModel

__all__ = [
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyOut",
    "Email",
    "InviteAccept",
    "Jwks",
    "LoginRequest",
    "LoginResponse",
    "LoginUser",
    "LogoutRequest",
    "LogoutResponse",
    "MfaCode",
    "MfaDisable",
    "MfaSetup",
    "MfaStatus",
    "RefreshRequest",
    "RefreshResponse",
    "Scope",
]


Email = Annotated[EmailStr, Field(max_length=320), AfterValidator(str.lower)]
Secret = Annotated[str, Field(min_length=1, max_length=256)]
Scope = Annotated[str, Field(min_length=3, max_length=64,
                             pattern=r"^[a-z][a-z0-9_-]*:[a-z0-9_-]+$")]


class LoginRequest(RequestModel):
    email: Email
    password: Secret
    mfa_code: Annotated[str, Field(pattern=r"^[0-9]{6}$")] | None = None
    device_id: Annotated[str, Field(min_length=1, max_length=128)] | None = None


class LoginUser(ApiModel):
    id: uuid.UUID
    email: str
    name: str
    roles: list[str]
    tenant_id: uuid.UUID
    tenant_name: str


class LoginResponse(ApiModel):
    access_token: str
    refresh_token: str
    expires_in: int = Field(description="seconds until the access token expires")
    token_type: Literal["Bearer"] = "Bearer"
    user: LoginUser


class RefreshRequest(RequestModel):
    refresh_token: Secret


class RefreshResponse(ApiModel):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: Literal["Bearer"] = "Bearer"


class LogoutRequest(RequestModel):
    refresh_token: Secret
    all_devices: bool = False


class LogoutResponse(ApiModel):
    logged_out: bool
    sessions_revoked: int


class ApiKeyCreate(RequestModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    scopes: Annotated[list[Scope], Field(min_length=1, max_length=64)]
    expires_at: datetime | None = None
    rate_limit: Annotated[int, Field(ge=1, le=10_000, description="requests per minute")] | None \
        = None
    mode: Literal["live", "test"] = "live"
    service: bool = Field(default=False, description=(
        "a service key outlives its creator (admins only); any other key is revoked when "
        "the user who made it is deleted or suspended"))


class ApiKeyOut(ApiModel):
    id: uuid.UUID
    tenant_id: uuid.UUID
    name: str
    prefix: str
    hint: str = Field(description="last characters of the key, to recognise it")
    scopes: list[str]
    rate_limit: int | None
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime
    service: bool = False


class ApiKeyCreated(ApiModel):
    id: uuid.UUID
    key: str = Field(description="the key itself: shown only in this response")
    name: str
    prefix: str
    scopes: list[str]
    rate_limit: int | None
    expires_at: datetime | None
    created_at: datetime
    service: bool = False


class Jwk(ApiModel):
    kty: str
    crv: str
    x: str
    kid: str
    alg: str
    use: str


class Jwks(ApiModel):
    keys: list[Jwk]


class MfaSetup(ApiModel):
    secret: str = Field(description="base32 TOTP seed, for manual entry")
    otpauth_uri: str


class MfaCode(RequestModel):
    code: Annotated[str, Field(pattern=r"^[0-9]{6}$")]


class MfaStatus(ApiModel):
    mfa_enabled: bool


class InviteAccept(RequestModel):
    token: Secret
    password: Secret
    first_name: Annotated[str, Field(max_length=100)] | None = None
    last_name: Annotated[str, Field(max_length=100)] | None = None


class MfaDisable(RequestModel):
    code: Annotated[str, Field(pattern=r"^[0-9]{6}$")]
    password: Secret
