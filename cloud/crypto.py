"""Secrets at rest: Fernet (AES-128-CBC + HMAC-SHA256) keyed by ``ENCRYPTION_KEY``.

Why Fernet: authenticated encryption, so a wrong key or a tampered row fails loudly instead of
decrypting to garbage. ``MultiFernet`` gives key rotation: ``ENCRYPTION_KEY`` may hold several
comma-separated keys, newest first; new data is written with the first, old data is read with
any of them and re-written with the first by :meth:`SecretBox.rotate`.

Embedded mode (SQLite, no ``ENCRYPTION_KEY``) generates a key once and keeps it in the data dir
with 0600 rights; a server database without a key is a configuration error.

Exceptions::

    CryptoError
    ├── EncryptionKeyMissing   no ENCRYPTION_KEY for a server database
    ├── InvalidEncryptionKey   a key that is not 32 url-safe base64-encoded bytes
    └── DecryptionFailed       the token was made with another key, or was altered
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from shared.errors import TillbridgeError
from shared.paths import data_home

__all__ = [
    "CryptoError",
    "DecryptionFailed",
    "EncryptionKeyMissing",
    "InvalidEncryptionKey",
    "SecretBox",
    "box_from_settings",
    "generate_key",
    "mask",
    "mask_fields",
]

MASK = "****"


class CryptoError(TillbridgeError):
    """Encrypted data could not be handled."""

    code = "SYS_INTERNAL_ERROR"

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        # The class docstring, not the catalogue's generic "Internal server error": these
        # messages tell an operator what to fix.
        doc = " ".join((type(self).__doc__ or "").split())
        super().__init__(message or doc, **kwargs)


class EncryptionKeyMissing(CryptoError):
    """ENCRYPTION_KEY is not set; it is required when the cloud uses a server database."""


class InvalidEncryptionKey(CryptoError):
    """ENCRYPTION_KEY must be Fernet keys (32 url-safe base64 bytes), comma-separated."""


class DecryptionFailed(CryptoError):
    """Stored secret cannot be decrypted with the configured ENCRYPTION_KEY.

    Either the key changed without keeping the old one in the list, or the row was altered.
    """


def generate_key() -> str:
    """A new random Fernet key, as text suitable for ``ENCRYPTION_KEY``."""
    return Fernet.generate_key().decode("ascii")


def _fernet(key: str, position: int) -> Fernet:
    try:
        return Fernet(key.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise InvalidEncryptionKey(
            f"ENCRYPTION_KEY entry #{position + 1} is not a valid Fernet key "
            "(expected 32 url-safe base64-encoded bytes; make one with "
            "`python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`)"
        ) from exc


class SecretBox:
    """Encrypts and decrypts secrets with a primary key, reading with every listed key."""

    def __init__(self, keys: Sequence[str]) -> None:
        cleaned = [k for k in (k.strip() for k in keys) if k]
        if not cleaned:
            raise EncryptionKeyMissing()
        self._fernets = [_fernet(k, i) for i, k in enumerate(cleaned)]
        self._multi = MultiFernet(self._fernets)

    @classmethod
    def from_setting(cls, value: str) -> SecretBox:
        """Parse ``ENCRYPTION_KEY``: one key, or several comma-separated, newest first."""
        return cls(value.split(","))

    def encrypt(self, data: bytes) -> str:
        return self._multi.encrypt(data).decode("ascii")

    def decrypt(self, token: str) -> bytes:
        try:
            return self._multi.decrypt(token.encode("ascii"))
        except (InvalidToken, UnicodeEncodeError) as exc:
            raise DecryptionFailed() from exc

    def encrypt_json(self, value: Any) -> str:
        """Encrypt a JSON-able value (sorted keys, so equal configs give equal plaintexts)."""
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return self.encrypt(text.encode("utf-8"))

    def decrypt_json(self, token: str) -> Any:
        return json.loads(self.decrypt(token).decode("utf-8"))

    def is_current(self, token: str) -> bool:
        """True when the primary key reads ``token`` (no rotation needed)."""
        try:
            self._fernets[0].decrypt(token.encode("ascii"))
        except (InvalidToken, UnicodeEncodeError):
            return False
        return True

    def rotate(self, token: str) -> str:
        """Re-encrypt ``token`` under the primary key (it must decrypt with one of the keys)."""
        try:
            return self._multi.rotate(token.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeEncodeError) as exc:
            raise DecryptionFailed() from exc


def _embedded_key_file(settings: Any) -> Path:
    """The same file the auth keyring uses, so embedded mode has one key for all secrets."""
    secrets_dir = getattr(settings, "secrets_dir", None)
    return Path(secrets_dir) if secrets_dir else data_home() / "cloud" / "secrets"


def _load_or_create_embedded_key(settings: Any) -> str:
    path = _embedded_key_file(settings) / "encryption.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first: use theirs
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(generate_key())
    return path.read_text(encoding="ascii").strip()


def box_from_settings(settings: Any) -> SecretBox:
    """The box for a :class:`cloud.config.Settings`: its key, or the embedded mode's own key."""
    value = getattr(settings, "encryption_key", "") or ""
    if value.strip():
        return SecretBox.from_setting(value)
    if getattr(settings, "embedded", False):
        return SecretBox([_load_or_create_embedded_key(settings)])
    raise EncryptionKeyMissing()


def mask(value: str | None, keep: int = 4) -> str:
    """Show at most the last ``keep`` characters of a secret (none of a short one)."""
    if not value:
        return MASK
    if len(value) <= keep * 3:
        return MASK
    return MASK + value[-keep:]


def mask_fields(data: Mapping[str, Any], secret_fields: Iterable[str]) -> dict[str, Any]:
    """A copy of ``data`` with the named fields masked (nested mappings are kept as they are)."""
    secrets = set(secret_fields)
    return {k: (mask(str(v)) if k in secrets and v is not None else v) for k, v in data.items()}
