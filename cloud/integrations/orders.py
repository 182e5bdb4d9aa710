"""What every order source returns, its error tree, and the httpx error boundary.

Backends (Shopify, WooCommerce, Tillbridge sales) and the analytics side (GA4) all reduce to
:class:`OrderRecord`: an id, an amount in integer minor units, a currency and how many times the
source counted it. Money never passes through float: decimal text is parsed with ``Decimal``.

Exceptions (all ``IntegrationError``, code ``EXTERNAL_SERVICE_ERROR``)::

    IntegrationError
    ├── TransientIntegrationError   timeouts, connection refused, 429, 5xx: worth retrying
    └── PermanentIntegrationError
        ├── IntegrationAuthError        401/403: the credentials were refused
        ├── IntegrationTargetRefused    the URL points at a private address (nothing sent)
        └── IntegrationResponseError    a reply we cannot read (shape, JSON, amounts)

Each carries a short classified ``reason`` (``unreachable``, ``timeout``, ``auth_failed``,
``http_500``, ``target_refused``, ``bad_response``) and the upstream HTTP status when there was
one. Messages never quote the upstream body: it is whatever the URL's owner chose to send, and
a connector test or a job error shown to the tenant must not become a way to read it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

import httpx

from cloud.integrations.outbound import OutboundRefused
from shared.errors import TillbridgeError
from shared.money import round_half_up

__all__ = [
    "IntegrationAuthError",
    "IntegrationError",
    "IntegrationResponseError",
    "IntegrationTargetRefused",
    "OrderRecord",
    "OrderSource",
    "PermanentIntegrationError",
    "TransientIntegrationError",
    "check_response",
    "currency_exponent",
    "map_httpx_errors",
    "to_minor",
]

# ISO 4217 minor-unit exponents that differ from 2 (the default). Small on purpose: shops that
# reconcile with Tillbridge trade in 2-decimal currencies almost always.
_EXPONENTS = {
    "BHD": 3, "CLP": 0, "ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0, "KWD": 3, "OMR": 3, "TND": 3,
    "UGX": 0, "VND": 0, "XAF": 0, "XOF": 0,
}


class IntegrationError(TillbridgeError):
    """An external order source failed."""

    code = "EXTERNAL_SERVICE_ERROR"
    default_reason = "failed"

    def __init__(self, message: str | None = None, *, reason: str | None = None,
                 upstream_status: int | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.reason = reason or self.default_reason
        self.upstream_status = upstream_status


class TransientIntegrationError(IntegrationError):
    """The order source is unavailable for now; retrying later may succeed."""


class PermanentIntegrationError(IntegrationError):
    """The order source refused the request; retrying will not help until config changes."""


class IntegrationAuthError(PermanentIntegrationError):
    """The order source refused our credentials."""

    default_reason = "auth_failed"


class IntegrationTargetRefused(PermanentIntegrationError):
    """The order source's URL is not allowed by the outbound policy; nothing was sent."""

    default_reason = "target_refused"


class IntegrationResponseError(PermanentIntegrationError):
    """The order source answered something we cannot read."""

    default_reason = "bad_response"


@dataclass(frozen=True)
class OrderRecord:
    """One order (backend) or one transaction (analytics) as the reconciliation sees it."""

    order_id: str
    amount_minor: int
    currency: str = ""
    occurrences: int = 1
    created_at: datetime | None = None


class OrderSource(Protocol):
    """Anything that lists orders whose date falls in ``[start, end]`` (inclusive days, UTC)."""

    def fetch(self, start: date, end: date) -> list[OrderRecord]: ...


def currency_exponent(code: str) -> int:
    return _EXPONENTS.get((code or "").upper(), 2)


def to_minor(value: str | int | Decimal, currency: str = "", *, source: str = "") -> int:
    """Decimal text ("12.34", "1.2345E2") to minor units, halves rounded away from zero.

    Analytics revenue is a double on Google's side and may come back as ``12.3400000001``;
    rounding to the currency's minor unit is the only honest comparison.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise IntegrationResponseError(f"{source or 'source'} sent a non-decimal amount {value!r}")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise IntegrationResponseError(
            f"{source or 'source'} sent an unreadable amount {value!r}") from exc
    if not amount.is_finite():
        raise IntegrationResponseError(f"{source or 'source'} sent a non-finite amount {value!r}")
    return round_half_up(amount.scaleb(currency_exponent(currency)))


def check_response(resp: httpx.Response, service: str) -> None:
    """Turn an HTTP error status into our tree (auth, transient or permanent)."""
    if resp.is_success:
        return
    status = resp.status_code
    if status in (401, 403):
        raise IntegrationAuthError(f"{service} refused the credentials (HTTP {status})",
                                   upstream_status=status)
    reason = f"http_{status}"
    if status == 429 or status >= 500:
        raise TransientIntegrationError(f"{service} unavailable (HTTP {status})", reason=reason,
                                        upstream_status=status)
    raise PermanentIntegrationError(f"{service} rejected the request (HTTP {status})",
                                    reason=reason, upstream_status=status)


@contextmanager
def map_httpx_errors(service: str) -> Iterator[None]:
    """No httpx error leaves an integration: each becomes an :class:`IntegrationError`."""
    try:
        yield
    except OutboundRefused as exc:
        raise IntegrationTargetRefused(f"{service} request refused: {exc}") from exc
    except httpx.TimeoutException as exc:
        raise TransientIntegrationError(f"{service} timed out", reason="timeout") from exc
    except httpx.TransportError as exc:
        raise TransientIntegrationError(f"{service} unreachable",
                                        reason="unreachable") from exc
    except httpx.HTTPError as exc:
        raise PermanentIntegrationError(f"{service} request failed ({type(exc).__name__})",
                                        reason="request_failed") from exc
    except ValueError as exc:  # JSON decoding of a reply
        raise IntegrationResponseError(f"{service} sent an unreadable reply") from exc
