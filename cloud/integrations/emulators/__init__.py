"""Local fake servers for the order sources (Shopify, WooCommerce, GA4).

They implement exactly the endpoints our clients call, with the same auth checks and paging,
plus fault switches, so tests and ``make demo`` exercise the real httpx clients over 127.0.0.1.
"""

from __future__ import annotations
