"""WooCommerce REST API v3 orders: ``/wp-json/wc/v3/orders`` with consumer-key auth.

Auth is HTTP Basic with the consumer key and secret, which WooCommerce accepts over HTTPS (the
config refuses plain http except for the loopback fake). Pages are numbered; the
``X-WP-TotalPages`` header says when to stop. Dates are sent as GMT (``dates_are_gmt``).
Orders that never became revenue (cancelled, failed, draft, trashed) are left out.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx

from cloud.integrations.configs import WooCommerceConfig
from cloud.integrations.orders import (
    IntegrationResponseError,
    OrderRecord,
    check_response,
    map_httpx_errors,
    to_minor,
)
from cloud.integrations.outbound import OutboundPolicy, OutboundTransport

__all__ = ["NOT_REVENUE", "PAGE_SIZE", "WooCommerceClient"]

PAGE_SIZE = 100  # WooCommerce's maximum per_page
NOT_REVENUE = frozenset({"cancelled", "failed", "trash", "checkout-draft", "pending"})
_MAX_PAGES = 50_000


def _parse_gmt(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


class WooCommerceClient:
    """Reads orders page by page; every request is vetted by ``policy`` (strict when not
    given)."""

    service = "WooCommerce"

    def __init__(self, config: WooCommerceConfig, *, timeout: float = 30.0,
                 transport: httpx.BaseTransport | None = None,
                 policy: OutboundPolicy | None = None,
                 page_size: int = PAGE_SIZE) -> None:
        self.config = config
        self.page_size = page_size
        self._client = httpx.Client(
            base_url=f"{config.url}/wp-json/wc/v3",
            auth=httpx.BasicAuth(config.consumer_key, config.consumer_secret),
            headers={"Accept": "application/json"}, timeout=timeout, follow_redirects=False,
            trust_env=False, transport=transport or OutboundTransport(policy or OutboundPolicy()))

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> WooCommerceClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def fetch(self, start: date, end: date) -> list[OrderRecord]:
        """Orders created in ``[start 00:00, end+1 00:00)`` GMT that count as revenue."""
        after = datetime.combine(start, time.min, UTC) - timedelta(seconds=1)
        before = datetime.combine(end + timedelta(days=1), time.min, UTC)
        base = {
            "after": after.strftime("%Y-%m-%dT%H:%M:%S"),
            "before": before.strftime("%Y-%m-%dT%H:%M:%S"),
            "dates_are_gmt": "true", "per_page": self.page_size, "orderby": "id", "order": "asc",
        }
        records: list[OrderRecord] = []
        page, total_pages = 1, 1
        with map_httpx_errors(self.service):
            while page <= total_pages and page <= _MAX_PAGES:
                resp = self._client.get("/orders", params={**base, "page": page})
                check_response(resp, self.service)
                records.extend(self._records(resp.json()))
                try:
                    total_pages = int(resp.headers.get("X-WP-TotalPages", "1"))
                except ValueError as exc:
                    raise IntegrationResponseError("WooCommerce sent a bad X-WP-TotalPages") \
                        from exc
                page += 1
        return records

    def _records(self, body: Any) -> list[OrderRecord]:
        if not isinstance(body, list):
            raise IntegrationResponseError("WooCommerce reply is not a list of orders")
        out = []
        for order in body:
            if not isinstance(order, dict) or order.get("status") in NOT_REVENUE:
                continue
            key = order.get(self.config.match_field)
            if key in (None, "") or "total" not in order:
                raise IntegrationResponseError("WooCommerce order without id or total")
            cur = str(order.get("currency") or "")
            out.append(OrderRecord(
                order_id=str(key),
                amount_minor=to_minor(order["total"], cur, source=self.service),
                currency=cur,
                created_at=_parse_gmt(order.get("date_created_gmt")),
            ))
        return out
