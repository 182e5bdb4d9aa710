"""Protocol messages: versions are checked first, hashes pin content, names stay in step.

GIVEN the message models both halves share
WHEN a message carries an unknown (newer) version, or an event's content changes
THEN it is refused with ``SYNC_VERSION_UNSUPPORTED`` before anything else is read, and the
     content hash changes with any field of the event but not with a re-send of the same one.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import uuid
from datetime import UTC, datetime

import pytest

from shared.events import EventType
from sync.errors import BatchInvalid, VersionUnsupported, error_for_code
from sync.protocol import (
    PRODUCT_FIELDS,
    Event,
    PushRequest,
    canonical_payload,
    check_version,
    content_hash,
    parse_message,
    product_from_row,
    product_row,
)

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def event(**changes: object) -> Event:
    base: dict[str, object] = {"event_id": uuid.UUID(int=7), "seq": 3, "type": "sale.completed",
                               "aggregate_id": "r1", "created_at": AT,
                               "payload": {"receipt": {"id": "r1", "total": 100}}}
    return Event.model_validate(base | changes)


@pytest.mark.parametrize("version", [2, 99, "2", 0, -1, "x", None, True, 1.5])
def test_an_unknown_version_is_refused_clearly(version: object) -> None:
    with pytest.raises(VersionUnsupported) as info:
        check_version(version)
    assert info.value.code == "SYNC_VERSION_UNSUPPORTED" and info.value.status == 400
    assert info.value.details["supported"] == [1]


def test_a_newer_message_is_refused_before_its_body_is_read() -> None:
    # A version-2 message whose body would not even validate as version 1: the version wins.
    with pytest.raises(VersionUnsupported, match="newer"):
        parse_message(PushRequest, {"version": 2, "events": "a different shape"})
    with pytest.raises(BatchInvalid):
        parse_message(PushRequest, {"version": 1, "events": "a different shape"})
    with pytest.raises(BatchInvalid):
        parse_message(PushRequest, ["not", "an", "object"])
    ok = parse_message(PushRequest, {"version": 1, "device_id": str(uuid.UUID(int=1)),
                                     "batch_id": str(uuid.UUID(int=2)),
                                     "events": [event().model_dump(mode="json")]})
    assert ok.events[0].seq == 3


def test_requests_refuse_unknown_fields_and_naive_times() -> None:
    body = {"version": 1, "device_id": str(uuid.UUID(int=1)), "batch_id": str(uuid.UUID(int=2)),
            "events": [event().model_dump(mode="json")], "surprise": 1}
    with pytest.raises(BatchInvalid):
        parse_message(PushRequest, body)
    with pytest.raises(ValueError):
        event(created_at=datetime(2026, 3, 2, 9, 30))


def test_content_hash_is_stable_and_covers_every_field() -> None:
    e = event()
    assert content_hash(e) == content_hash(event()) == content_hash(e, canonical_payload(e.payload))
    changed = [event(seq=4), event(event_id=uuid.UUID(int=8)), event(type="return.completed"),
               event(aggregate_id="r2"), event(created_at=AT.replace(second=1)),
               event(payload={"receipt": {"id": "r1", "total": 101}})]
    hashes = {content_hash(x) for x in changed}
    assert len(hashes) == len(changed) and content_hash(e) not in hashes


def test_event_types_travel_as_their_dotted_names() -> None:
    assert {t.value for t in EventType} == {
        "sale.completed", "return.completed", "sale.cancelled", "line.voided",
        "price.overridden", "shift.opened", "shift.closed", "cash.deposited", "cash.withdrawn",
        "fiscal.recorded", "user.created", "user.locked", "settings.changed"}
    assert Event(event_id=uuid.UUID(int=1), seq=1, type=EventType.SHIFT_OPENED, aggregate_id="s",
                 created_at=AT, payload={}).model_dump_json().count('"type":"shift.opened"') == 1


def test_product_rows_round_trip() -> None:
    data = {"sku": "A-1", "name": "Apă", "price": 250, "vat_group": "reduced", "unit": "l",
            "barcodes": ["5940000000017"], "excise": False, "code": None,
            "age_restricted": False, "active": True, "category": "Drinks", "names": {"uk": "Вода"}}
    assert product_from_row(product_row(data)) == data
    assert list(PRODUCT_FIELDS) == list(data)


def test_error_codes_map_back_to_their_exceptions() -> None:
    assert type(error_for_code("SYNC_SEQ_CONFLICT")).__name__ == "SeqConflict"
    assert type(error_for_code("WHATEVER", status=503)).__name__ == "ServerBusy"
    assert type(error_for_code("AUTH_TOKEN_INVALID", status=401)).__name__ == "DeviceUnauthorized"
    assert error_for_code("ODD", status=400).code == "ODD"


@pytest.mark.parametrize("name", ["sync.protocol", "sync.errors", "sync.client", "sync.feed",
                                  "sync.ports", "sync.runner", "sync.settings", "sync.state",
                                  "sync.wire"])
def test_public_surface_is_explicit(name: str) -> None:
    """Each module says what it offers (ruff keeps ``__all__`` sorted); every name exists."""
    module = importlib.import_module(name)
    names = list(module.__all__)
    assert names and len(set(names)) == len(names)
    assert [n for n in names if not hasattr(module, n)] == []


def test_sync_imports_neither_side() -> None:
    """The protocol and the till's engine load without the till or the cloud (ports instead)."""
    code = ("import sys, sync.client, sync.feed, sync.ports, sync.runner, sync.settings, "
            "sync.wire; print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'desktop', 'cloud'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
