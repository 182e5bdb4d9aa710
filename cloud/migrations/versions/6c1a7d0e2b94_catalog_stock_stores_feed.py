"""Catalog: products, barcodes, embeddings, categories, pricing rules, stock, stores and tills,
import/export runs, and the per-tenant change feed; full-text search per backend.

Full-text search: SQLite gets an FTS5 table (``unicode61 remove_diacritics 2``) kept in step
with ``products.search_text`` by triggers, through a rowid map with an INTEGER PRIMARY KEY (a
plain table's rowid may change on VACUUM). PostgreSQL gets a stored ``tsvector`` column over
``tb_unaccent(search_text)`` with a GIN index; ``tb_unaccent`` wraps the ``unaccent`` extension
when it can be installed, else folds the common Latin diacritics with ``translate``.

Revision ID: 6c1a7d0e2b94
Revises:
Create Date: 2026-11-27 12:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6c1a7d0e2b94"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("catalog",)
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
# Fallback folding when unaccent is unavailable: Romanian, Ukrainian-Latin and common Western.
_FROM = "ăâîșşțţáàäãåéèëêíìïóòöõôúùüûçñýÿčďěňřšťžůłśźżćń"
_TO = "aaissttaaaaaeeeeiiiooooouuuucnyycdenrstzulszzcn"


def upgrade() -> None:
    _tables()
    _fulltext()


def _tables() -> None:
    op.create_table(
        "catalog_files",
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_files")),
    )
    with op.batch_alter_table("catalog_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_catalog_files_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "catalog_settings",
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("allow_negative_stock", sa.Boolean(), nullable=False),
        sa.Column("thresholds", sa.JSON(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_settings")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_catalog_settings_tenant_id")),
    )
    with op.batch_alter_table("catalog_settings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_settings_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "change_feed",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("entity_type", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("op", sa.String(length=8), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_feed")),
        sa.UniqueConstraint("tenant_id", "seq", name=op.f("uq_change_feed_tenant_id_seq")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("change_feed", schema=None) as batch_op:
        batch_op.create_index(
            "ix_change_feed_entity", ["tenant_id", "entity_type", "entity_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_change_feed_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "change_feed_heads",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_change_feed_heads")),
    )
    with op.batch_alter_table("change_feed_heads", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_change_feed_heads_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "pricing_rules",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("action", sa.JSON(), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("requires_approval", sa.Boolean(), nullable=False),
        sa.Column("approval_threshold", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("starts_at", TS, nullable=True),
        sa.Column("ends_at", TS, nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("stackable", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pricing_rules")),
    )
    with op.batch_alter_table("pricing_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pricing_rules_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(
            "ix_pricing_rules_tenant_status", ["tenant_id", "status"], unique=False
        )

    op.create_table(
        "product_categories",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_categories")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_product_categories_tenant_id_name")),
    )
    with op.batch_alter_table("product_categories", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_product_categories_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "products",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("short_description", sa.String(length=1000), nullable=True),
        sa.Column("category", sa.String(length=200), nullable=True),
        sa.Column("subcategory", sa.String(length=200), nullable=True),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("vat_group", sa.String(length=32), nullable=False),
        sa.Column("cost_price", sa.BigInteger(), nullable=True),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("weight", sa.BigInteger(), nullable=True),
        sa.Column("dimensions", sa.JSON(), nullable=True),
        sa.Column("min_stock", sa.BigInteger(), nullable=False),
        sa.Column("reorder_point", sa.BigInteger(), nullable=False),
        sa.Column("specifications", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("excise", sa.Boolean(), nullable=False),
        sa.Column("customs_code", sa.String(length=10), nullable=True),
        sa.Column("age_restriction", sa.SmallInteger(), nullable=True),
        sa.Column("translations", sa.JSON(), nullable=False),
        sa.Column("images", sa.JSON(), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("related", sa.JSON(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.Column("deleted_at", TS, nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("tenant_id", "sku", name=op.f("uq_products_tenant_id_sku")),
    )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index(
            "ix_products_tenant_category", ["tenant_id", "category"], unique=False
        )
        batch_op.create_index(
            "ix_products_tenant_created", ["tenant_id", "created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_products_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index("ix_products_tenant_name", ["tenant_id", "name"], unique=False)
        batch_op.create_index("ix_products_tenant_price", ["tenant_id", "price"], unique=False)
        batch_op.create_index("ix_products_tenant_status", ["tenant_id", "status"], unique=False)

    op.create_table(
        "stock_reservations",
        sa.Column("negotiation_id", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("notes", sa.String(length=1000), nullable=True),
        sa.Column("released_at", TS, nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_reservations")),
    )
    with op.batch_alter_table("stock_reservations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stock_reservations_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            "ix_stock_reservations_tenant_status_expires",
            ["tenant_id", "status", "expires_at"],
            unique=False,
        )

    op.create_table(
        "stores",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.JSON(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("fiscal_ids", sa.JSON(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("deleted_at", TS, nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stores")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_stores_tenant_id_code")),
    )
    with op.batch_alter_table("stores", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stores_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "catalog_tasks",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=True),
        sa.Column("result_file_id", sa.Uuid(), nullable=True),
        sa.Column("queue_job_id", sa.Uuid(), nullable=True),
        sa.Column("total_rows", sa.Integer(), nullable=False),
        sa.Column("processed_rows", sa.Integer(), nullable=False),
        sa.Column("created_count", sa.Integer(), nullable=False),
        sa.Column("updated_count", sa.Integer(), nullable=False),
        sa.Column("unchanged_count", sa.Integer(), nullable=False),
        sa.Column("skipped_count", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.Column("started_at", TS, nullable=True),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("expires_at", TS, nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["catalog_files.id"],
            name=op.f("fk_catalog_tasks_file_id_catalog_files"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["result_file_id"],
            ["catalog_files.id"],
            name=op.f("fk_catalog_tasks_result_file_id_catalog_files"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_tasks")),
    )
    with op.batch_alter_table("catalog_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_catalog_tasks_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index("ix_catalog_tasks_tenant_kind", ["tenant_id", "kind"], unique=False)

    op.create_table(
        "product_barcodes",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_barcodes_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_barcodes")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_product_barcodes_tenant_id_code")),
    )
    with op.batch_alter_table("product_barcodes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_product_barcodes_product_id"), ["product_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_product_barcodes_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "product_embeddings",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("indexed_at", TS, nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_embeddings_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_product_embeddings")),
    )
    with op.batch_alter_table("product_embeddings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_product_embeddings_tenant_hash", ["tenant_id", "text_hash"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_product_embeddings_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            "ix_product_embeddings_tenant_indexed", ["tenant_id", "indexed_at"], unique=False
        )

    op.create_table(
        "stock_locations",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("store_id", sa.Uuid(), nullable=True),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_stock_locations_store_id_stores"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_locations")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_stock_locations_tenant_id_code")),
    )
    with op.batch_alter_table("stock_locations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stock_locations_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "store_prices",
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("starts_at", TS, nullable=True),
        sa.Column("ends_at", TS, nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_store_prices_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_store_prices_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_prices")),
        sa.UniqueConstraint(
            "store_id", "product_id", name=op.f("uq_store_prices_store_id_product_id")
        ),
    )
    with op.batch_alter_table("store_prices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_store_prices_product_id"), ["product_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_store_prices_store_id"), ["store_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_store_prices_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "tills",
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("fiscal_device", sa.JSON(), nullable=False),
        sa.Column("printers", sa.JSON(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", TS, nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_tills_store_id_stores"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tills")),
        sa.UniqueConstraint("store_id", "code", name=op.f("uq_tills_store_id_code")),
    )
    with op.batch_alter_table("tills", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tills_store_id"), ["store_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tills_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "stock_levels",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("on_hand", sa.BigInteger(), nullable=False),
        sa.Column("reserved", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("reserved >= 0", name=op.f("ck_stock_levels_reserved_not_negative")),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["stock_locations.id"],
            name=op.f("fk_stock_levels_location_id_stock_locations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_stock_levels_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_levels")),
        sa.UniqueConstraint(
            "product_id", "location_id", name=op.f("uq_stock_levels_product_id_location_id")
        ),
    )
    with op.batch_alter_table("stock_levels", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stock_levels_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(
            "ix_stock_levels_tenant_product", ["tenant_id", "product_id"], unique=False
        )

    op.create_table(
        "stock_movements",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("previous_stock", sa.BigInteger(), nullable=False),
        sa.Column("new_stock", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("reference_type", sa.String(length=32), nullable=False),
        sa.Column("reference_id", sa.String(length=100), nullable=True),
        sa.Column("reference_name", sa.String(length=200), nullable=True),
        sa.Column("created_by_type", sa.String(length=8), nullable=False),
        sa.Column("created_by_id", sa.String(length=100), nullable=False),
        sa.Column("created_by_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["stock_locations.id"],
            name=op.f("fk_stock_movements_location_id_stock_locations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_stock_movements_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_movements")),
    )
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stock_movements_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            "ix_stock_movements_tenant_product_created",
            ["tenant_id", "product_id", "created_at"],
            unique=False,
        )

    op.create_table(
        "stock_reservation_items",
        sa.Column("reservation_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("requested", sa.BigInteger(), nullable=False),
        sa.Column("reserved", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["stock_locations.id"],
            name=op.f("fk_stock_reservation_items_location_id_stock_locations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_stock_reservation_items_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reservation_id"],
            ["stock_reservations.id"],
            name=op.f("fk_stock_reservation_items_reservation_id_stock_reservations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_reservation_items")),
    )
    with op.batch_alter_table("stock_reservation_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stock_reservation_items_product_id"), ["product_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stock_reservation_items_reservation_id"),
            ["reservation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_stock_reservation_items_tenant_id"), ["tenant_id"], unique=False
        )


def downgrade() -> None:
    _drop_fulltext()
    with op.batch_alter_table("stock_reservation_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_reservation_items_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_stock_reservation_items_reservation_id"))
        batch_op.drop_index(batch_op.f("ix_stock_reservation_items_product_id"))

    op.drop_table("stock_reservation_items")
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_movements_tenant_product_created")
        batch_op.drop_index(batch_op.f("ix_stock_movements_tenant_id"))

    op.drop_table("stock_movements")
    with op.batch_alter_table("stock_levels", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_levels_tenant_product")
        batch_op.drop_index(batch_op.f("ix_stock_levels_tenant_id"))

    op.drop_table("stock_levels")
    with op.batch_alter_table("tills", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tills_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_tills_store_id"))

    op.drop_table("tills")
    with op.batch_alter_table("store_prices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_store_prices_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_store_prices_store_id"))
        batch_op.drop_index(batch_op.f("ix_store_prices_product_id"))

    op.drop_table("store_prices")
    with op.batch_alter_table("stock_locations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_locations_tenant_id"))

    op.drop_table("stock_locations")
    with op.batch_alter_table("product_embeddings", schema=None) as batch_op:
        batch_op.drop_index("ix_product_embeddings_tenant_indexed")
        batch_op.drop_index(batch_op.f("ix_product_embeddings_tenant_id"))
        batch_op.drop_index("ix_product_embeddings_tenant_hash")

    op.drop_table("product_embeddings")
    with op.batch_alter_table("product_barcodes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_barcodes_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_product_barcodes_product_id"))

    op.drop_table("product_barcodes")
    with op.batch_alter_table("catalog_tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_catalog_tasks_tenant_kind")
        batch_op.drop_index(batch_op.f("ix_catalog_tasks_tenant_id"))

    op.drop_table("catalog_tasks")
    with op.batch_alter_table("stores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stores_tenant_id"))

    op.drop_table("stores")
    with op.batch_alter_table("stock_reservations", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_reservations_tenant_status_expires")
        batch_op.drop_index(batch_op.f("ix_stock_reservations_tenant_id"))

    op.drop_table("stock_reservations")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_index("ix_products_tenant_status")
        batch_op.drop_index("ix_products_tenant_price")
        batch_op.drop_index("ix_products_tenant_name")
        batch_op.drop_index(batch_op.f("ix_products_tenant_id"))
        batch_op.drop_index("ix_products_tenant_created")
        batch_op.drop_index("ix_products_tenant_category")

    op.drop_table("products")
    with op.batch_alter_table("product_categories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_categories_tenant_id"))

    op.drop_table("product_categories")
    with op.batch_alter_table("pricing_rules", schema=None) as batch_op:
        batch_op.drop_index("ix_pricing_rules_tenant_status")
        batch_op.drop_index(batch_op.f("ix_pricing_rules_tenant_id"))

    op.drop_table("pricing_rules")
    with op.batch_alter_table("change_feed", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_feed_tenant_id"))
        batch_op.drop_index("ix_change_feed_entity")

    with op.batch_alter_table("change_feed_heads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_feed_heads_tenant_id"))

    op.drop_table("change_feed_heads")
    op.drop_table("change_feed")
    with op.batch_alter_table("catalog_settings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_settings_tenant_id"))

    op.drop_table("catalog_settings")
    with op.batch_alter_table("catalog_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_files_tenant_id"))

    op.drop_table("catalog_files")


def _unaccent_schema(bind: sa.engine.Connection) -> str | None:
    found = bind.execute(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'unaccent'"
        )
    ).scalar()
    if found:
        return str(found)
    nested = bind.begin_nested()
    try:
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public"))
        nested.commit()
    except sa.exc.DBAPIError:
        nested.rollback()  # no privilege, not installed, or a concurrent CREATE: look again
    found = bind.execute(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'unaccent'"
        )
    ).scalar()
    return str(found) if found else None


def _fulltext() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE TABLE products_fts_map (rowid INTEGER PRIMARY KEY, "
            "product_id CHAR(32) NOT NULL UNIQUE)"
        )
        op.execute(
            "CREATE VIRTUAL TABLE products_fts USING fts5(search_text, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        op.execute("""
            CREATE TRIGGER products_fts_ai AFTER INSERT ON products BEGIN
              INSERT INTO products_fts_map (product_id) VALUES (new.id);
              INSERT INTO products_fts (rowid, search_text)
                VALUES (last_insert_rowid(), new.search_text);
            END""")
        op.execute("""
            CREATE TRIGGER products_fts_au AFTER UPDATE OF search_text ON products BEGIN
              UPDATE products_fts SET search_text = new.search_text WHERE rowid =
                (SELECT rowid FROM products_fts_map WHERE product_id = new.id);
            END""")
        op.execute("""
            CREATE TRIGGER products_fts_ad AFTER DELETE ON products BEGIN
              DELETE FROM products_fts WHERE rowid =
                (SELECT rowid FROM products_fts_map WHERE product_id = old.id);
              DELETE FROM products_fts_map WHERE product_id = old.id;
            END""")
        return
    schema = _unaccent_schema(bind)
    if schema:
        body = f"SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1)"
    else:
        body = f"SELECT translate(lower($1), '{_FROM}', '{_TO}')"
    op.execute(
        f"CREATE FUNCTION tb_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE "
        f"PARALLEL SAFE STRICT AS $$ {body} $$"
    )
    op.execute(
        "ALTER TABLE products ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS "
        "(to_tsvector('simple'::regconfig, tb_unaccent(search_text))) STORED"
    )
    op.execute("CREATE INDEX ix_products_search_tsv ON products USING gin (search_tsv)")


def _drop_fulltext() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("products_fts_ai", "products_fts_au", "products_fts_ad"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS products_fts")
        op.execute("DROP TABLE IF EXISTS products_fts_map")
        return
    op.execute("DROP INDEX IF EXISTS ix_products_search_tsv")
    op.execute("ALTER TABLE products DROP COLUMN IF EXISTS search_tsv")
    op.execute("DROP FUNCTION IF EXISTS tb_unaccent(text)")
