"""Webhook signatures: HMAC-SHA256 over ``"<timestamp>.<body>"`` with a replay window.

Headers sent with every delivery (seed 001 §14.8 names the signature header)::

    X-Webhook-Id: <payload id>           X-Webhook-Event: <event type>
    X-Webhook-Timestamp: <unix seconds>  X-Webhook-Signature: sha256=<hex digest>

Signing the timestamp with the body means a captured request cannot be replayed later: the
receiver refuses timestamps outside ``tolerance`` seconds of its clock. ``verify`` is what a
receiver runs (our tests' receivers and any Python subscriber can import it).

Exceptions::

    SignatureError
    ├── SignatureMissing     no signature or timestamp header
    ├── SignatureMismatch    the body or timestamp was altered, or the secret is wrong
    └── TimestampOutOfRange  older or newer than the replay window
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping

from shared.errors import TillbridgeError

__all__ = [
    "DEFAULT_TOLERANCE_S",
    "EVENT_HEADER",
    "ID_HEADER",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "SignatureError",
    "SignatureMismatch",
    "SignatureMissing",
    "TimestampOutOfRange",
    "new_secret",
    "sign",
    "signature_headers",
    "verify",
]

SIGNATURE_HEADER = "X-Webhook-Signature"
TIMESTAMP_HEADER = "X-Webhook-Timestamp"
ID_HEADER = "X-Webhook-Id"
EVENT_HEADER = "X-Webhook-Event"
DEFAULT_TOLERANCE_S = 300
_PREFIX = "sha256="


class SignatureError(TillbridgeError):
    """Webhook signature verification failed."""

    code = "AUTH_TOKEN_INVALID"


class SignatureMissing(SignatureError):
    """Signature or timestamp header missing."""


class SignatureMismatch(SignatureError):
    """Signature does not match the body and timestamp."""


class TimestampOutOfRange(SignatureError):
    """Webhook timestamp is outside the replay window."""


def new_secret() -> str:
    """A fresh signing secret (shown to the subscriber once)."""
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256(secret, f"{timestamp}." + body)."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + body,
                   hashlib.sha256)
    return _PREFIX + mac.hexdigest()


def signature_headers(secret: str, timestamp: int, body: bytes, *, delivery_id: str,
                      event: str) -> dict[str, str]:
    return {
        SIGNATURE_HEADER: sign(secret, timestamp, body),
        TIMESTAMP_HEADER: str(timestamp),
        ID_HEADER: delivery_id,
        EVENT_HEADER: event,
    }


def verify(secret: str, headers: Mapping[str, str], body: bytes, *, now: float,
           tolerance: int = DEFAULT_TOLERANCE_S) -> int:
    """Check a received webhook; returns its timestamp or raises :class:`SignatureError`.

    ``headers`` may be any case-insensitive mapping (Starlette's, httpx's) or a plain dict.
    """
    lower = {k.lower(): v for k, v in headers.items()}
    signature = lower.get(SIGNATURE_HEADER.lower())
    stamp = lower.get(TIMESTAMP_HEADER.lower())
    if not signature or not stamp:
        raise SignatureMissing()
    try:
        timestamp = int(stamp)
    except ValueError:
        raise SignatureMismatch("timestamp header is not an integer") from None
    if abs(now - timestamp) > tolerance:
        raise TimestampOutOfRange()
    if not hmac.compare_digest(sign(secret, timestamp, body), signature):
        raise SignatureMismatch()
    return timestamp
