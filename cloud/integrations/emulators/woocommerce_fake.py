"""Fake WooCommerce REST API v3: ``GET /wp-json/wc/v3/orders`` only.

As WooCommerce does: consumer key/secret by HTTP Basic auth or ``consumer_key``/
``consumer_secret`` query parameters (401 ``woocommerce_rest_cannot_view`` otherwise),
``page``/``per_page`` (max 100) with ``X-WP-Total`` and ``X-WP-TotalPages`` headers,
``after``/``before`` (exclusive) on the creation date, GMT when ``dates_are_gmt=true``.

Run alone: ``python -m cloud.integrations.emulators.woocommerce_fake --orders 1050``.
"""

from __future__ import annotations

import base64
import binascii
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from cloud.integrations.emulators._faults import FaultSwitch, control_router

__all__ = ["WooFakeState", "create_app", "make_orders"]


@dataclass
class WooFakeState:
    consumer_key: str = "ck_fake0123456789abcdef"
    consumer_secret: str = "cs_fake0123456789abcdef"
    orders: list[dict[str, Any]] = field(default_factory=list)
    faults: FaultSwitch = field(default_factory=FaultSwitch)
    requests: int = 0


def make_orders(count: int, *, days: int, end: datetime, currency: str = "RON",
                seed: int = 2, first_id: int = 10_001) -> list[dict[str, Any]]:
    """``count`` completed orders spread over ``days`` days before ``end``."""
    rng = random.Random(seed)
    span = days * 86_400
    start = end - timedelta(seconds=span)
    out = []
    for i in range(count):
        created = (start + timedelta(seconds=(i * span) // count + rng.randrange(0, 60)))
        minor = rng.randint(500, 250_000)
        gmt = created.astimezone(UTC).replace(tzinfo=None, microsecond=0).isoformat()
        out.append({
            "id": first_id + i, "number": str(first_id + i), "status": "completed",
            "currency": currency, "total": str(Decimal(minor).scaleb(-2)),
            "date_created": gmt, "date_created_gmt": gmt,
        })
    return out


def _unauthorized() -> JSONResponse:
    return JSONResponse({"code": "woocommerce_rest_cannot_view",
                         "message": "Sorry, you cannot list resources.",
                         "data": {"status": 401}}, status_code=401)


def _bad(param: str, message: str) -> JSONResponse:
    return JSONResponse({"code": "rest_invalid_param", "message": f"Invalid parameter(s): {param}",
                         "data": {"status": 400, "params": {param: message}}}, status_code=400)


def _credentials(request: Request) -> tuple[str | None, str | None]:
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        try:
            user, _, pw = base64.b64decode(header[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None, None
        return user, pw
    return request.query_params.get("consumer_key"), request.query_params.get("consumer_secret")


def _naive(text: str) -> datetime:
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def create_app(state: WooFakeState) -> FastAPI:
    app = FastAPI(title="Fake WooCommerce REST API", docs_url=None, redoc_url=None)
    app.include_router(control_router(state.faults))

    @app.get("/wp-json/wc/v3/orders")
    def orders(request: Request) -> Any:
        state.requests += 1
        key, secret = _credentials(request)
        if key != state.consumer_key or secret != state.consumer_secret:
            return _unauthorized()
        status = state.faults.trip()
        if status is not None:
            return JSONResponse({"code": "internal_server_error", "message": "fault switch",
                                 "data": {"status": status}}, status_code=status)
        q = request.query_params
        try:
            page, per_page = int(q.get("page", "1")), int(q.get("per_page", "10"))
        except ValueError:
            return _bad("page", "page and per_page must be integers")
        if page < 1:
            return _bad("page", "page must be at least 1")
        if not 1 <= per_page <= 100:
            return _bad("per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)")
        gmt = q.get("dates_are_gmt", "false").lower() in ("1", "true")
        date_key = "date_created_gmt" if gmt else "date_created"
        try:
            after = _naive(q["after"]) if q.get("after") else None
            before = _naive(q["before"]) if q.get("before") else None
        except ValueError:
            return _bad("after", "Invalid date.")
        statuses = {s for s in q.get("status", "any").split(",") if s}

        def keep(o: dict[str, Any]) -> bool:
            created = _naive(o[date_key])
            if (after and created <= after) or (before and created >= before):
                return False
            return "any" in statuses or o["status"] in statuses

        matching = [o for o in state.orders if keep(o)]
        reverse = q.get("order", "desc") == "desc"
        sort_key = q.get("orderby", "date")
        matching.sort(key=(lambda o: o["id"]) if sort_key == "id"
                      else (lambda o: (o[date_key], o["id"])), reverse=reverse)
        total = len(matching)
        pages = (total + per_page - 1) // per_page
        chunk = matching[(page - 1) * per_page: page * per_page]
        return JSONResponse(chunk, headers={"X-WP-Total": str(total),
                                            "X-WP-TotalPages": str(pages)})

    return app


if __name__ == "__main__":  # pragma: no cover - manual demo entry point
    import argparse

    import uvicorn

    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8802)
    ap.add_argument("--orders", type=int, default=100)
    args = ap.parse_args()
    st = WooFakeState(orders=make_orders(args.orders, days=30, end=datetime.now(UTC)))
    uvicorn.run(create_app(st), host="127.0.0.1", port=args.port)
