"""Per-entity recurring schedules (seed 002 §5): a fire only enqueues a job."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cloud.models.base import Base, IdMixin, Name, TenantMixin, TimestampMixin, UTCDateTime

__all__ = ["Schedule"]


class Schedule(IdMixin, TenantMixin, TimestampMixin, Base):
    """When to enqueue ``task`` for one entity: hourly, daily or weekly in an IANA zone.

    ``time_of_day`` is wall-clock time in ``timezone`` (hourly schedules use its minutes and
    seconds); ``weekday`` is 0 = Monday for weekly schedules.
    """

    __tablename__ = "job_schedules"

    name: Mapped[str] = mapped_column(Name)
    task: Mapped[str] = mapped_column(String(200))
    queue: Mapped[str] = mapped_column(String(100), default="default")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    entity_type: Mapped[str] = mapped_column(String(50), default="")
    entity_id: Mapped[str] = mapped_column(String(100), default="")
    frequency: Mapped[str] = mapped_column(String(10))
    time_of_day: Mapped[time] = mapped_column(Time, default=time(0, 0))
    weekday: Mapped[int | None] = mapped_column(Integer)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    max_retries: Mapped[int] = mapped_column(Integer, default=3)
    last_fire_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("frequency IN ('hourly', 'daily', 'weekly')", name="frequency"),
        CheckConstraint("weekday IS NULL OR weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("max_retries BETWEEN 0 AND 5", name="max_retries"),
        UniqueConstraint("tenant_id", "task", "entity_type", "entity_id"),
    )
