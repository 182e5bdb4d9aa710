"""Sync push storage: a ledger written at sale speed, event payloads compressed with lz4.

* ``stock_movements`` loses its foreign keys and its tenant-only index. The ledger is
  append-only history written for every synced receipt line; each row's referential check ran a
  query and took a KEY SHARE lock on the product row — concurrent pushes of two tills turned
  those locks into multixacts — and cost more than the row itself. Products are soft-deleted;
  the one hard delete removes the product's history explicitly (``delete_product``). The
  ``(tenant_id, product_id, created_at)`` index already serves tenant-only lookups.
* ``sync_events.payload`` (a receipt is ~2.5 KB, over the TOAST threshold) is compressed with
  lz4 instead of pglz where the server has it: the same size, a third of the CPU.

Revision ID: 8e4b2f6a9c13
Revises: 5d0c3a9e1b27
Create Date: 2026-11-27 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8e4b2f6a9c13"
down_revision: str | Sequence[str] | None = "5d0c3a9e1b27"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _has_lz4() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    return bool(bind.execute(sa.text(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
        "WHERE name = 'default_toast_compression'")).scalar())


def upgrade() -> None:
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.drop_constraint("fk_stock_movements_location_id_stock_locations",
                                 type_="foreignkey")
        batch_op.drop_constraint("fk_stock_movements_product_id_products", type_="foreignkey")
        batch_op.drop_index("ix_stock_movements_tenant_id")
    if _has_lz4():
        op.execute("ALTER TABLE sync_events ALTER COLUMN payload SET COMPRESSION lz4")


def downgrade() -> None:
    if _has_lz4():
        op.execute("ALTER TABLE sync_events ALTER COLUMN payload SET COMPRESSION pglz")
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.create_index("ix_stock_movements_tenant_id", ["tenant_id"], unique=False)
        batch_op.create_foreign_key("fk_stock_movements_product_id_products", "products",
                                    ["product_id"], ["id"], ondelete="CASCADE")
        batch_op.create_foreign_key("fk_stock_movements_location_id_stock_locations",
                                    "stock_locations", ["location_id"], ["id"],
                                    ondelete="CASCADE")
