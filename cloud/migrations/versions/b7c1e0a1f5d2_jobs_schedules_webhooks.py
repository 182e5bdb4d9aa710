"""Background jobs, queue pauses, schedules and webhooks (cloud/jobs).

Revision ID: b7c1e0a1f5d2
Revises:
Create Date: 2026-11-27 12:25:25
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7c1e0a1f5d2"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("jobs",)
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
PENDING = "state IN ('waiting', 'delayed')"


def _where(sql: str) -> dict[str, sa.TextClause]:
    return {"postgresql_where": sa.text(sql), "sqlite_where": sa.text(sql)}


def _base(with_timestamps: bool = True) -> list[sa.Column]:
    cols = [sa.Column("id", sa.Uuid(), nullable=False),
            sa.Column("tenant_id", sa.Uuid(), nullable=False)]
    if with_timestamps:
        cols += [sa.Column("created_at", TS, nullable=False),
                 sa.Column("updated_at", TS, nullable=False)]
    return cols


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("queue", sa.String(100), nullable=False),
        sa.Column("task", sa.String(200), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_retries", sa.Integer(), nullable=False),
        sa.Column("retry_delay", sa.Float(), nullable=True),
        sa.Column("backoff_factor", sa.Float(), nullable=True),
        sa.Column("run_at", TS, nullable=False),
        sa.Column("locked_until", TS, nullable=True),
        sa.Column("lease", sa.String(36), nullable=True),
        sa.Column("worker_id", sa.String(200), nullable=True),
        sa.Column("idempotency_key", sa.String(300), nullable=True),
        sa.Column("queueing_lock", sa.String(300), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("started_at", TS, nullable=True),
        sa.Column("finished_at", TS, nullable=True),
        *_base(),
        sa.CheckConstraint(
            "state IN ('waiting', 'active', 'delayed', 'completed', 'failed', 'dead')",
            name=op.f("ck_jobs_state")),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_jobs_attempts")),
        sa.CheckConstraint("max_retries BETWEEN 0 AND 5", name=op.f("ck_jobs_max_retries")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    with op.batch_alter_table("jobs") as b:
        b.create_index("ix_jobs_claim", ["queue", "priority", "run_at"], **_where(PENDING))
        b.create_index("ix_jobs_lease", ["locked_until"], **_where("state = 'active'"))
        b.create_index(b.f("ix_jobs_tenant_id"), ["tenant_id"])
        b.create_index("ix_jobs_tenant_queue_state", ["tenant_id", "queue", "state"])
        b.create_index("uq_jobs_idempotency", ["tenant_id", "queue", "idempotency_key"],
                       unique=True, **_where("idempotency_key IS NOT NULL"))
        b.create_index("uq_jobs_queueing_lock", ["queueing_lock"], unique=True,
                       **_where(f"queueing_lock IS NOT NULL AND {PENDING}"))

    op.create_table(
        "job_queue_pauses",
        sa.Column("queue", sa.String(100), nullable=False),
        sa.Column("paused_at", TS, nullable=False),
        sa.Column("paused_by", sa.String(200), nullable=True),
        *_base(with_timestamps=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_queue_pauses")),
        sa.UniqueConstraint("tenant_id", "queue", name=op.f("uq_job_queue_pauses_tenant_id_queue")),
    )
    with op.batch_alter_table("job_queue_pauses") as b:
        b.create_index(b.f("ix_job_queue_pauses_tenant_id"), ["tenant_id"])

    op.create_table(
        "job_schedules",
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("task", sa.String(200), nullable=False),
        sa.Column("queue", sa.String(100), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("entity_type", sa.String(50), nullable=False),
        sa.Column("entity_id", sa.String(100), nullable=False),
        sa.Column("frequency", sa.String(10), nullable=False),
        sa.Column("time_of_day", sa.Time(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("max_retries", sa.Integer(), nullable=False),
        sa.Column("last_fire_at", TS, nullable=True),
        sa.Column("next_run_at", TS, nullable=True),
        *_base(),
        sa.CheckConstraint("frequency IN ('hourly', 'daily', 'weekly')",
                           name=op.f("ck_job_schedules_frequency")),
        sa.CheckConstraint("max_retries BETWEEN 0 AND 5",
                           name=op.f("ck_job_schedules_max_retries")),
        sa.CheckConstraint("weekday IS NULL OR weekday BETWEEN 0 AND 6",
                           name=op.f("ck_job_schedules_weekday")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_schedules")),
        sa.UniqueConstraint("tenant_id", "task", "entity_type", "entity_id",
                            name=op.f("uq_job_schedules_tenant_id_task_entity_type_entity_id")),
    )
    with op.batch_alter_table("job_schedules") as b:
        b.create_index(b.f("ix_job_schedules_tenant_id"), ["tenant_id"])

    op.create_table(
        "webhook_subscriptions",
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("secret_enc", sa.Text(), nullable=False),
        sa.Column("auth_type", sa.String(10), nullable=False),
        sa.Column("auth_enc", sa.Text(), nullable=True),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("retry_policy", sa.JSON(), nullable=False),
        sa.Column("custom_headers", sa.JSON(), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        *_base(),
        sa.CheckConstraint("auth_type IN ('none', 'basic', 'bearer', 'hmac')",
                           name=op.f("ck_webhook_subscriptions_auth_type")),
        sa.CheckConstraint("kind IN ('api', 'pim_quality')",
                           name=op.f("ck_webhook_subscriptions_kind")),
        sa.CheckConstraint("status IN ('active', 'paused', 'failed')",
                           name=op.f("ck_webhook_subscriptions_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_subscriptions")),
    )
    with op.batch_alter_table("webhook_subscriptions") as b:
        b.create_index(b.f("ix_webhook_subscriptions_tenant_id"), ["tenant_id"])
        b.create_index("uq_webhook_subscriptions_pim", ["tenant_id"], unique=True,
                       **_where("kind = 'pim_quality'"))

    op.create_table(
        "webhook_deliveries",
        sa.Column("subscription_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=True),
        sa.Column("response_excerpt", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("requested_at", TS, nullable=False),
        sa.Column("responded_at", TS, nullable=True),
        *_base(with_timestamps=False),
        sa.CheckConstraint("status IN ('pending', 'success', 'failed')",
                           name=op.f("ck_webhook_deliveries_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
    )
    with op.batch_alter_table("webhook_deliveries") as b:
        for col in ("event_id", "job_id", "subscription_id", "tenant_id"):
            b.create_index(b.f(f"ix_webhook_deliveries_{col}"), [col])
        b.create_index("ix_webhook_deliveries_sub_requested", ["subscription_id", "requested_at"])

    op.create_table(
        "webhook_event_retries",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("last_retry_at", TS, nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_webhook_event_retries")),
    )
    with op.batch_alter_table("webhook_event_retries") as b:
        b.create_index(b.f("ix_webhook_event_retries_tenant_id"), ["tenant_id"])


def downgrade() -> None:
    for table in ("webhook_event_retries", "webhook_deliveries", "webhook_subscriptions",
                  "job_schedules", "job_queue_pauses", "jobs"):
        op.drop_table(table)
