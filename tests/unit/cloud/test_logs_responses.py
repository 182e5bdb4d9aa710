"""Log redaction, cursors and documented error bodies."""

from __future__ import annotations

import pytest

from cloud.api.responses import error_responses
from cloud.errors import InvalidInput
from cloud.logs import redact
from cloud.schemas.common import ErrorEnvelope, RetailError
from cloud.services.pagination import decode_cursor, encode_cursor
from shared.errors import Family


def test_secret_looking_fields_are_redacted() -> None:
    event = {"event": "login", "password": "p", "refresh_token": "t", "X-API-Key": "k",
             "authorization": "Bearer x", "email": "a@b.c", "user_id": 1}
    out = redact(None, "info", dict(event))
    assert {k for k, v in out.items() if v == "[redacted]"} == {
        "password", "refresh_token", "X-API-Key", "authorization"}
    assert out["email"] == "a@b.c" and out["event"] == "login"


def test_cursor_roundtrip_and_garbage() -> None:
    assert decode_cursor(encode_cursor({"after": "x", "n": 2})) == {"after": "x", "n": 2}
    for bad in ("%%%", "bm90IGpzb24", encode_cursor({"a": 1})[:-3] + "!!", "WzFd"):
        with pytest.raises(InvalidInput) as err:
            decode_cursor(bad)
        assert err.value.field == "cursor"


def test_error_responses_follow_the_family() -> None:
    b2b = error_responses(Family.B2B)
    assert b2b[404]["model"] is ErrorEnvelope and set(b2b) >= {400, 401, 403, 404, 422, 429}
    assert error_responses(Family.RETAIL, (404,))[404]["model"] is RetailError
