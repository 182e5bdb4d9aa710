"""Revision d2f8a61c4e90 (SKUs unique whatever their case): it refuses to run over existing
case-duplicates, listing them, and builds the index the models describe once they are gone."""

from __future__ import annotations

import uuid

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from cloud.db import make_engine
from cloud.migrate import alembic_config, upgrade
from cloud.models import Base
from cloud.models.catalog import Product
from cloud.services.identity import tenants
from tests.support.cloud_api import NOW

REVISION = "d2f8a61c4e90"
BEFORE = "6c1a7d0e2b94"


def _product(tenant_id: uuid.UUID, sku: str) -> Product:
    return Product(tenant_id=tenant_id, sku=sku, name=sku, price=100, currency="RON",
                   vat_group="standard", unit="buc", created_at=NOW, updated_at=NOW)


def test_upgrade_refuses_case_duplicates_then_builds_the_index(db_url: str) -> None:
    upgrade(db_url)
    command.downgrade(alembic_config(db_url), BEFORE)
    engine = make_engine(db_url)
    sessions = sessionmaker(engine)
    try:
        with sessions.begin() as s:
            tenant_id = tenants.create_tenant(session=s, name="Shop").id
            other_id = tenants.create_tenant(session=s, name="Other").id
            s.flush()
            s.add_all([_product(tenant_id, "ABC-1"), _product(tenant_id, "abc-1"),
                       _product(tenant_id, "XYZ"), _product(other_id, "xyz")])
        with pytest.raises(RuntimeError) as refused:
            upgrade(db_url)
        assert "ABC-1, abc-1" in str(refused.value) and str(tenant_id) in str(refused.value)
        assert "xyz" not in str(refused.value)  # other tenants' SKUs are not duplicates
        with sessions.begin() as s:
            s.execute(update(Product).where(Product.tenant_id == tenant_id,
                                            Product.sku == "abc-1").values(sku="abc-1b"))
        upgrade(db_url)
        if engine.dialect.name == "postgresql":  # SQLite cannot reflect expression indexes
            with engine.connect() as conn:
                ctx = MigrationContext.configure(conn, opts={"compare_type": True})
                diffs = [d for d in compare_metadata(ctx, Base.metadata)
                         if "uq_products_tenant_sku_lower" in repr(d)]
            assert diffs == []
        with sessions.begin() as s:
            assert len(list(s.scalars(select(Product.sku)))) == 4
        with pytest.raises(IntegrityError), sessions.begin() as s:
            s.add(_product(tenant_id, "Xyz"))
    finally:
        engine.dispose()
