"""Fake Google token endpoint and GA4 Data API ``runReport``.

``POST /token`` verifies the RFC 7523 assertion as Google does: RS256 signature by the service
account's key, ``iss`` = the account's email, ``aud`` = this token URL, the analytics scope, not
expired; it answers an access token. ``POST /v1beta/properties/{id}:runReport`` checks the
Bearer token and the property, then aggregates purchase events by ``transactionId`` (revenue
summed, ``transactions`` counted) over ``dateRanges``, paged by ``offset``/``limit`` with
``rowCount``. Errors use Google's ``{"error": {code, message, status}}`` shape.

Run alone: ``python -m cloud.integrations.emulators.ga4_fake``.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from cloud.integrations.emulators._faults import FaultSwitch, control_router

__all__ = ["GA4Event", "GA4FakeState", "create_app", "make_service_account"]

SCOPE = "https://www.googleapis.com/auth/analytics.readonly"
_DIMENSIONS = {"transactionId", "date"}
_METRICS = {"purchaseRevenue": "TYPE_CURRENCY", "transactions": "TYPE_INTEGER"}


@dataclass(frozen=True)
class GA4Event:
    """One purchase event as GA4 recorded it (revenue as decimal text)."""

    transaction_id: str
    revenue: str
    day: date


@dataclass
class GA4FakeState:
    property_id: str
    client_email: str
    public_key_pem: str
    events: list[GA4Event] = field(default_factory=list)
    currency_code: str = "RON"
    time_zone: str = "Europe/Bucharest"
    faults: FaultSwitch = field(default_factory=FaultSwitch)
    token_faults: FaultSwitch = field(default_factory=FaultSwitch)
    tokens: set[str] = field(default_factory=set)
    report_calls: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


def make_service_account(token_uri: str, *, project: str = "tb-fake",
                         email: str | None = None) -> tuple[dict[str, Any], str]:
    """A fresh RSA service account: (the JSON key file as a dict, the public key PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    email = email or f"recon@{project}.iam.gserviceaccount.com"
    account = {
        "type": "service_account", "project_id": project,
        "private_key_id": secrets.token_hex(20), "private_key": private_pem,
        "client_email": email, "client_id": str(secrets.randbelow(10**20)),
        "auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": token_uri,
    }
    return account, public_pem


def _google_error(code: int, status: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "status": status}},
                        status_code=code)


def _fault(code: int) -> JSONResponse:
    names = {429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}
    return _google_error(code, names.get(code, "UNKNOWN"), "fault switch")


def create_app(state: GA4FakeState) -> FastAPI:
    app = FastAPI(title="Fake GA4 Data API", docs_url=None, redoc_url=None)
    app.include_router(control_router(state.faults))

    @app.post("/token")
    async def token(request: Request) -> Any:
        status = state.token_faults.trip()
        if status is not None:
            return _fault(status)
        form = await request.form()
        if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        audience = str(request.url).split("?", 1)[0]
        try:
            claims = jwt.decode(str(form.get("assertion", "")), state.public_key_pem,
                                algorithms=["RS256"], audience=audience,
                                issuer=state.client_email,
                                options={"require": ["exp", "iat", "iss", "aud"]})
        except jwt.PyJWTError as exc:
            return JSONResponse({"error": "invalid_grant",
                                 "error_description": f"Invalid JWT: {exc}"}, status_code=400)
        if SCOPE not in str(claims.get("scope", "")).split():
            return JSONResponse({"error": "invalid_scope"}, status_code=400)
        access = "ya29.fake-" + secrets.token_urlsafe(24)
        with state._lock:
            state.tokens.add(access)
        return {"access_token": access, "expires_in": 3599, "token_type": "Bearer"}

    @app.post("/v1beta/properties/{property_id}:runReport")
    async def run_report(property_id: str, request: Request) -> Any:
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in state.tokens:
            return _google_error(401, "UNAUTHENTICATED",
                                 "Request had invalid authentication credentials.")
        if property_id != state.property_id:
            return _google_error(403, "PERMISSION_DENIED",
                                 "User does not have sufficient permissions for this property.")
        status = state.faults.trip()
        if status is not None:
            return _fault(status)
        state.report_calls += 1
        try:
            body = await request.json()
            ranges = body["dateRanges"]
            first = date.fromisoformat(ranges[0]["startDate"])
            last = date.fromisoformat(ranges[0]["endDate"])
            dims = [d["name"] for d in body.get("dimensions", [])]
            mets = [m["name"] for m in body.get("metrics", [])]
            limit = int(body.get("limit", 10_000))
            offset = int(body.get("offset", 0))
        except (ValueError, KeyError, IndexError, TypeError):
            return _google_error(400, "INVALID_ARGUMENT", "Malformed runReport request.")
        unknown = [d for d in dims if d not in _DIMENSIONS] + [m for m in mets if m not in _METRICS]
        if unknown or not mets or limit < 1 or offset < 0 or first > last:
            return _google_error(400, "INVALID_ARGUMENT", f"Invalid request: {unknown or 'range'}")
        groups: dict[tuple[str, ...], list[GA4Event]] = {}
        for ev in state.events:
            if first <= ev.day <= last:
                key = tuple(ev.transaction_id if d == "transactionId"
                            else ev.day.strftime("%Y%m%d") for d in dims)
                groups.setdefault(key, []).append(ev)
        rows = []
        for key in sorted(groups):
            evs = groups[key]
            values = {"purchaseRevenue": str(sum((Decimal(e.revenue) for e in evs), Decimal(0))),
                      "transactions": str(len(evs))}
            rows.append({"dimensionValues": [{"value": v} for v in key],
                         "metricValues": [{"value": values[m]} for m in mets]})
        page = rows[offset:offset + limit]
        reply: dict[str, Any] = {
            "dimensionHeaders": [{"name": d} for d in dims],
            "metricHeaders": [{"name": m, "type": _METRICS[m]} for m in mets],
            "rowCount": len(rows),
            "metadata": {"currencyCode": state.currency_code, "timeZone": state.time_zone},
            "kind": "analyticsData#runReport",
        }
        if page:
            reply["rows"] = page
        return reply

    return app


if __name__ == "__main__":  # pragma: no cover - manual demo entry point
    import argparse
    import json

    import uvicorn

    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8803)
    args = ap.parse_args()
    sa, pub = make_service_account(f"http://127.0.0.1:{args.port}/token")
    print(json.dumps({"property_id": "123456789", "credentials_json": sa,
                      "api_base": f"http://127.0.0.1:{args.port}"}))
    st = GA4FakeState(property_id="123456789", client_email=sa["client_email"],
                      public_key_pem=pub)
    uvicorn.run(create_app(st), host="127.0.0.1", port=args.port)
