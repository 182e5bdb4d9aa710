"""Bad input on the sync API is refused with a clear code, and nothing of the batch is stored.

GIVEN two tenants, each with an enrolled till that already pushed some events
WHEN a push comes with a wrong token, another tenant's device, a malformed batch, a seq going
     backwards, an event id re-sent with other content, or a newer protocol version
THEN the answer names the problem (``SYNC_*`` code) and the cloud holds exactly what it held.
"""

from __future__ import annotations

import copy
import gzip
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import Live, Shop, World, make_world
from test_sync_push import counts, events_body, raw_push, sell

from sync.protocol import VERSION_HEADER

Case = Callable[[World, dict[str, Any]], tuple[str, dict[str, Any] | bytes, dict[str, str]]]


def _setup(world: World) -> dict[str, Any]:
    shop = world.a
    till, client, e = shop.enrolled()
    sell(till, shop.skus, 3)
    client.push_all()
    sell(till, shop.skus, 2)  # new events, not pushed yet
    b_till, b_client, b_e = world.b.enrolled()
    sell(b_till, world.b.skus, 1)
    b_client.push_all()
    return {"till": till, "e": e, "b_e": b_e, "acked": till.outbox_stats().acked_through}


def _fresh(ctx: dict[str, Any]) -> dict[str, Any]:
    """A valid batch: everything from seq 1 (pushed ones are duplicates, two are new)."""
    return events_body(ctx["till"], ctx["e"].device_id)


def wrong_token(world: World, ctx: dict[str, Any]) -> Any:
    return "tbd_" + "x" * 43, _fresh(ctx), {}


def no_token(world: World, ctx: dict[str, Any]) -> Any:
    return "", _fresh(ctx), {}


def other_tenants_device(world: World, ctx: dict[str, Any]) -> Any:
    body = _fresh(ctx)
    body["device_id"] = ctx["b_e"].device_id  # A's events claimed for B's device
    return ctx["e"].device_token, body, {}


def other_tenants_token(world: World, ctx: dict[str, Any]) -> Any:
    return ctx["b_e"].device_token, _fresh(ctx), {}  # B's token, A's device in the body


def not_json(world: World, ctx: dict[str, Any]) -> Any:
    return ctx["e"].device_token, b"{not json", {}


def missing_fields(world: World, ctx: dict[str, Any]) -> Any:
    body = _fresh(ctx)
    del body["events"][-1]["payload"]
    return ctx["e"].device_token, body, {}


def seq_not_increasing(world: World, ctx: dict[str, Any]) -> Any:
    body = _fresh(ctx)
    body["events"][-1], body["events"][-2] = body["events"][-2], body["events"][-1]
    return ctx["e"].device_token, body, {}


def bad_receipt(world: World, ctx: dict[str, Any]) -> Any:
    body = _fresh(ctx)
    last = body["events"][-1]
    assert last["type"] == "sale.completed"
    last["payload"] = {**last["payload"], "receipt": {"id": "nope"}}
    return ctx["e"].device_token, body, {}


def seq_backwards(world: World, ctx: dict[str, Any]) -> Any:
    body = _fresh(ctx)
    reused = copy.deepcopy(body["events"][-1])  # a new event at an old seq
    reused["event_id"], reused["seq"] = str(uuid.uuid4()), 2
    body["events"] = [reused, *body["events"][-2:]]
    return ctx["e"].device_token, body, {}


def same_id_other_content(world: World, ctx: dict[str, Any]) -> Any:
    body = _fresh(ctx)
    body["events"][1]["payload"] = {**body["events"][1]["payload"], "tampered": True}
    return ctx["e"].device_token, body, {}


def newer_version_in_body(world: World, ctx: dict[str, Any]) -> Any:
    return ctx["e"].device_token, {**_fresh(ctx), "version": 2}, {}


def newer_version_in_header(world: World, ctx: dict[str, Any]) -> Any:
    return ctx["e"].device_token, _fresh(ctx), {VERSION_HEADER: "7"}


CASES: list[tuple[Case, int, str]] = [
    (wrong_token, 401, "SYNC_DEVICE_UNAUTHORIZED"),
    (no_token, 401, "SYNC_DEVICE_UNAUTHORIZED"),
    (other_tenants_device, 403, "SYNC_DEVICE_MISMATCH"),
    (other_tenants_token, 403, "SYNC_DEVICE_MISMATCH"),
    (not_json, 422, "SYNC_BATCH_INVALID"),
    (missing_fields, 422, "SYNC_BATCH_INVALID"),
    (seq_not_increasing, 422, "SYNC_BATCH_INVALID"),
    (bad_receipt, 422, "SYNC_BATCH_INVALID"),
    (seq_backwards, 409, "SYNC_SEQ_CONFLICT"),
    (same_id_other_content, 409, "SYNC_EVENT_CONFLICT"),
    (newer_version_in_body, 400, "SYNC_VERSION_UNSUPPORTED"),
    (newer_version_in_header, 400, "SYNC_VERSION_UNSUPPORTED"),
]


