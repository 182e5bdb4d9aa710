"""Passwords (argon2id), API keys and one-time tokens: made, checked and stored as hashes.

API keys and refresh tokens are 256-bit random strings, so a fast SHA-256 (API keys) or
HMAC-SHA-256 (refresh tokens, keyed by ``JWT_SECRET``) is a safe way to store them: there is
nothing to brute-force. Passwords are low-entropy and get argon2id.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any, Literal

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from cloud.errors import InvalidInput

__all__ = [
    "API_KEY_PREFIXES",
    "PasswordPolicy",
    "check_password",
    "hash_api_key",
    "hash_password",
    "needs_rehash",
    "new_api_key",
    "new_token",
    "parse_api_key",
    "sha256_hex",
]

# OWASP's argon2id baseline (m=19 MiB, t=2, p=1): ~40 ms on a small till-grade CPU, where the
# library default (64 MiB, t=3, p=4) costs ~0.6 s per login. Older hashes are upgraded on login.
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1, type=Type.ID)
# Verified against when the e-mail is unknown, so a miss costs the same time as a hit.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

API_KEY_PREFIXES = {"live": "sk_live_", "test": "sk_test_"}
_API_KEY_RE = re.compile(r"^sk_(live|test)_[A-Za-z0-9_-]{32,128}$")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(stored_hash: str | None, password: str) -> bool:
    """Constant-ish time whether or not the user exists."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return False


@dataclass(frozen=True)
class PasswordPolicy:
    """A tenant's password rules (seed 001 §13.2 ``security.passwordPolicy``)."""

    min_length: int = 8
    require_uppercase: bool = False
    require_number: bool = False
    require_special: bool = False

    @classmethod
    def from_settings(cls, security: dict[str, Any] | None) -> PasswordPolicy:
        raw = (security or {}).get("passwordPolicy") or {}
        return cls(min_length=max(8, int(raw.get("minLength", 8))),
                   require_uppercase=bool(raw.get("requireUppercase", False)),
                   require_number=bool(raw.get("requireNumber", False)),
                   require_special=bool(raw.get("requireSpecial", False)))

    def check(self, password: str, *, field: str = "password") -> None:
        problems = []
        if len(password) < self.min_length:
            problems.append(f"at least {self.min_length} characters")
        if len(password) > 256:
            problems.append("at most 256 characters")
        if self.require_uppercase and not re.search(r"[A-Z]", password):
            problems.append("an uppercase letter")
        if self.require_number and not re.search(r"\d", password):
            problems.append("a number")
        if self.require_special and not re.search(r"[^A-Za-z0-9]", password):
            problems.append("a special character")
        if problems:
            raise InvalidInput("Password needs " + ", ".join(problems), field=field,
                               code="VAL_OUT_OF_RANGE")


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def new_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def new_api_key(mode: Literal["live", "test"] = "live") -> str:
    """``sk_live_`` / ``sk_test_`` + 43 url-safe characters (256 bits)."""
    return API_KEY_PREFIXES[mode] + secrets.token_urlsafe(32)


def parse_api_key(text: str) -> Literal["live", "test"] | None:
    """The key's mode if it is shaped like one of ours, else None (no database lookup)."""
    m = _API_KEY_RE.match(text)
    if not m:
        return None
    return "live" if m.group(1) == "live" else "test"


def hash_api_key(key: str) -> str:
    return sha256_hex(key)
