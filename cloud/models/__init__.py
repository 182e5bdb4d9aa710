"""SQLAlchemy models. Import every model module here so Alembic sees the whole metadata."""

from __future__ import annotations

from cloud.models import audit as _audit  # noqa: F401  (audit log)
from cloud.models import catalog as _catalog  # noqa: F401  (products, pricing rules)
from cloud.models import feed as _feed  # noqa: F401  (change feed for tills)
from cloud.models import identity as _identity  # noqa: F401  (users, API keys, sessions)
from cloud.models import jobs as _jobs  # noqa: F401  (background jobs)
from cloud.models import reconciliation as _reconciliation  # noqa: F401  (seed 002)
from cloud.models import sales as _sales  # noqa: F401  (synced sales, shifts, fiscal results)
from cloud.models import schedules as _schedules  # noqa: F401
from cloud.models import stock as _stock  # noqa: F401  (stock levels, ledger, reservations)
from cloud.models import stores as _stores  # noqa: F401  (stores, tills, store prices)
from cloud.models import sync as _sync  # noqa: F401  (devices, enrollment, event store)
from cloud.models import tenancy as _tenancy  # noqa: F401  (tenants)
from cloud.models import webhooks as _webhooks  # noqa: F401
from cloud.models.base import Base

__all__ = ["Base"]