@pytest.fixture(scope="module")
def bad(live: Live, tmp_path_factory: pytest.TempPathFactory
        ) -> Iterator[tuple[World, dict[str, Any]]]:
    """One world for every refused batch: a refusal changes nothing, which each case checks."""
    for world in make_world(live, tmp_path_factory.mktemp("bad")):
        yield world, _setup(world)


@pytest.mark.parametrize(("case", "status", "code"), CASES, ids=[c[0].__name__ for c in CASES])
def test_bad_push_is_refused_and_nothing_is_stored(bad: tuple[World, dict[str, Any]],
                                                   case: Case, status: int, code: str) -> None:
    world, ctx = bad
    before = (counts(world.a), counts(world.b))
    token, body, headers = case(world, ctx)
    if isinstance(body, bytes):
        resp = world.live.api.client.post(
            "/api/v1/sync/push", content=gzip.compress(body),
            headers={"Authorization": f"Bearer {token}", "Content-Encoding": "gzip"})
    else:
        data = gzip.compress(json.dumps(body, default=str).encode())
        resp = world.live.api.client.post(
            "/api/v1/sync/push", content=data,
            headers={"Authorization": f"Bearer {token}", "Content-Encoding": "gzip",
                     "Content-Type": "application/json", **headers})
    assert resp.status_code == status, resp.text
    err = resp.json()["error"]
    assert err["code"] == code and err["message"]
    assert (counts(world.a), counts(world.b)) == before


def test_after_refusals_the_real_batch_is_accepted(bad: tuple[World, dict[str, Any]]) -> None:
    world, ctx = bad
    before = counts(world.a)["sync_events"]
    ok = raw_push(world.a, ctx["e"].device_token, _fresh(ctx))
    assert ok.status_code == 200 and ok.json()["stored"] == 2
    assert counts(world.a)["sync_events"] == before + 2


def test_a_revoked_till_can_no_longer_push_or_pull(world: World) -> None:
    shop: Shop = world.a
    till, client, e = shop.enrolled()
    sell(till, shop.skus, 1)
    other = world.b.call("POST", f"/api/v1/sync/devices/{e.device_id}/revoke")
    assert other.status_code == 404  # another tenant cannot revoke it
    resp = shop.call("POST", f"/api/v1/sync/devices/{e.device_id}/revoke")
    assert resp.status_code == 200 and resp.json()["data"]["status"] == "revoked"
    before = counts(shop)
    auth = {"Authorization": f"Bearer {e.device_token}"}
    for method, path in (("GET", "/api/v1/sync/pull"), ("GET", "/api/v1/sync/snapshot"),
                         ("GET", "/api/v1/sync/status")):
        r = world.live.api.client.request(method, path, headers=auth)
        assert r.status_code == 401 and r.json()["error"]["code"] == "SYNC_DEVICE_REVOKED"
    r = raw_push(shop, e.device_token, events_body(till, e.device_id))
    assert r.status_code == 401 and r.json()["error"]["code"] == "SYNC_DEVICE_REVOKED"
    assert counts(shop) == before
    from sync.errors import DeviceRevoked

    with pytest.raises(DeviceRevoked):
        client.push_all()
    assert till.outbox_stats().pending > 0  # nothing acknowledged that the cloud refused


def test_enrollment_codes_are_one_time_except_for_the_same_installation(world: World) -> None:
    shop = world.a
    code = shop.code()
    till, home = shop.new_till()
    from sync.client import enroll
    from sync.errors import EnrollmentInvalid

    first = enroll(till, home, shop.live.url, code)
    again = enroll(till, home, shop.live.url, code)  # its answer was lost: same installation
    assert again.device_id == first.device_id and again.device_token != first.device_token
    auth = {"Authorization": f"Bearer {first.device_token}"}
    assert world.live.api.client.get("/api/v1/sync/status", headers=auth).status_code == 401
    intruder, intruder_home = shop.new_till("intruder")
    with pytest.raises(EnrollmentInvalid):
        enroll(intruder, intruder_home, shop.live.url, code)
    with pytest.raises(EnrollmentInvalid):
        enroll(intruder, intruder_home, shop.live.url, "AAAA-BBBB-CCCC")
    resp = world.live.api.client.post("/api/v1/sync/enroll", json={
        "version": 9, "code": code, "device_uid": "x" * 16})
    assert resp.json()["error"]["code"] == "SYNC_VERSION_UNSUPPORTED"
    # Tenant B cannot issue a code for A's till.
    r = world.b.call("POST", f"/api/v1/stores/{shop.store_id}/tills/{shop.till_id}"
                             "/enrollment-codes")
    assert r.status_code == 404
