"""GA4 Data API ``properties/{id}:runReport``: purchase revenue per ``transactionId``.

Auth is Google's service-account flow (RFC 7523): a JWT signed RS256 with the account's private
key is posted to the account's ``token_uri`` for an access token, which is then sent as
``Bearer``. The token URI comes from the service-account JSON, so a local fake can serve it.

The report asks for ``purchaseRevenue`` and ``transactions`` per ``transactionId``; GA4 sums a
transaction id that was recorded twice, and ``transactions`` tells us how many times it was.
Rows are paged with ``offset``/``limit`` until ``rowCount`` is reached.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import jwt

from cloud.integrations.configs import GA4Config
from cloud.integrations.orders import (
    IntegrationAuthError,
    IntegrationResponseError,
    OrderRecord,
    check_response,
    map_httpx_errors,
    to_minor,
)
from cloud.integrations.outbound import OutboundPolicy, OutboundTransport

__all__ = ["PAGE_SIZE", "SCOPE", "GA4Client"]

SCOPE = "https://www.googleapis.com/auth/analytics.readonly"
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
PAGE_SIZE = 10_000
_NOT_SET = {"", "(not set)"}
_MAX_PAGES = 10_000


class GA4Client:
    """Reads purchase transactions from a GA4 property; every request is vetted by ``policy``
    (strict when not given)."""

    service = "GA4"

    def __init__(self, config: GA4Config, *, timeout: float = 30.0,
                 transport: httpx.BaseTransport | None = None,
                 policy: OutboundPolicy | None = None, page_size: int = PAGE_SIZE,
                 clock: Callable[[], float] = _time.time) -> None:
        self.config = config
        self.page_size = page_size
        self._clock = clock
        self._token: str | None = None
        self._token_expires = 0.0
        self._client = httpx.Client(
            timeout=timeout, headers={"Accept": "application/json"}, follow_redirects=False,
            trust_env=False, transport=transport or OutboundTransport(policy or OutboundPolicy()))

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> GA4Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def assertion(self) -> str:
        """The signed JWT that asks the token URI for an access token."""
        sa = self.config.credentials_json
        now = int(self._clock())
        claims = {"iss": sa.client_email, "scope": SCOPE, "aud": sa.token_uri,
                  "iat": now, "exp": now + 3600}
        headers = {"kid": sa.private_key_id} if sa.private_key_id else None
        try:
            return jwt.encode(claims, sa.private_key, algorithm="RS256", headers=headers)
        except (ValueError, TypeError, jwt.PyJWTError) as exc:
            raise IntegrationAuthError(
                "GA4 service-account private_key cannot sign (not an RSA PEM key?)") from exc

    def access_token(self) -> str:
        """A cached access token, refreshed a minute before it expires."""
        if self._token and self._clock() < self._token_expires - 60:
            return self._token
        with map_httpx_errors(self.service):
            resp = self._client.post(self.config.credentials_json.token_uri, data={
                "grant_type": GRANT_TYPE, "assertion": self.assertion()})
            if resp.status_code in (400, 401, 403):
                raise IntegrationAuthError(
                    f"GA4 token endpoint refused the service account (HTTP {resp.status_code})",
                    upstream_status=resp.status_code)
            check_response(resp, self.service)
            body = resp.json()
        token = body.get("access_token") if isinstance(body, dict) else None
        if not token:
            raise IntegrationResponseError("GA4 token endpoint sent no access_token")
        self._token = str(token)
        self._token_expires = self._clock() + float(body.get("expires_in", 3600))
        return self._token

    def _report_url(self) -> str:
        return f"{self.config.api_base}/v1beta/properties/{self.config.property_id}:runReport"

    def fetch(self, start: date, end: date) -> list[OrderRecord]:
        """Every transaction id with revenue in ``[start, end]`` (the property's days)."""
        records: list[OrderRecord] = []
        offset = 0
        with map_httpx_errors(self.service):
            for _ in range(_MAX_PAGES):
                body = {
                    "dateRanges": [{"startDate": start.isoformat(), "endDate": end.isoformat()}],
                    "dimensions": [{"name": "transactionId"}],
                    "metrics": [{"name": "purchaseRevenue"}, {"name": "transactions"}],
                    "limit": str(self.page_size), "offset": str(offset),
                    "orderBys": [{"dimension": {"dimensionName": "transactionId"}}],
                }
                resp = self._client.post(self._report_url(), json=body, headers={
                    "Authorization": f"Bearer {self.access_token()}"})
                check_response(resp, self.service)
                page, row_count, rows = self._records(resp.json())
                records.extend(page)
                offset += rows
                if rows == 0 or offset >= row_count:
                    return records
        raise IntegrationResponseError("GA4 kept returning rows; stopped")

    def _records(self, body: Any) -> tuple[list[OrderRecord], int, int]:
        if not isinstance(body, dict):
            raise IntegrationResponseError("GA4 reply is not a report")
        rows = body.get("rows") or []
        metrics = [m.get("name") for m in body.get("metricHeaders") or []]
        try:
            i_rev, i_count = metrics.index("purchaseRevenue"), metrics.index("transactions")
        except ValueError:
            if not rows:
                return [], int(body.get("rowCount") or 0), 0
            raise IntegrationResponseError("GA4 report lacks the metrics asked for") from None
        cur = str((body.get("metadata") or {}).get("currencyCode") or "")
        out = []
        for row in rows:
            try:
                tid = str(row["dimensionValues"][0]["value"])
                revenue = row["metricValues"][i_rev]["value"]
                count = int(row["metricValues"][i_count]["value"])
            except (KeyError, IndexError, TypeError, ValueError) as exc:
                raise IntegrationResponseError("GA4 report row has an unexpected shape") from exc
            if tid in _NOT_SET:
                continue
            out.append(OrderRecord(order_id=tid, currency=cur, occurrences=max(count, 1),
                                   amount_minor=to_minor(revenue, cur, source=self.service)))
        return out, int(body.get("rowCount") or 0), len(rows)
