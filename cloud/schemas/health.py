"""The liveness and database health body."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

__all__ = ["Health"]


class Health(BaseModel):
    status: str
    version: str
    database: dict[str, Any]
