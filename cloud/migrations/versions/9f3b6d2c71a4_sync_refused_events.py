"""Sync events that claimed another tenant's or till's document are kept with a reason.

``sync_events.refused`` holds why an event was not projected (``foreign_shift``, …; see
``cloud.services.sales.claims``). The partial index lets an operator list them per tenant
without scanning the event log.

Revision ID: 9f3b6d2c71a4
Revises: 8e4b2f6a9c13
Create Date: 2026-12-07 23:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9f3b6d2c71a4"
down_revision: str | Sequence[str] | None = "8e4b2f6a9c13"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("refused", sa.String(length=32), nullable=True))
    op.create_index("ix_sync_events_tenant_refused", "sync_events", ["tenant_id", "received_at"],
                    postgresql_where=sa.text("refused IS NOT NULL"),
                    sqlite_where=sa.text("refused IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("ix_sync_events_tenant_refused", table_name="sync_events")
    with op.batch_alter_table("sync_events", schema=None) as batch_op:
        batch_op.drop_column("refused")
