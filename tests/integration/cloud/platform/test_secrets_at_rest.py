"""Passwords, API keys, refresh tokens and TOTP seeds are stored only as hashes/ciphertext.

Reads every row of every table straight from the database and looks for the plaintexts.
"""

from __future__ import annotations

from conftest import World
from sqlalchemy import MetaData, create_engine, select

from cloud.auth import mfa
from tests.support.cloud_api import PASSWORD


def _all_text(url: str) -> str:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1)
                           if url.startswith("postgresql://") else url)
    meta = MetaData()
    try:
        with engine.connect() as conn:
            meta.reflect(conn)
            rows = [repr(row) for table in meta.sorted_tables
                    for row in conn.execute(select(table))]
    finally:
        engine.dispose()
    return "\n".join(rows)


def test_only_hashes_are_stored(world: World) -> None:
    api, a = world.api, world.a
    tokens = api.login(a.admin)
    key = api.as_(a.admin, "POST", "/api/v1/auth/api-keys",
                  json={"name": "k", "scopes": ["products:read"]}).json()["data"]["key"]
    created = api.as_(a.admin, "POST", "/api/v1/admin/users", json={
        "email": "hash.me@example.com", "firstName": "Hash", "lastName": "Me",
        "role": "viewer", "tempPassword": "temporary secret 42"})
    assert created.status_code == 201
    secret = api.as_(a.viewer, "POST", "/api/v1/auth/mfa/setup").json()["data"]["secret"]
    api.as_(a.viewer, "POST", "/api/v1/auth/mfa/enable",
            json={"code": mfa.code_at(secret, world.clock.now())})

    dump = _all_text(world.url)
    for plaintext in (PASSWORD, "temporary secret 42", key, key[8:], a.key,
                      tokens["refreshToken"], tokens["accessToken"], secret):
        assert plaintext not in dump, plaintext[:12]
    assert "$argon2id$" in dump  # the password hashes are there, as argon2id

    audit = api.as_(a.admin, "GET", "/api/v1/admin/audit", params={"limit": 100}).json()
    changes = [c for e in audit["data"]["entries"] for c in e["changes"] or []]
    hashed = [c for c in changes if c["field"] in {"password_hash", "key_hash", "mfa_secret",
                                                   "mfa_pending_secret"}]
    assert hashed and all(c["newValue"] in (None, "[redacted]") for c in hashed)
