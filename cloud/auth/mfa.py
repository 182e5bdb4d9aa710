"""TOTP (RFC 6238) second factor with pyotp, refusing a code that was already used."""

from __future__ import annotations

import hmac
import re
from datetime import datetime

import pyotp

__all__ = ["ISSUER", "code_at", "new_secret", "provisioning_uri", "verify"]

ISSUER = "Tillbridge"
_STEP = 30
_CODE = re.compile(r"[0-9]{6}")


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def code_at(secret: str, when: datetime) -> str:
    return pyotp.TOTP(secret).at(when)


def verify(secret: str, code: str, *, now: datetime, last_step: int | None = None,
           window: int = 1) -> int | None:
    """The time step the code belongs to (±``window`` steps), or None.

    A step at or before ``last_step`` is refused, so an observed code cannot be replayed. Only
    ASCII digits are a code: ``str.isdigit`` also accepts full-width and other Unicode digits,
    which ``hmac.compare_digest`` cannot compare (it raises on non-ASCII text).
    """
    if not secret or not _CODE.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // _STEP
    for step in range(current - window, current + window + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None
