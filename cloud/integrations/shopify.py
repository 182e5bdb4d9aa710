"""Shopify Admin REST orders API: every order created in a date range.

Paging follows Shopify's cursor rules: the first request carries the filters, every next page is
the URL in the ``Link: <...page_info=...>; rel="next"`` header (Shopify refuses filters together
with ``page_info``). Cancelled and test orders are left out: they are not revenue.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx

from cloud.integrations.configs import ShopifyConfig
from cloud.integrations.orders import (
    IntegrationResponseError,
    OrderRecord,
    check_response,
    map_httpx_errors,
    to_minor,
)
from cloud.integrations.outbound import OutboundPolicy, OutboundTransport

__all__ = ["PAGE_SIZE", "ShopifyClient"]

PAGE_SIZE = 250
_FIELDS = "id,name,order_number,total_price,currency,created_at,cancelled_at,test"
_MAX_PAGES = 10_000  # a loop guard: a shop with 2.5 million orders in one range is not sane


def _parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None


class ShopifyClient:
    """Reads orders. Every request is vetted by ``policy`` (strict when not given); pass
    ``transport`` only to route through something other than the network."""

    service = "Shopify"

    def __init__(self, config: ShopifyConfig, *, timeout: float = 30.0,
                 transport: httpx.BaseTransport | None = None,
                 policy: OutboundPolicy | None = None,
                 page_size: int = PAGE_SIZE) -> None:
        self.config = config
        self.page_size = page_size
        self._client = httpx.Client(
            base_url=f"{config.shop_url}/admin/api/{config.api_version}",
            headers={"X-Shopify-Access-Token": config.access_token,
                     "Accept": "application/json"},
            timeout=timeout, follow_redirects=False, trust_env=False,
            transport=transport or OutboundTransport(policy or OutboundPolicy()))

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> ShopifyClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def fetch(self, start: date, end: date) -> list[OrderRecord]:
        """Orders created in ``[start 00:00, end+1 00:00)`` UTC, cancelled/test ones left out."""
        first = datetime.combine(start, time.min, UTC)
        last = datetime.combine(end + timedelta(days=1), time.min, UTC) - timedelta(seconds=1)
        params: dict[str, Any] | None = {
            "status": "any", "limit": self.page_size, "fields": _FIELDS,
            "created_at_min": first.isoformat(), "created_at_max": last.isoformat(),
        }
        url = "/orders.json"
        records: list[OrderRecord] = []
        with map_httpx_errors(self.service):
            for _ in range(_MAX_PAGES):
                resp = self._client.get(url, params=params)
                check_response(resp, self.service)
                records.extend(self._records(resp.json()))
                nxt = resp.links.get("next", {}).get("url")
                if not nxt:
                    return records
                url, params = nxt, None
        raise IntegrationResponseError("Shopify kept returning next pages; stopped")

    def _records(self, body: Any) -> list[OrderRecord]:
        orders = body.get("orders") if isinstance(body, dict) else None
        if not isinstance(orders, list):
            raise IntegrationResponseError("Shopify reply has no 'orders' list")
        out = []
        for order in orders:
            if not isinstance(order, dict) or order.get("cancelled_at") or order.get("test"):
                continue
            key = order.get(self.config.match_field)
            if key in (None, "") or "total_price" not in order:
                raise IntegrationResponseError("Shopify order without id or total_price")
            cur = str(order.get("currency") or "")
            out.append(OrderRecord(
                order_id=str(key),
                amount_minor=to_minor(order["total_price"], cur, source=self.service),
                currency=cur,
                created_at=_parse_time(order.get("created_at")),
            ))
        return out
