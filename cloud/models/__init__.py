"""SQLAlchemy models. Import every model module here so Alembic sees the whole metadata."""

from __future__ import annotations

from cloud.models.base import Base

__all__ = ["Base"]
