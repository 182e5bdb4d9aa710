"""From a connector's type and decrypted config to an order source (an httpx client).

Every network source goes through the outbound policy (``OUTBOUND_ALLOWED_TARGETS``): the URLs
were checked when stored, and each request is checked again where it connects.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from cloud.integrations.configs import (
    ConnectorConfig,
    GA4Config,
    ShopifyConfig,
    TillbridgeConfig,
    WooCommerceConfig,
)
from cloud.integrations.ga4 import GA4Client
from cloud.integrations.outbound import OutboundPolicy
from cloud.integrations.shopify import ShopifyClient
from cloud.integrations.tillbridge import SalesReader, TillbridgeSalesClient
from cloud.integrations.woocommerce import WooCommerceClient

__all__ = ["Source", "build_source"]

Source = GA4Client | ShopifyClient | WooCommerceClient | TillbridgeSalesClient


def build_source(config: ConnectorConfig, *, tenant_id: uuid.UUID, sales_reader: SalesReader,
                 policy: OutboundPolicy, timeout: float = 30.0,
                 transport: httpx.BaseTransport | None = None) -> Source:
    """The client for ``config``; call ``close()`` when done."""
    kw: dict[str, Any] = {"timeout": timeout, "transport": transport, "policy": policy}
    if isinstance(config, GA4Config):
        return GA4Client(config, **kw)
    if isinstance(config, ShopifyConfig):
        return ShopifyClient(config, **kw)
    if isinstance(config, WooCommerceConfig):
        return WooCommerceClient(config, **kw)
    if isinstance(config, TillbridgeConfig):
        return TillbridgeSalesClient(config, tenant_id=tenant_id, reader=sales_reader)
    raise TypeError(f"no source for {type(config).__name__}")
