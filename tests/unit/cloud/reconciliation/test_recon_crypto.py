from __future__ import annotations

import json
import stat

import pytest

from cloud.config import Settings
from cloud.crypto import (
    DecryptionFailed,
    EncryptionKeyMissing,
    InvalidEncryptionKey,
    SecretBox,
    box_from_settings,
    generate_key,
    mask,
)


def test_round_trip_and_no_plaintext_in_token() -> None:
    box = SecretBox([generate_key()])
    token = box.encrypt_json({"access_token": "shpat_secret_value_123"})
    assert "shpat_secret_value_123" not in token
    assert box.decrypt_json(token) == {"access_token": "shpat_secret_value_123"}


def test_wrong_key_is_a_clear_error_not_garbage() -> None:
    token = SecretBox([generate_key()]).encrypt(b"secret")
    with pytest.raises(DecryptionFailed) as info:
        SecretBox([generate_key()]).decrypt(token)
    assert "ENCRYPTION_KEY" in info.value.message


def test_altered_token_is_refused() -> None:
    box = SecretBox([generate_key()])
    token = box.encrypt(b"secret")
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(DecryptionFailed):
        box.decrypt(tampered)


@pytest.mark.parametrize("bad", ["short", "x" * 44, "not base64 !!!"])
def test_malformed_key_is_refused_with_guidance(bad: str) -> None:
    with pytest.raises(InvalidEncryptionKey) as info:
        SecretBox.from_setting(bad)
    assert "Fernet" in info.value.message


def test_rotation_with_multifernet() -> None:
    old, new = generate_key(), generate_key()
    token = SecretBox([old]).encrypt_json({"k": 1})
    both = SecretBox.from_setting(f"{new}, {old}")
    assert both.decrypt_json(token) == {"k": 1}
    assert not both.is_current(token)
    rotated = both.rotate(token)
    assert both.is_current(rotated)
    assert SecretBox([new]).decrypt_json(rotated) == {"k": 1}
    with pytest.raises(DecryptionFailed):
        SecretBox([old]).decrypt(rotated)


def test_server_database_without_key_is_refused() -> None:
    settings = Settings(database_url="postgresql://x@127.0.0.1/db", encryption_key="")
    with pytest.raises(EncryptionKeyMissing):
        box_from_settings(settings)


def test_embedded_mode_generates_and_keeps_a_private_key() -> None:
    settings = Settings(database_url="", encryption_key="")
    first = box_from_settings(settings)
    token = first.encrypt(b"x")
    again = box_from_settings(settings)
    assert again.decrypt(token) == b"x"
    key_file = settings.secrets_dir / "encryption.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_explicit_key_setting_is_used() -> None:
    key = generate_key()
    token = box_from_settings(Settings(encryption_key=key)).encrypt(json.dumps(1).encode())
    assert SecretBox([key]).decrypt(token) == b"1"


def test_mask_shows_at_most_four_characters() -> None:
    assert mask("shpat_0123456789abcdef") == "****cdef"
    assert mask("short") == "****"
    assert mask(None) == "****"
