"""Push bodies decoded at wire speed agree with the pydantic protocol models.

GIVEN a push body as a till sends it (or one a stricter decoder would not take)
WHEN the cloud decodes it with the msgspec structs derived from the pydantic models
THEN a valid batch gives the same events, payload text and content hashes as the pydantic
     path; what only pydantic's lax rules accept is still accepted (by pydantic); what neither
     accepts is refused with the pydantic error details; versions are checked first.
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from pydantic import BaseModel, Field

from sync import wire
from sync.errors import BatchInvalid, VersionUnsupported
from sync.protocol import PushRequest, ReceiptDoc, content_hash, parse_message

DEVICE, BATCH = uuid.UUID(int=1), uuid.UUID(int=2)


def receipt(**changes: Any) -> dict[str, Any]:
    line = {"line_no": 1, "sku": "SOS-1", "name": "Șosete bărbați", "unit": "pcs",
            "quantity": "2", "unit_price": 1250, "list_price": 1250, "base": 2500,
            "gross": 2500, "net": 2066, "vat": 434, "vat_group": "standard", "vat_rate": "21",
            "product_id": 7, "excise_stamps": []}
    doc = {"id": str(uuid.UUID(int=99)), "number": "S1-T1-0001-0001", "kind": "sale",
           "store_code": "S1", "till_code": "T1", "shift_id": str(uuid.UUID(int=98)),
           "shift_no": 1, "seq": 1, "cashier": {"id": "u1", "name": "Ana"},
           "opened_at": "2026-03-02T09:29:00+00:00", "completed_at": "2026-03-02T09:30:00Z",
           "country": "RO", "currency": "RON", "lines": [line], "subtotal": 2500,
           "total": 2500, "payable": 2500, "paid": 3000, "change": 500, "vat_total": 434,
           "payments": [{"id": "p1", "kind": "cash", "amount": 2500, "tendered": 3000,
                         "change": 500, "card": None}]}
    return doc | changes


def body(*payloads: dict[str, Any], indent: int | None = None, **event: Any) -> bytes:
    events = [{"event_id": str(uuid.UUID(int=1000 + i)), "seq": i + 1,
               "type": "sale.completed", "aggregate_id": "r", "created_at":
               "2026-03-02T09:30:00+00:00", "payload": p} | event
              for i, p in enumerate(payloads)]
    return json.dumps({"version": 1, "device_id": str(DEVICE), "batch_id": str(BATCH),
                       "events": events}, ensure_ascii=False, indent=indent).encode()


def hashes(batch: wire.Batch) -> list[str]:
    return [content_hash(e, e.payload_json) for e in batch.events]


def test_the_fast_path_matches_the_pydantic_path() -> None:
    raw = body({"receipt": receipt(), "reason": None}, {"receipt": receipt(kind="sale")})
    fast = wire.decode_push(raw)
    slow = wire._slow_decode(raw)
    assert isinstance(fast.events[0].receipt, msgspec.Struct)
    assert isinstance(slow.events[0].receipt, ReceiptDoc)
    assert [e.payload_json for e in fast.events] == [e.payload_json for e in slow.events]
    assert hashes(fast) == hashes(slow)
    via_model = wire.from_request(parse_message(PushRequest, json.loads(raw)))
    assert hashes(via_model) == hashes(fast)
    got, want = fast.events[0].receipt, slow.events[0].receipt
    for name in ReceiptDoc.model_fields:
        if name not in ("cashier", "lines", "payments"):
            assert getattr(got, name) == getattr(want, name), name
    assert got.lines[0].quantity == Decimal(2) and got.lines[0].name == "Șosete bărbați"
    assert got.completed_at.utcoffset() is not None


def test_whitespace_is_not_content() -> None:
    compact = wire.decode_push(body({"receipt": receipt()}))
    spaced = wire.decode_push(body({"receipt": receipt()}, indent=4))
    assert hashes(compact) == hashes(spaced)
    assert b" " not in compact.events[0].payload_json.replace(b"\xc8\x98osete b", b"")[:60]


def test_lax_values_the_structs_refuse_are_still_judged_by_pydantic() -> None:
    lax = receipt(total="2500", lines=[receipt()["lines"][0] | {"quantity": 2}])
    batch = wire.decode_push(body({"receipt": lax}))
    doc = batch.events[0].receipt
    assert isinstance(doc, ReceiptDoc)  # the pydantic fallback decided
    assert doc.total == 2500 and doc.lines[0].quantity == Decimal(2)


@pytest.mark.parametrize(("payload", "where"), [
    ({"receipt": receipt(number="N" * 65)}, "number"),  # max_length from the model
    ({"receipt": receipt(kind="gift")}, "kind"),
    ({"receipt": receipt(lines=[{"sku": "X"}])}, "lines.0"),
    ({"no_receipt": 1}, ""),
])
def test_a_bad_receipt_is_refused_with_pydantic_details(payload: dict[str, Any],
                                                        where: str) -> None:
    with pytest.raises(BatchInvalid) as info:
        wire.decode_push(body({"receipt": receipt()}, payload))
    assert info.value.code == "SYNC_BATCH_INVALID"
    assert info.value.details["seq"] == 2
    assert any(e["loc"].startswith(where) for e in info.value.details["errors"])


@pytest.mark.parametrize(("raw", "error"), [
    (b"{not json", BatchInvalid),
    (b"[1, 2]", BatchInvalid),
    (b'{"version": 2, "events": "another shape"}', VersionUnsupported),
    (b'{"events": []}', VersionUnsupported),
])
def test_the_version_and_the_shape_are_checked_first(raw: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        wire.decode_push(raw)


def test_the_envelope_refuses_unknown_fields_naive_times_and_non_object_payloads() -> None:
    good = json.loads(body({"receipt": receipt()}))
    for change in ({"surprise": 1}, {"created_at": "2026-03-02T09:30:00"},
                   {"payload": ["a", "list"]}, {"seq": 0}):
        bad = json.loads(json.dumps(good))
        bad["events"][0] |= change
        with pytest.raises(BatchInvalid):
            wire.decode_push(json.dumps(bad).encode())
    with pytest.raises(BatchInvalid):
        wire.decode_push(json.dumps(good | {"extra": True}).encode())


def test_other_event_types_keep_their_payload_for_the_projector() -> None:
    shift = {"shift_id": str(uuid.UUID(int=5)), "shift_no": 1, "opened_at":
             "2026-03-02T07:00:00+00:00", "opened_by": "u1", "currency": "RON"}
    batch = wire.decode_push(body(shift, type="shift.opened"))
    event = batch.events[0]
    assert event.receipt is None and event.payload == shift


def test_structs_copy_bounds_defaults_and_refuse_what_they_cannot_translate() -> None:
    class Doc(BaseModel):
        code: str = Field(max_length=3)
        count: int = Field(default=1, ge=1)
        note: str | None = Field(default=None, max_length=2)

    decode = msgspec.json.Decoder(wire.struct_of(Doc)).decode
    assert decode(b'{"code": "abc"}').count == 1
    for bad in (b'{"code": "abcd"}', b'{"code": "a", "count": 0}', b'{"code": "a", "note": "xyz"}'):
        with pytest.raises(msgspec.ValidationError):
            decode(bad)

    class Patterned(BaseModel):
        code: str = Field(pattern="^[A-Z]+$")

    with pytest.raises(TypeError, match="no msgspec equivalent"):
        wire.struct_of(Patterned)
