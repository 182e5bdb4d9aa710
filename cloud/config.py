"""Cloud settings from the environment, with safe defaults for the embedded (SQLite) mode."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.paths import data_home

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    """Read once per process; tests build their own instance."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    database_url: str = ""
    encryption_key: str = ""
    jwt_secret: str = ""
    redis_url: str = ""
    scheduler_enabled: bool = False
    debug: bool = False
    host: str = "127.0.0.1"
    port: int = 8000

    @property
    def embedded(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        path = data_home() / "cloud" / "tillbridge.sqlite3"
        return f"sqlite:///{path}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
