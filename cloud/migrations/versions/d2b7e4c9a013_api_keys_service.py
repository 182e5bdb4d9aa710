"""API keys die with their creator unless made as service keys.

``api_keys.service`` marks a key an admin made for a service (it survives its creator being
deleted or suspended); every other key is revoked with its creator. Existing keys are
personal keys (false).

Revision ID: d2b7e4c9a013
Revises: c4a1d0e7f001
Create Date: 2026-12-08 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d2b7e4c9a013"
down_revision: str | Sequence[str] | None = "c4a1d0e7f001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("service", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_column("service")
