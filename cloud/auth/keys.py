"""Signing, hashing and encryption keys, resolved once from the settings.

* Access tokens are signed with Ed25519 (EdDSA) so that tills verify them offline with the
  public key (:meth:`Keyring.jwks`, served at ``/api/v1/auth/jwks``).
* The private key comes from ``JWT_PRIVATE_KEY``/``JWT_PRIVATE_KEY_FILE``; without one,
  embedded mode generates it into the secrets dir (0600) and production derives it from
  ``JWT_SECRET`` with HKDF, so every cloud process sharing the secret shares the key.
* ``JWT_SECRET`` also keys the HMAC that stores refresh tokens; rotating it logs everyone out.
* ``ENCRYPTION_KEY`` encrypts secrets at rest (TOTP seeds) through ``cloud.crypto``,
  which shares the embedded key file with this module.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from cloud.config import ConfigError, Settings
from cloud.crypto import CryptoError, SecretBox, box_from_settings
from cloud.errors import TokenExpired, TokenInvalid

__all__ = ["ALGORITHM", "Keyring", "write_private_file"]

ALGORITHM = "EdDSA"
ISSUER = "tillbridge-cloud"
_REQUIRED_CLAIMS = ("sub", "tenantId", "iat", "exp", "jti")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def write_private_file(path: Path, data: bytes) -> bytes:
    """Create ``path`` with 0600 rights, or read it if another process made it first."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return data


def _read_or_create(path: Path, make: Any) -> bytes:
    if path.exists():
        return path.read_bytes()
    return write_private_file(path, make())


@dataclass(frozen=True)
class Keyring:
    private_key: Ed25519PrivateKey
    kid: str
    refresh_key: bytes
    box: SecretBox

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def load(cls, settings: Settings) -> Keyring:
        settings.check_production()
        secret = settings.jwt_secret.encode()
        if not secret:
            if not settings.embedded:
                raise ConfigError("JWT_SECRET is required in production")
            secret = _read_or_create(settings.secrets_dir / "jwt_secret",
                                     lambda: secrets.token_urlsafe(48).encode()).strip()
        private = cls._private_key(settings, secret)
        try:
            box = box_from_settings(settings)
        except CryptoError as exc:
            raise ConfigError(exc.message) from exc
        refresh_key = HKDF(hashes.SHA256(), 32, salt=None,
                           info=b"tillbridge refresh tokens").derive(secret)
        raw_pub = private.public_key().public_bytes(serialization.Encoding.Raw,
                                                    serialization.PublicFormat.Raw)
        # RFC 7638 thumbprint of the OKP JWK: the key id tills use to pick the key.
        thumb = f'{{"crv":"Ed25519","kty":"OKP","x":"{_b64(raw_pub)}"}}'.encode()
        kid = _b64(hashlib.sha256(thumb).digest())[:16]
        return cls(private_key=private, kid=kid, refresh_key=refresh_key, box=box)

    @staticmethod
    def _private_key(settings: Settings, secret: bytes) -> Ed25519PrivateKey:
        pem = settings.jwt_private_key.encode()
        if not pem and settings.jwt_private_key_file:
            pem = Path(settings.jwt_private_key_file).expanduser().read_bytes()
        if not pem and settings.embedded:
            pem = _read_or_create(settings.secrets_dir / "jwt_ed25519.pem", lambda: (
                Ed25519PrivateKey.generate().private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption())))
        if pem:
            try:
                key = serialization.load_pem_private_key(pem, password=None)
            except (ValueError, TypeError) as exc:
                raise ConfigError("JWT private key is not a valid PEM key") from exc
            if not isinstance(key, Ed25519PrivateKey):
                raise ConfigError("JWT private key must be Ed25519 (EdDSA)")
            return key
        seed = HKDF(hashes.SHA256(), 32, salt=None, info=b"tillbridge jwt ed25519").derive(secret)
        return Ed25519PrivateKey.from_private_bytes(seed)

    # -- JWT --------------------------------------------------------------------------------------
    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode({"iss": ISSUER, **claims}, self.private_key, algorithm=ALGORITHM,
                          headers={"kid": self.kid, "typ": "JWT"})

    def verify(self, token: str, *, now: datetime, leeway: int = 30) -> dict[str, Any]:
        """Claims of a valid access token; ``TokenExpired``/``TokenInvalid`` otherwise."""
        try:
            claims: dict[str, Any] = jwt.decode(
                token, self.public_key, algorithms=[ALGORITHM], issuer=ISSUER,
                options={"require": list(_REQUIRED_CLAIMS), "verify_exp": False,
                         "verify_iat": False, "verify_nbf": False})
        except jwt.PyJWTError as exc:
            raise TokenInvalid() from exc
        if claims.get("typ") != "access":
            raise TokenInvalid()
        ts = now.timestamp()
        try:
            exp, iat = float(claims["exp"]), float(claims["iat"])
        except (TypeError, ValueError) as exc:
            raise TokenInvalid() from exc
        if exp <= ts - leeway:
            raise TokenExpired()
        if iat > ts + leeway:
            raise TokenInvalid("Token issued in the future")
        return claims

    def jwks(self) -> dict[str, Any]:
        raw = self.public_key.public_bytes(serialization.Encoding.Raw,
                                           serialization.PublicFormat.Raw)
        return {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": _b64(raw), "kid": self.kid,
                          "alg": ALGORITHM, "use": "sig"}]}

    # -- opaque tokens and secrets at rest ------------------------------------------------------
    def hash_refresh(self, token: str) -> str:
        return hmac.new(self.refresh_key, token.encode(), hashlib.sha256).hexdigest()

    def encrypt(self, text: str) -> str:
        return self.box.encrypt(text.encode())

    def decrypt(self, token: str) -> str:
        return self.box.decrypt(token).decode()
