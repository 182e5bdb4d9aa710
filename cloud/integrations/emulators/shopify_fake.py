"""Fake Shopify Admin REST API: ``GET /admin/api/{version}/orders.json`` only.

Behaves as Shopify documents: ``X-Shopify-Access-Token`` checked (401 otherwise), ``limit`` up
to 250, filters ``status``/``created_at_min``/``created_at_max``/``fields``, cursor paging by an
opaque ``page_info`` carried in the ``Link`` header, and 400 when ``page_info`` is mixed with
filters. Orders are kept in memory in :class:`ShopifyFakeState`; ``faults`` fails calls on demand.

Run alone: ``python -m cloud.integrations.emulators.shopify_fake --orders 1050``.
"""

from __future__ import annotations

import base64
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from cloud.integrations.emulators._faults import FaultSwitch, control_router

__all__ = ["ShopifyFakeState", "create_app", "make_orders"]

_FILTERS = ("status", "created_at_min", "created_at_max", "since_id")


@dataclass
class ShopifyFakeState:
    """What the fake shop holds. ``orders`` are Shopify-shaped dicts."""

    access_token: str = "shpat_fake_token_0123456789"
    orders: list[dict[str, Any]] = field(default_factory=list)
    faults: FaultSwitch = field(default_factory=FaultSwitch)
    requests: int = 0


def make_orders(count: int, *, days: int, end: datetime, currency: str = "RON",
                seed: int = 1, first_id: int = 5_000_000_001) -> list[dict[str, Any]]:
    """``count`` orders spread over ``days`` days before ``end``, amounts as decimal text."""
    rng = random.Random(seed)
    span = days * 86_400
    start = end - timedelta(seconds=span)
    orders = []
    for i in range(count):
        created = start + timedelta(seconds=(i * span) // count + rng.randrange(0, 60))
        minor = rng.randint(500, 250_000)
        orders.append({
            "id": first_id + i, "name": f"#{1001 + i}", "order_number": 1001 + i,
            "total_price": str(Decimal(minor).scaleb(-2)), "currency": currency,
            "created_at": created.astimezone(UTC).isoformat(), "cancelled_at": None,
            "test": False, "financial_status": "paid",
        })
    return orders


def _encode(cursor: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(cursor).encode()).decode().rstrip("=")


def _decode(token: str) -> dict[str, Any] | None:
    try:
        padded = token + "=" * (-len(token) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _error(status: int, errors: Any) -> JSONResponse:
    return JSONResponse({"errors": errors}, status_code=status)


def create_app(state: ShopifyFakeState) -> FastAPI:
    app = FastAPI(title="Fake Shopify Admin API", docs_url=None, redoc_url=None)
    app.include_router(control_router(state.faults))

    @app.get("/admin/api/{version}/orders.json")
    def orders(version: str, request: Request) -> Any:
        state.requests += 1
        if request.headers.get("X-Shopify-Access-Token") != state.access_token:
            return _error(401, "[API] Invalid API key or access token (unrecognized login or "
                               "wrong password)")
        status = state.faults.trip()
        if status is not None:
            return _error(status, "Internal Server Error (fault switch)")
        q = request.query_params
        try:
            limit = int(q.get("limit", "50"))
        except ValueError:
            return _error(400, {"limit": ["is not a number"]})
        if not 1 <= limit <= 250:
            return _error(400, {"limit": ["must be between 1 and 250"]})
        if "page_info" in q:
            if any(k in q for k in _FILTERS):
                return _error(400, {"page_info": ["page_info cannot be combined with filters"]})
            cursor = _decode(q["page_info"])
            if cursor is None:
                return _error(400, {"page_info": ["Invalid value."]})
            fields = q.get("fields", cursor.get("fields"))
        else:
            cursor = {"after_id": 0, "status": q.get("status", "open"),
                      "min": q.get("created_at_min"), "max": q.get("created_at_max")}
            fields = q.get("fields")
        try:
            lo, hi = _when(cursor.get("min")), _when(cursor.get("max"))
        except ValueError:
            return _error(400, {"created_at": ["is not a valid date"]})
        wanted = cursor.get("status", "open")

        def keep(o: dict[str, Any]) -> bool:
            created = _when(o["created_at"]) or datetime.min.replace(tzinfo=UTC)
            if (lo and created < lo) or (hi and created > hi):
                return False
            if wanted == "cancelled":
                return bool(o.get("cancelled_at"))
            if wanted == "open":
                return not o.get("cancelled_at")
            return True

        matching = sorted((o for o in state.orders if keep(o)), key=lambda o: o["id"])
        after = [o for o in matching if o["id"] > cursor["after_id"]]
        page, more = after[:limit], len(after) > limit
        if fields:
            names = [f.strip() for f in fields.split(",") if f.strip()]
            page = [{k: o[k] for k in names if k in o} for o in page]
        headers = {}
        if more:
            nxt = _encode({**cursor, "after_id": after[limit - 1]["id"], "fields": fields})
            base = str(request.url).split("?", 1)[0]
            query = urlencode({"limit": limit, **({"fields": fields} if fields else {}),
                               "page_info": nxt})
            headers["Link"] = f'<{base}?{query}>; rel="next"'
        return JSONResponse({"orders": page}, headers=headers)

    return app


if __name__ == "__main__":  # pragma: no cover - manual demo entry point
    import argparse

    import uvicorn

    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8801)
    ap.add_argument("--orders", type=int, default=100)
    args = ap.parse_args()
    st = ShopifyFakeState(orders=make_orders(args.orders, days=30, end=datetime.now(UTC)))
    uvicorn.run(create_app(st), host="127.0.0.1", port=args.port)
