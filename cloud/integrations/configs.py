"""Typed connector configurations: one pydantic model per connector type.

Why typed: a config is stored encrypted, so a mistake found at job time (a missing key, a
shop URL without host) would surface hours later as a failed job. Validating at the API keeps
bad input out of the database. Each model names its secret fields so the API can mask them.

Plain ``http://`` URLs are accepted only for loopback hosts (the shipped fake servers); real
shops and token endpoints must use HTTPS.
"""

from __future__ import annotations

import json
import re
import uuid
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "CONFIG_MODELS",
    "ConnectorConfig",
    "ConnectorRole",
    "ConnectorType",
    "GA4Config",
    "GA4ServiceAccount",
    "ShopifyConfig",
    "TillbridgeConfig",
    "WooCommerceConfig",
    "config_example",
    "mask_config",
    "parse_config",
    "restore_masked",
]

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MASK_PREFIX = "****"


class ConnectorType(StrEnum):
    """Where a connector reads from."""

    GA4 = "ga4"
    """Google Analytics 4 Data API: the analytics side."""
    SHOPIFY = "shopify"
    """Shopify Admin REST orders: a backend."""
    WOOCOMMERCE = "woocommerce"
    """WooCommerce REST v3 orders: a backend."""
    TILLBRIDGE = "tillbridge"
    """Sales synced from Tillbridge tills: a backend."""


class ConnectorRole(StrEnum):
    BACKEND = "backend"
    ANALYTICS = "analytics"


def _base_url(value: str, *, what: str) -> str:
    """Normalise to ``scheme://host[:port][/path]`` without a trailing slash."""
    text = value.strip()
    if not text:
        raise ValueError(f"{what} is required")
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"{what} must be an https URL or a host name")
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        raise ValueError(f"{what} must use https (plain http only for 127.0.0.1)")
    if parts.query or parts.fragment:
        raise ValueError(f"{what} must not carry a query or fragment")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


