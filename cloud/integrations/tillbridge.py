"""Tillbridge's own synced sales as a reconciliation backend.

The connector does no I/O of its own: it asks a :class:`SalesReader` for the tenant's sales in
the chosen stores (``cloud.services.reconciliation.tillbridge_sales`` reads the receipts tills
synced to the cloud).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, Protocol

from cloud.integrations.configs import TillbridgeConfig
from cloud.integrations.orders import OrderRecord

__all__ = ["SalesReader", "TillbridgeSalesClient"]


class SalesReader(Protocol):
    """Sales of ``store_ids`` for ``tenant_id`` with ``start <= sold_at < end`` (UTC)."""

    def __call__(self, *, tenant_id: uuid.UUID, store_ids: list[uuid.UUID],
                 start: datetime, end: datetime,
                 match_field: Literal["number", "id"] = "number") -> list[OrderRecord]: ...


class TillbridgeSalesClient:
    """An :class:`~cloud.integrations.orders.OrderSource` over synced till sales."""

    service = "Tillbridge sales"

    def __init__(self, config: TillbridgeConfig, *, tenant_id: uuid.UUID,
                 reader: SalesReader) -> None:
        self.config = config
        self.tenant_id = tenant_id
        self._reader = reader

    def fetch(self, start: date, end: date) -> list[OrderRecord]:
        first = datetime.combine(start, time.min, UTC)
        after_last = datetime.combine(end + timedelta(days=1), time.min, UTC)
        records = self._reader(tenant_id=self.tenant_id, store_ids=list(self.config.store_ids),
                               start=first, end=after_last,
                               match_field=self.config.match_field)
        if self.config.currency:
            return [r for r in records if not r.currency or r.currency == self.config.currency]
        return records

    def close(self) -> None:
        """Nothing to release; here so every source closes the same way."""
