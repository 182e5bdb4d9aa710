from __future__ import annotations

import uuid

import pytest

from shared.errors import (
    CATALOGUE,
    Family,
    TillbridgeError,
    family_for_path,
    render_error,
)
from shared.ids import InvalidId, parse_uuid7, uuid7, uuid7_time


def test_uuid7_is_version_7_and_monotonic() -> None:
    ids = [uuid7() for _ in range(20000)]
    assert all(u.version == 7 for u in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert uuid7_time(ids[0]).year >= 2025


def test_parse_uuid7_refuses_other_versions() -> None:
    assert parse_uuid7(str(uuid7())).version == 7
    with pytest.raises(InvalidId):
        parse_uuid7(str(uuid.uuid4()))
    with pytest.raises(InvalidId):
        parse_uuid7("not-a-uuid")


def test_catalogue_holds_every_seed_code() -> None:
    seed001 = ["AUTH_TOKEN_MISSING", "AUTH_MFA_REQUIRED", "AUTHZ_PERMISSION_DENIED",
               "VAL_REQUIRED_FIELD", "VAL_PHONE_INVALID", "RES_NOT_FOUND",
               "BIZ_STOCK_INSUFFICIENT", "INT_ANAF_UNAVAILABLE", "AI_TIMEOUT",
               "SYS_MAINTENANCE"]
    seed003 = ["INVALID_REQUEST", "AUTHENTICATION_FAILED", "INSUFFICIENT_PERMISSIONS",
               "RESOURCE_NOT_FOUND", "DUPLICATE_RESOURCE", "VALIDATION_ERROR",
               "RATE_LIMIT_EXCEEDED", "EXTERNAL_SERVICE_ERROR", "DATABASE_ERROR"]
    for code in seed001 + seed003:
        assert code in CATALOGUE


def test_each_family_renders_its_own_shape() -> None:
    b2b = render_error(Family.B2B, "RES_NOT_FOUND", "gone", request_id="req_1", field="id")
    assert b2b == {"success": False, "error": {"code": "RES_NOT_FOUND", "message": "gone",
                                                "requestId": "req_1", "field": "id"}}
    retail = render_error(Family.RETAIL, "RES_NOT_FOUND", "gone", field="id")
    assert retail == {"error": "gone", "code": "RESOURCE_NOT_FOUND",
                      "details": {"field": "id", "message": "gone"}}
    pim = render_error(Family.PIM, "RES_NOT_FOUND", "gone", request_id="r")
    assert pim["success"] is False and pim["error"]["code"] == "NOT_FOUND"
    recon = render_error(Family.RECON, "RES_NOT_FOUND", "gone")
    assert recon == {"detail": "gone", "code": "RES_NOT_FOUND"}


def test_family_by_path() -> None:
    assert family_for_path("/api/v1/products") is Family.B2B
    assert family_for_path("/api/v1/clients/1") is Family.RECON
    assert family_for_path("/api/admin/fiscal/receipt") is Family.RETAIL
    assert family_for_path("/api/queues") is Family.PIM


def test_tillbridge_error_defaults_from_catalogue() -> None:
    err = TillbridgeError(code="BIZ_STOCK_INSUFFICIENT")
    assert err.status == 409 and err.message == "Insufficient stock for quantity"


def test_uuid7_texts_are_canonical_version_7_and_keep_the_order() -> None:
    """Bulk ids interleave with single ids in one ascending sequence, across counter overflow."""
    from shared.ids import uuid7_texts

    seq: list[uuid.UUID] = [uuid7()]
    for n in (1, 3, 5000, 2):  # 5000 > one millisecond's 4096 counter values
        texts = uuid7_texts(n)
        assert len(texts) == n
        parsed = [parse_uuid7(t) for t in texts]
        assert [str(p) for p in parsed] == texts
        seq += parsed
        seq.append(uuid7())
    assert seq == sorted(seq) and len(set(seq)) == len(seq)