class _Config(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    secret_fields: ClassVar[tuple[str, ...]] = ()
    role: ClassVar[ConnectorRole] = ConnectorRole.BACKEND


class GA4ServiceAccount(BaseModel):
    """The service-account JSON key file Google Cloud gives out."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    type: Literal["service_account"]
    project_id: str = Field(min_length=1)
    private_key_id: str | None = None
    private_key: str = Field(min_length=1)
    client_email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")
    client_id: str | None = None
    auth_uri: str | None = None
    token_uri: str = "https://oauth2.googleapis.com/token"

    @field_validator("private_key")
    @classmethod
    def _pem(cls, value: str) -> str:
        if "PRIVATE KEY-----" not in value:
            raise ValueError("private_key must be a PEM private key")
        return value

    @field_validator("token_uri")
    @classmethod
    def _token_uri(cls, value: str) -> str:
        return _base_url(value, what="token_uri")


class GA4Config(_Config):
    """GA4 property and the service account allowed to read it."""

    secret_fields: ClassVar[tuple[str, ...]] = ("private_key", "private_key_id")
    role: ClassVar[ConnectorRole] = ConnectorRole.ANALYTICS

    property_id: str
    credentials_json: GA4ServiceAccount
    api_base: str = "https://analyticsdata.googleapis.com"

    @field_validator("property_id", mode="before")
    @classmethod
    def _property(cls, value: Any) -> str:
        text = str(value).strip().removeprefix("properties/")
        if not re.fullmatch(r"[0-9]{1,20}", text):
            raise ValueError("property_id must be the numeric GA4 property id")
        return text

    @field_validator("credentials_json", mode="before")
    @classmethod
    def _json_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError as exc:
                raise ValueError("credentials_json must be the service-account JSON") from exc
        return value

    @field_validator("api_base")
    @classmethod
    def _api(cls, value: str) -> str:
        return _base_url(value, what="api_base")


class ShopifyConfig(_Config):
    """A Shopify shop and an Admin API access token with ``read_orders``."""

    secret_fields: ClassVar[tuple[str, ...]] = ("access_token",)

    shop_url: str
    access_token: str = Field(min_length=8)
    api_version: str = Field(default="2025-01", pattern=r"^[0-9]{4}-[0-9]{2}$")
    match_field: Literal["id", "name", "order_number"] = "id"

    @field_validator("shop_url")
    @classmethod
    def _shop(cls, value: str) -> str:
        return _base_url(value, what="shop_url")


class WooCommerceConfig(_Config):
    """A WooCommerce site and a REST API key pair with read access."""

    secret_fields: ClassVar[tuple[str, ...]] = ("consumer_key", "consumer_secret")

    url: str
    consumer_key: str = Field(pattern=r"^ck_[A-Za-z0-9]{8,}$")
    consumer_secret: str = Field(pattern=r"^cs_[A-Za-z0-9]{8,}$")
    match_field: Literal["id", "number"] = "id"

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _base_url(value, what="url")


class TillbridgeConfig(_Config):
    """Which of the tenant's stores' synced sales count as the backend."""

    store_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=500)]
    currency: str = Field(default="", pattern=r"^([A-Z]{3})?$")
    match_field: Literal["number", "id"] = "number"

    @field_validator("store_ids")
    @classmethod
    def _unique(cls, value: list[uuid.UUID]) -> list[uuid.UUID]:
        if len(set(value)) != len(value):
            raise ValueError("store_ids must not repeat")
        return value


ConnectorConfig = GA4Config | ShopifyConfig | WooCommerceConfig | TillbridgeConfig

CONFIG_MODELS: dict[ConnectorType, type[_Config]] = {
    ConnectorType.GA4: GA4Config,
    ConnectorType.SHOPIFY: ShopifyConfig,
    ConnectorType.WOOCOMMERCE: WooCommerceConfig,
    ConnectorType.TILLBRIDGE: TillbridgeConfig,
}

_EXAMPLES: dict[ConnectorType, dict[str, Any]] = {
    ConnectorType.GA4: {
        "property_id": "123456789",
        "credentials_json": {
            "type": "service_account",
            "project_id": "my-project",
            "private_key_id": "0123456789abcdef",
            "private_key": "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n",
            "client_email": "analytics@my-project.iam.gserviceaccount.com",
            "client_id": "...",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": "https://oauth2.googleapis.com/token",
        },
    },
    ConnectorType.SHOPIFY: {
        "shop_url": "my-store.myshopify.com",
        "access_token": "shpat_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "api_version": "2025-01",
        "match_field": "id",
    },
    ConnectorType.WOOCOMMERCE: {
        "url": "https://my-store.com",
        "consumer_key": "ck_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "consumer_secret": "cs_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "match_field": "id",
    },
    ConnectorType.TILLBRIDGE: {
        "store_ids": ["0190a6e2-3c4d-7e5f-8a9b-0c1d2e3f4a5b"],
        "currency": "RON",
        "match_field": "number",
    },
}


def parse_config(connector_type: ConnectorType | str, data: Any) -> ConnectorConfig:
    """Validate ``data`` for ``connector_type``; raises ``ValueError`` for an unknown type and
    pydantic's ``ValidationError`` for a bad config."""
    try:
        kind = ConnectorType(connector_type)
    except ValueError:
        allowed = ", ".join(t.value for t in ConnectorType)
        raise ValueError(f"unknown connector type {connector_type!r} (one of: {allowed})") from None
    model = CONFIG_MODELS[kind]
    return model.model_validate(data)  # type: ignore[return-value]


def config_example(connector_type: ConnectorType) -> dict[str, Any]:
    return json.loads(json.dumps(_EXAMPLES[connector_type]))


def _mask(value: str) -> str:
    return MASK_PREFIX + (value[-4:] if len(value) > 12 else "")


def mask_config(config: ConnectorConfig) -> dict[str, Any]:
    """The config as JSON with every secret masked (``****`` plus at most the last 4 chars)."""
    data = config.model_dump(mode="json")
    secrets = type(config).secret_fields
    target = data["credentials_json"] if isinstance(config, GA4Config) else data
    for name in secrets:
        if target.get(name):
            target[name] = _mask(str(target[name]))
    return data


def restore_masked(connector_type: ConnectorType, new: Any, old: ConnectorConfig) -> Any:
    """Put stored secrets back where an update sent their masked form unchanged.

    Lets a UI send back the masked config it received with only the non-secret fields edited.
    """
    if not isinstance(new, dict) or CONFIG_MODELS[connector_type] is not type(old):
        return new
    merged = json.loads(json.dumps(new))
    old_data = old.model_dump(mode="json")
    target, source = merged, old_data
    if connector_type is ConnectorType.GA4:
        target = merged.get("credentials_json")
        source = old_data["credentials_json"]
        if not isinstance(target, dict):
            return merged
    for name in type(old).secret_fields:
        value = target.get(name)
        if isinstance(value, str) and value.startswith(MASK_PREFIX) and source.get(name):
            target[name] = source[name]
    return merged
