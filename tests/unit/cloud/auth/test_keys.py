"""Signing keys: generated 0600 in embedded mode, derived or configured in production."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cloud.auth.keys import Keyring
from cloud.config import ConfigError, Settings
from cloud.errors import TokenExpired, TokenInvalid

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
PROD = "postgresql://db.example/tillbridge"


def _claims(**extra: object) -> dict[str, object]:
    iat = int(NOW.timestamp())
    return {"sub": "u1", "tenantId": "t1", "iat": iat, "exp": iat + 900, "jti": "j1",
            "typ": "access", **extra}


def test_embedded_keys_are_generated_private_and_stable(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'c.sqlite3'}")
    first = Keyring.load(settings)
    files = sorted(p.name for p in settings.secrets_dir.iterdir())
    assert files == ["encryption.key", "jwt_ed25519.pem", "jwt_secret"]
    assert all((settings.secrets_dir / f).stat().st_mode & 0o777 == 0o600 for f in files)
    second = Keyring.load(settings)
    assert first.kid == second.kid
    token = first.sign(_claims())
    assert second.verify(token, now=NOW)["sub"] == "u1"
    assert second.decrypt(first.encrypt("JBSWY3DPEHPK3PXP")) == "JBSWY3DPEHPK3PXP"


def test_production_derives_the_key_from_jwt_secret() -> None:
    enc = Fernet.generate_key().decode()
    one = Keyring.load(Settings(database_url=PROD, jwt_secret="x" * 40, encryption_key=enc))
    same = Keyring.load(Settings(database_url=PROD, jwt_secret="x" * 40, encryption_key=enc))
    other = Keyring.load(Settings(database_url=PROD, jwt_secret="y" * 40, encryption_key=enc))
    assert one.kid == same.kid != other.kid
    with pytest.raises(TokenInvalid):
        other.verify(one.sign(_claims()), now=NOW)


def test_configured_private_key(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    path = tmp_path / "signing.pem"
    path.write_bytes(pem)
    enc = Fernet.generate_key().decode()
    ring = Keyring.load(Settings(database_url=PROD, jwt_secret="x" * 40, encryption_key=enc,
                                 jwt_private_key_file=str(path)))
    token = ring.sign(_claims())
    assert jwt.decode(token, key.public_key(), algorithms=["EdDSA"],
                      options={"verify_exp": False, "verify_iat": False})["jti"] == "j1"
    ec_pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    with pytest.raises(ConfigError):
        Keyring.load(Settings(database_url=PROD, jwt_secret="x" * 40, encryption_key=enc,
                              jwt_private_key=ec_pem.decode()))


@pytest.mark.parametrize(("secret", "enc"), [("", "k"), ("changeme", "k"), ("short", "k"),
                                             ("x" * 40, "")])
def test_production_refuses_default_secrets(secret: str, enc: str) -> None:
    key = Fernet.generate_key().decode() if enc else ""
    with pytest.raises(ConfigError):
        Keyring.load(Settings(database_url=PROD, jwt_secret=secret, encryption_key=key))


def test_environment_override(tmp_path: Path) -> None:
    sqlite = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    with pytest.raises(ConfigError):
        Settings(database_url=sqlite, tillbridge_env="production").check_production()
    Settings(database_url=PROD, tillbridge_env="embedded").check_production()


def test_jwks_verifies_tokens_like_a_till_would(tmp_path: Path) -> None:
    ring = Keyring.load(Settings(database_url=f"sqlite:///{tmp_path / 'c.sqlite3'}"))
    doc = ring.jwks()
    jwk = jwt.PyJWK(doc["keys"][0])
    token = ring.sign(_claims())
    assert jwt.get_unverified_header(token)["kid"] == doc["keys"][0]["kid"]
    claims = jwt.decode(token, jwk.key, algorithms=["EdDSA"], issuer="tillbridge-cloud",
                        options={"verify_exp": False, "verify_iat": False})
    assert claims["tenantId"] == "t1"


def test_verify_checks_time_type_and_claims(tmp_path: Path) -> None:
    ring = Keyring.load(Settings(database_url=f"sqlite:///{tmp_path / 'c.sqlite3'}"))
    token = ring.sign(_claims())
    assert ring.verify(token, now=NOW + timedelta(seconds=900 + 29))  # leeway
    with pytest.raises(TokenExpired):
        ring.verify(token, now=NOW + timedelta(seconds=900 + 31))
    with pytest.raises(TokenInvalid):
        ring.verify(token, now=NOW - timedelta(minutes=5))  # issued in the future
    with pytest.raises(TokenInvalid):
        ring.verify(ring.sign(_claims(typ="refresh")), now=NOW)
    missing = _claims()
    del missing["jti"]
    with pytest.raises(TokenInvalid):
        ring.verify(ring.sign(missing), now=NOW)
