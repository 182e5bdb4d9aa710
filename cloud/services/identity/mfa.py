"""Enrolling and removing a TOTP second factor for the logged-in user."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from cloud import audit
from cloud.auth import mfa
from cloud.auth.hashing import check_password
from cloud.auth.keys import Keyring
from cloud.errors import Conflict, InvalidCredentials, InvalidInput
from cloud.models.identity import User

__all__ = ["confirm", "disable", "start"]


def start(*, session: Session, keyring: Keyring, user: User) -> tuple[str, str]:
    """A new pending secret (replacing an unconfirmed one) and its ``otpauth://`` URI."""
    if user.mfa_enabled:
        raise Conflict("Two-factor authentication is already enabled; disable it first")
    secret = mfa.new_secret()
    user.mfa_pending_secret = keyring.encrypt(secret)
    session.flush()
    return secret, mfa.provisioning_uri(secret, user.email)


def confirm(*, session: Session, keyring: Keyring, user: User, code: str,
            now: datetime) -> None:
    """Enable MFA once the user proves their authenticator produces valid codes."""
    if user.mfa_enabled:
        raise Conflict("Two-factor authentication is already enabled")
    if not user.mfa_pending_secret:
        raise Conflict("Start with POST /api/v1/auth/mfa/setup")
    secret = keyring.decrypt(user.mfa_pending_secret)
    step = mfa.verify(secret, code, now=now)
    if step is None:
        raise InvalidInput("Invalid code", field="code")
    user.mfa_secret = user.mfa_pending_secret
    user.mfa_pending_secret = None
    user.mfa_enabled = True
    user.mfa_last_step = step
    audit.label(session, user, "user.mfa_enabled", f"Enabled two-factor for {user.email}")
    session.flush()


def disable(*, session: Session, keyring: Keyring, user: User, code: str, password: str,
            now: datetime) -> None:
    """Turn MFA off: needs both the password and a current code."""
    if not user.mfa_enabled:
        raise Conflict("Two-factor authentication is not enabled")
    if not check_password(user.password_hash, password):
        raise InvalidCredentials()
    step = mfa.verify(keyring.decrypt(user.mfa_secret or ""), code, now=now,
                      last_step=user.mfa_last_step)
    if step is None:
        raise InvalidInput("Invalid or already used code", field="code")
    user.mfa_enabled = False
    user.mfa_secret = None
    user.mfa_last_step = None
    audit.label(session, user, "user.mfa_disabled", f"Disabled two-factor for {user.email}")
    session.flush()
