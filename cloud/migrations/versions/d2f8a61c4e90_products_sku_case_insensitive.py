"""SKUs are unique per tenant regardless of case: ``ABC-1`` and ``abc-1`` are one product.

A scanner, a spreadsheet and a person typing do not agree on case, and a till looks a SKU up
as typed; two products whose SKUs differ only by case would be two shelves for one item. The
unique index is on ``(tenant_id, lower(sku))`` over every row, soft-deleted ones included,
since a soft-deleted product keeps its SKU and is brought back when the SKU is created again.
SKUs are ASCII (``[A-Za-z0-9._/-]``), so SQLite's ASCII ``lower()`` and PostgreSQL's agree. The
exact ``(tenant_id, sku)`` constraint stays: it is the index the exact look-ups use, and
dropping it would rebuild the table on SQLite (and its full-text triggers). SQLAlchemy does
not reflect expression indexes on SQLite: a later ``batch_alter_table("products")`` must create
this index again after the batch, or it is lost.

A database that already holds SKUs differing only by case is not changed: the upgrade stops
and lists them (tenant, SKUs), so an operator decides which product keeps the SKU (rename the
others) before migrating; merging products silently would mix their stock and sales.

Revision ID: d2f8a61c4e90
Revises: 6c1a7d0e2b94
Create Date: 2026-12-08 01:00:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d2f8a61c4e90"
down_revision: str | Sequence[str] | None = "6c1a7d0e2b94"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "uq_products_tenant_sku_lower"
_SHOWN = 50


class CaseDuplicateSkus(RuntimeError):
    """Products whose SKUs differ only by case; rename them before this upgrade."""


def _conflicts() -> list[tuple[str, str]]:
    rows = op.get_bind().execute(sa.text(
        "SELECT tenant_id, lower(sku) AS folded FROM products "
        "GROUP BY tenant_id, lower(sku) HAVING count(*) > 1 "
        "ORDER BY tenant_id, lower(sku)")).all()
    out: list[tuple[str, str]] = []
    for tenant_id, folded in rows[:_SHOWN]:
        skus = op.get_bind().execute(sa.text(
            "SELECT sku FROM products WHERE tenant_id = :t AND lower(sku) = :f ORDER BY sku"),
            {"t": tenant_id, "f": folded}).scalars().all()
        # SQLite keeps UUIDs as 32 hex digits: show the usual form on both backends.
        out.append((str(uuid.UUID(str(tenant_id))), ", ".join(skus)))
    if len(rows) > _SHOWN:
        out.append(("…", f"{len(rows) - _SHOWN} more groups"))
    return out


def upgrade() -> None:
    found = _conflicts()
    if found:
        listed = "\n".join(f"  tenant {t}: {skus}" for t, skus in found)
        raise CaseDuplicateSkus(
            "SKUs must be unique regardless of case, and these products' SKUs differ only by "
            "case; rename all but one in each group (soft-deleted products count too), then "
            f"upgrade again:\n{listed}")
    op.create_index(INDEX, "products", ["tenant_id", sa.text("lower(sku)")], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="products")
