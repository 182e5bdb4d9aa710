"""Cloud settings from the environment, with safe defaults for the embedded (SQLite) mode.

Embedded mode (the default SQLite database) generates its secrets on first use and keeps them
under the data dir with 0600 rights. Production (PostgreSQL, or ``TILLBRIDGE_ENV=production``)
refuses to start with an empty or well-known ``JWT_SECRET`` / ``ENCRYPTION_KEY``:
:meth:`Settings.check_production` is called by ``create_app``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.paths import data_home

__all__ = ["ConfigError", "Settings", "get_settings"]

# Secrets that appear in docs, examples and templates; never accepted outside embedded mode.
_KNOWN_DEFAULTS = frozenset({
    "", "changeme", "change-me", "changethis", "secret", "jwt-secret", "jwt_secret",
    "your-secret-key", "supersecret", "development", "dev", "test",
})
MIN_SECRET_LENGTH = 32


class ConfigError(RuntimeError):
    """The configuration cannot run safely (e.g. a default secret in production)."""


class Settings(BaseSettings):
    """Read once per process; tests build their own instance."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    database_url: str = ""
    encryption_key: str = ""
    jwt_secret: str = ""
    # PEM Ed25519 private key (or a file holding it). Empty: derived from JWT_SECRET.
    jwt_private_key: str = ""
    jwt_private_key_file: str = ""
    redis_url: str = ""
    # Seed 002: the schedule trigger runs in every `serve` process unless turned off (fires
    # only enqueue, idempotently, so several processes never double the work).
    scheduler_enabled: bool = True
    # Background jobs (cloud/jobs): lease length, backoff base seconds and jitter fraction.
    jobs_visibility_timeout_s: float = Field(default=60.0, gt=0)
    jobs_backoff_base_s: float = Field(default=1.0, ge=0)
    jobs_backoff_jitter: float = Field(default=0.1, ge=0, le=1)
    scheduler_reload_s: float = Field(default=300.0, gt=0)
    # Outgoing requests to tenant-typed URLs (webhooks, reconciliation connectors): targets in
    # these networks/hosts may be private (e.g. "127.0.0.1/32" for the local emulators). Empty
    # in production. WEBHOOK_ALLOWED_TARGETS is its older name.
    outbound_allowed_targets: str = Field(
        default="", validation_alias=AliasChoices("outbound_allowed_targets",
                                                  "webhook_allowed_targets"))
    webhook_timeout_s: float = Field(default=10.0, gt=0)
    debug: bool = False
    log_format: Literal["json", "console"] = "json"
    host: str = "127.0.0.1"
    port: int = 8000
    tillbridge_env: Literal["auto", "embedded", "production"] = "auto"
    public_url: str = "http://127.0.0.1:8000"

    access_token_ttl_s: int = Field(default=900, ge=30, le=86_400)
    refresh_token_ttl_s: int = Field(default=30 * 86_400, ge=300)
    api_key_touch_interval_s: int = Field(default=60, ge=0)
    invite_ttl_s: int = Field(default=7 * 86_400, ge=300)
    login_max_failures: int = Field(default=10, ge=1)
    login_lockout_s: int = Field(default=900, ge=1)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    max_upload_bytes: int = Field(default=64 * 1_048_576, ge=1024)

    rate_limit_enabled: bool = True
    # Overrides of rate-limit rules by name, e.g. {"auth-login": "50/minute"}.
    rate_limit_overrides: dict[str, str] = Field(default_factory=dict)
    # Namespace of the counters in Redis (several deployments may share one Redis).
    rate_limit_key_prefix: str = "tillbridge"

    @property
    def embedded(self) -> bool:
        if self.tillbridge_env != "auto":
            return self.tillbridge_env == "embedded"
        return self.resolved_database_url.startswith("sqlite")

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        path = data_home() / "cloud" / "tillbridge.sqlite3"
        return f"sqlite:///{path}"

    @property
    def secrets_dir(self) -> Path:
        """Where embedded mode keeps the secrets it generates."""
        return data_home() / "cloud" / "secrets"

    def check_production(self) -> None:
        """Refuse default or missing secrets unless running embedded."""
        if self.embedded:
            return
        problems = []
        if self.jwt_secret.strip().lower() in _KNOWN_DEFAULTS:
            problems.append("JWT_SECRET is empty or a well-known default")
        elif len(self.jwt_secret) < MIN_SECRET_LENGTH:
            problems.append(f"JWT_SECRET must be at least {MIN_SECRET_LENGTH} characters")
        if self.encryption_key.strip().lower() in _KNOWN_DEFAULTS:
            problems.append("ENCRYPTION_KEY is empty (a Fernet key is required)")
        if problems:
            raise ConfigError("refusing to start in production: " + "; ".join(problems))


@lru_cache
def get_settings() -> Settings:
    return Settings()
