"""The operator queue API (seed 000), webhooks (seed 001 §14) and quality webhooks (seed 000)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

from conftest import World

from cloud import tenancy
from cloud.jobs import repository as repo
from cloud.jobs.registry import JobContext, default_registry
from cloud.services.identity import api_keys
from cloud.services.webhooks import subscriptions as svc
from cloud.services.webhooks.receiver import WebhookReceiver

OK_TASK = "test.api.ok"
FLAKY_TASK = "test.api.flaky"
FLAKY = {"fail": True}


def _ok(ctx: JobContext, payload: dict[str, Any]) -> str:
    return "done"


def _flaky(ctx: JobContext, payload: dict[str, Any]) -> str:
    if FLAKY["fail"]:
        raise ConnectionError("upstream down")
    return "done"


if OK_TASK not in default_registry:
    default_registry.add(OK_TASK, _ok, queue="imports")
    default_registry.add(FLAKY_TASK, _flaky, queue="imports")


def _enqueue(world: World, tenant: uuid.UUID, task: str = OK_TASK, **kw: Any) -> uuid.UUID:
    with world.sessions.begin() as s:
        return repo.enqueue(s, tenant_id=tenant, task=task, queue="imports",
                            now=world.clock.now(), **kw).job_id


def _data(resp: Any, status: int = 200) -> Any:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["success"] is True
    assert {"requestId", "timestamp", "duration"} <= set(body["meta"])
    return body["data"]


def _queue(world: World, shop: Any, name: str = "imports") -> dict[str, Any]:
    queues = _data(world.client.get("/api/queues", headers=shop.h()))["queues"]
    return next(q for q in queues if q["name"] == name)


def test_queue_counts_dlq_replay_and_clean(world: World) -> None:
    a, b = world.a, world.b
    FLAKY["fail"] = True
    _enqueue(world, a.id)
    _enqueue(world, a.id, run_at=world.clock.now() + timedelta(hours=1))
    dead = [_enqueue(world, a.id, FLAKY_TASK, max_retries=0) for _ in range(3)]
    _enqueue(world, b.id)
    assert world.worker("imports").run_once() == 5
    q = _queue(world, a)
    assert q["counts"] == {"waiting": 0, "active": 0, "delayed": 1, "completed": 1,
                           "failed": 0, "dead": 3}
    assert q["dlq"] == {"name": "imports-dlq", "count": 3} and q["paused"] is False
    assert _queue(world, b)["counts"]["dead"] == 0  # tenants never see each other's jobs

    resp = world.client.get("/api/queues/imports/jobs", params={"state": "dead", "limit": 2},
                            headers=a.h())
    assert resp.status_code == 200
    page = resp.json()
    assert page["success"] and page["pagination"]["total"] == 3
    assert len(page["data"]) == 2 and page["pagination"]["hasNext"] is True
    job = page["data"][0]
    assert job["state"] == "dead" and "upstream down" in job["lastError"]
    assert {j["id"] for j in _data(world.client.get("/api/queues/imports-dlq/jobs",
                                                    headers=a.h()))} == {str(d) for d in dead}
    delayed = _data(world.client.get("/api/queues/imports/jobs", params={"state": "delayed"},
                                     headers=a.h()))
    assert len(delayed) == 1

    FLAKY["fail"] = False
    out = _data(world.client.post("/api/queues/imports/dlq/replay",
                                  json={"jobIds": [str(dead[0])]}, headers=a.h()))
    assert out == {"queue": "imports", "replayed": 1, "jobIds": [str(dead[0])]}
    # Shop B cannot replay shop A's job.
    other = _data(world.client.post("/api/queues/imports/dlq/replay",
                                    json={"jobIds": [str(dead[1])]}, headers=b.h()))
    assert other["replayed"] == 0
    assert _data(world.client.post("/api/queues/imports/dlq/replay", json={"limit": 1},
                                   headers=a.h()))["replayed"] == 1
    assert world.worker("imports").run_once() == 2
    assert _queue(world, a)["counts"]["completed"] == 3

    cleaned = _data(world.client.post("/api/queues/imports/clean-failed",
                                      json={"states": ["dead"]}, headers=a.h()))
    assert cleaned == {"queue": "imports", "removed": 1}
    assert _data(world.client.post("/api/queues/imports/clean-failed",
                                   headers=a.h()))["removed"] == 0


def test_paused_queue_accepts_but_runs_nothing_until_resumed(world: World) -> None:
    a, b = world.a, world.b
    out = _data(world.client.post("/api/queues/imports/pause", headers=a.h()))
    assert out == {"queue": "imports", "paused": True, "changed": True}
    assert _data(world.client.post("/api/queues/imports/pause", headers=a.h()))["changed"] is False
    mine = _enqueue(world, a.id)
    _enqueue(world, b.id)
    assert world.worker("imports").run_once() == 1  # only shop B's job
    q = _queue(world, a)
    assert q["paused"] is True and q["counts"]["waiting"] == 1 and q["pausedAt"]
    assert _queue(world, b)["paused"] is False
    assert _data(world.client.post("/api/queues/imports/resume", headers=a.h()))["changed"]
    assert world.worker("imports").run_once() == 1
    with world.sessions() as s:
        assert repo.get_job(s, job_id=mine, tenant_id=a.id).state == "completed"


def test_queue_api_errors_use_the_seed_000_envelope(world: World) -> None:
    a = world.a
    resp = world.client.get("/api/queues")
    assert resp.status_code == 401
    body = resp.json()
    assert body["success"] is False and body["error"]["code"] == "UNAUTHORIZED"
    assert "requestId" in body["meta"]
    resp = world.client.post("/api/queues/imports/pause", headers=a.h("reader"))
    assert resp.status_code == 403 and resp.json()["success"] is False
    assert world.client.get("/api/queues", headers=a.h("outsider")).status_code == 403
    for method, path, kw in [
        ("get", "/api/queues/imports/jobs", {"params": {"state": "sleeping"}}),
        ("get", "/api/queues/bad%20name/jobs", {}),
        ("get", "/api/queues/imports/jobs", {"params": {"limit": 0}}),
        ("post", "/api/queues/imports/dlq/replay", {"json": {"jobIds": ["nope"]}}),
        ("post", "/api/queues/imports/dlq/replay", {"json": {"limit": 100000}}),
        ("post", "/api/queues/imports/clean-failed", {"json": {"states": ["active"]}}),
        ("post", "/api/queues/imports/clean-failed", {"content": b"{not json",
                                                      "headers": {"content-type":
                                                                  "application/json"}}),
    ]:
        headers = {**a.h(), **kw.pop("headers", {})}
        resp = getattr(world.client, method)(path, headers=headers, **kw)
        assert resp.status_code in (400, 404, 422), (path, resp.text)
        body = resp.json()
        assert body["success"] is False and body["error"]["code"], body


def _create_webhook(world: World, shop: Any, url: str, **extra: Any) -> dict[str, Any]:
    body = {"name": "CRM", "url": url, "events": ["negotiation.won", "document.sent"], **extra}
    return _data(world.client.post("/api/v1/webhooks", json=body, headers=shop.h()), 201)


def test_webhook_subscription_lifecycle(world: World, receiver: WebhookReceiver) -> None:
    a, b = world.a, world.b
    created = _create_webhook(world, a, receiver.url,
                              retryPolicy={"maxRetries": 1, "retryDelay": 500,
                                           "backoffMultiplier": 2},
                              customHeaders={"X-Tenant": "a"})
    assert created["status"] == "active" and created["secret"].startswith("whsec_")
    receiver.secret = created["secret"]
    hook_id = created["id"]
    listed = _data(world.client.get("/api/v1/webhooks", headers=a.h()))["webhooks"]
    assert [w["id"] for w in listed] == [hook_id]
    assert "secret" not in json.dumps(listed)
    assert listed[0]["authentication"] == {"type": "hmac", "configured": True}
    assert _data(world.client.get("/api/v1/webhooks", headers=b.h()))["webhooks"] == []

    # Test send: synchronous, signed, recorded.
    test = _data(world.client.post(f"/api/v1/webhooks/{hook_id}/test",
                                   json={"eventType": "negotiation.won",
                                         "mockPayload": {"value": 10}}, headers=a.h()))
    assert test["delivered"] is True and test["response"]["status"] == 200
    assert test["request"]["headers"]["X-Webhook-Signature"].startswith("sha256=")
    assert test["request"]["body"]["data"] == {"value": 10}
    assert receiver.received[-1].error is None

    # A real event, receiver failing: retried, then dead; history shows every attempt.
    receiver.status = 500
    with world.sessions.begin() as s:
        (pub,) = svc.publish_event(s, tenant_id=a.id, event="negotiation.won",
                                   data={"negotiation": {"id": "n-9"}}, now=world.clock.now())
    worker = world.worker("webhooks")
    assert worker.run_once() == 1
    hist = _data(world.client.get(f"/api/v1/webhooks/{hook_id}/deliveries",
                                  params={"status": "failed"}, headers=a.h()))
    (first,) = hist["deliveries"]
    assert first["httpStatus"] == 500 and first["attempt"] == 1 and first["maxAttempts"] == 2
    assert first["nextRetry"] is not None and first["request"]["payload"]["id"] == str(
        pub.event_id)
    world.clock.advance(1)
    assert worker.run_once() == 1
    hist = _data(world.client.get(f"/api/v1/webhooks/{hook_id}/deliveries", headers=a.h()))
    assert [d["attempt"] for d in hist["deliveries"] if d["status"] == "failed"] == [2, 1]
    assert hist["pagination"]["total"] == 3  # test send + two attempts

    # Manual retry once the receiver is fixed.
    receiver.status = 200
    failed_id = hist["deliveries"][0]["id"]
    retry = _data(world.client.post(
        f"/api/v1/webhooks/{hook_id}/deliveries/{failed_id}/retry", headers=a.h()))
    assert retry["retried"] is True and retry["status"] == "pending"
    assert worker.run_once() == 1
    hist = _data(world.client.get(f"/api/v1/webhooks/{hook_id}/deliveries",
                                  params={"status": "success"}, headers=a.h()))
    assert retry["newDeliveryId"] in {d["id"] for d in hist["deliveries"]}
    assert receiver.received[-1].headers["x-tenant"] == "a"

    # Another tenant cannot see or touch it.
    for method, path in [("get", f"/api/v1/webhooks/{hook_id}/deliveries"),
                         ("put", f"/api/v1/webhooks/{hook_id}"),
                         ("delete", f"/api/v1/webhooks/{hook_id}")]:
        kw = {"json": {"name": "x"}} if method == "put" else {}
        resp = getattr(world.client, method)(path, headers=b.h(), **kw)
        assert resp.status_code == 404 and resp.json()["error"]["code"] == "RES_NOT_FOUND"

    assert _data(world.client.put(f"/api/v1/webhooks/{hook_id}",
                                  json={"status": "paused", "name": "CRM 2"},
                                  headers=a.h())) == {"updated": True}
    listed = _data(world.client.get("/api/v1/webhooks", headers=a.h()))["webhooks"]
    assert listed[0]["status"] == "paused" and listed[0]["name"] == "CRM 2"
    assert listed[0]["stats"]["totalDeliveries"] == 4
    assert _data(world.client.delete(f"/api/v1/webhooks/{hook_id}", headers=a.h())) == {
        "deleted": True}
    resp = world.client.get(f"/api/v1/webhooks/{hook_id}/deliveries", headers=a.h())
    assert resp.status_code == 404


def test_webhook_input_errors(world: World) -> None:
    a = world.a
    resp = world.client.post("/api/v1/webhooks", headers=a.h(), json={
        "name": "x", "url": "http://10.0.0.8/hook", "events": ["negotiation.won"]})
    assert resp.status_code == 422
    err = resp.json()["error"]
    assert err["field"] == "url" and "private" in err["message"]
    for body in ({"name": "x", "url": "ftp://a.b/c", "events": ["negotiation.won"]},
                 {"name": "x", "url": "http://127.0.0.1:9/h", "events": ["nope"]},
                 {"name": "x", "url": "http://127.0.0.1:9/h", "events": []},
                 {"name": "x", "url": "http://127.0.0.1:9/h", "events": ["negotiation.won"],
                  "authentication": {"type": "bearer"}},
                 {"name": "x", "url": "http://127.0.0.1:9/h", "events": ["negotiation.won"],
                  "retryPolicy": {"maxRetries": 9}},
                 {"name": "x", "url": "http://127.0.0.1:9/h", "events": ["negotiation.won"],
                  "surprise": 1}):
        resp = world.client.post("/api/v1/webhooks", json=body, headers=a.h())
        assert resp.status_code == 422, (body, resp.text)
        assert resp.json()["error"]["code"].startswith("VAL_")
    resp = world.client.put("/api/v1/webhooks/not-a-uuid", json={}, headers=a.h())
    assert resp.status_code == 422
    resp = world.client.post(f"/api/v1/webhooks/{uuid.uuid4()}/deliveries/{uuid.uuid4()}/retry",
                             headers=a.h())
    assert resp.status_code == 404
    assert world.client.get("/api/v1/webhooks", headers=a.h("outsider")).status_code == 403


def test_pim_quality_webhooks(world: World, receiver: WebhookReceiver) -> None:
    a = world.a
    cfg = _data(world.client.get("/api/pim/webhooks/config", headers=a.h()))
    assert cfg["configured"] is False
    resp = world.client.put("/api/pim/webhooks/config", json={"enabled": True}, headers=a.h())
    assert resp.status_code == 422 and resp.json()["success"] is False  # url needed first
    cfg = _data(world.client.put("/api/pim/webhooks/config", headers=a.h(), json={
        "url": receiver.url, "subscribedEvents": ["quality.promoted", "quality.review_needed"]}))
    assert cfg["configured"] and cfg["enabled"] and cfg["hasSecret"] and cfg["secret"]
    receiver.secret = cfg["secret"]
    again = _data(world.client.get("/api/pim/webhooks/config", headers=a.h()))
    assert again["secret"] is None and again["subscribedEvents"] == ["quality.promoted",
                                                                     "quality.review_needed"]
    with world.sessions.begin() as s:
        (pub,) = svc.publish_event(s, tenant_id=a.id, event="quality.promoted",
                                   data={"productId": "p-1", "level": "golden"},
                                   now=world.clock.now(), kind="pim_quality")
        assert svc.publish_event(s, tenant_id=a.id, event="quality.demoted", data={},
                                 now=world.clock.now(), kind="pim_quality") == []
    world.worker("webhooks").run_once()
    resp = world.client.get("/api/pim/webhooks/deliveries", headers=a.h())
    assert resp.status_code == 200 and resp.json()["pagination"]["total"] == 1
    (row,) = resp.json()["data"]
    assert row["eventId"] == str(pub.event_id) and row["status"] == "success"
    assert receiver.received[-1].error is None

    url = f"/api/pim/webhooks/deliveries/{pub.event_id}/retry"
    out = _data(world.client.post(url, headers=a.h()))
    assert out["eventId"] == str(pub.event_id) and out["status"] == "pending"
    resp = world.client.post(url, headers=a.h())
    assert resp.status_code == 429
    assert resp.json()["success"] is False and resp.headers["Retry-After"] == "60"
    world.clock.advance(60)
    assert world.client.post(url, headers=a.h()).status_code == 200
    assert world.client.post(f"/api/pim/webhooks/deliveries/{uuid.uuid4()}/retry",
                             headers=a.h()).status_code == 404
    # Another shop sees none of it.
    assert world.client.get("/api/pim/webhooks/deliveries",
                            headers=world.b.h()).json()["pagination"]["total"] == 0
    assert world.client.post(url, headers=world.b.h()).status_code == 404
    cfg = _data(world.client.put("/api/pim/webhooks/config", json={"enabled": False},
                                 headers=a.h()))
    assert cfg["enabled"] is False and cfg["status"] == "paused"


def test_admin_health_reports_job_queues(world: World) -> None:
    _enqueue(world, world.a.id)
    with world.sessions() as s:
        tenancy.scope(s, world.a.id)
        _row, key = api_keys.create_api_key(session=s, principal=None, name="admin",
                                            scopes=["admin:settings"], expires_at=None,
                                            rate_limit=None, mode="test", now=world.clock.now())
        s.commit()
    resp = world.client.get("/api/v1/admin/health", headers={"X-API-Key": key})
    assert resp.status_code == 200, resp.text
    queues = {q["name"]: q for q in resp.json()["data"]["queues"]}
    assert queues["imports"]["waiting"] == 1
    assert "webhooks" not in queues  # only this shop's queues with jobs
