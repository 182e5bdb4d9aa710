"""Webhooks delivered as jobs to a real receiver on 127.0.0.1, with history rows per attempt."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cloud.config import Settings
from cloud.crypto import generate_key
from cloud.errors import Conflict, RateLimited
from cloud.integrations.outbound import TargetRefused
from cloud.jobs import repository as repo
from cloud.jobs.registry import default_registry
from cloud.jobs.retry import RetryStrategy
from cloud.jobs.states import JobState
from cloud.jobs.worker import Worker, WorkerConfig
from cloud.models.jobs import Job
from cloud.models.tenancy import Tenant
from cloud.models.webhooks import WebhookDelivery, WebhookSubscription
from cloud.services.webhooks import history, pim
from cloud.services.webhooks import subscriptions as svc
from cloud.services.webhooks.delivery import QUEUE
from cloud.services.webhooks.receiver import WebhookReceiver as Receiver
from cloud.services.webhooks.signing import SignatureMismatch, verify
from shared.clock import ManualClock

TENANT = uuid.UUID("01890000-0000-7000-8000-00000000c0de")


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url, encryption_key=generate_key(),
                    outbound_allowed_targets="127.0.0.1/32", webhook_timeout_s=5)


@pytest.fixture
def tenant(sessions: sessionmaker[Session], clock: ManualClock) -> uuid.UUID:
    with sessions.begin() as s:
        s.add(Tenant(id=TENANT, name="Acme SRL", slug="acme", created_at=clock.now(),
                     updated_at=clock.now()))
    return TENANT


def _worker(sessions: sessionmaker[Session], clock: ManualClock, settings: Settings) -> Worker:
    return Worker(sessions, default_registry, clock=clock, settings=settings, worker_id="w",
                  retry=RetryStrategy(jitter=0), config=WorkerConfig(queues=(QUEUE,)))


def _subscribe(sessions: sessionmaker[Session], clock: ManualClock, settings: Settings,
               url: str, **kw: Any) -> tuple[uuid.UUID, str]:
    data = svc.SubscriptionInput(name="crm", url=url, events=kw.pop("events", ["negotiation.*"]),
                                 **kw)
    with sessions.begin() as s:
        sub, secret = svc.create_subscription(s, tenant_id=TENANT, data=data, settings=settings,
                                              now=clock.now())
        return sub.id, secret


def _publish(sessions: sessionmaker[Session], clock: ManualClock,
             event: str = "negotiation.won", **kw: Any) -> list[svc.Published]:
    with sessions.begin() as s:
        return svc.publish_event(s, tenant_id=TENANT, event=event, now=clock.now(),
                                 data={"negotiation": {"id": "n-1", "totalValue": 1250}}, **kw)


def _deliveries(sessions: sessionmaker[Session]) -> list[WebhookDelivery]:
    with sessions() as s:
        return list(s.execute(select(WebhookDelivery).order_by(WebhookDelivery.requested_at,
                                                               WebhookDelivery.id)
                              ).scalars())


def test_delivery_is_signed_and_matches_the_payload_structure(
        sessions: sessionmaker[Session], clock: ManualClock, settings: Settings,
        receiver: Receiver, tenant: uuid.UUID) -> None:
    sub_id, secret = _subscribe(sessions, clock, settings, receiver.url,
                                custom_headers={"X-Shop": "7", "Host": "evil"})
    receiver.secret = secret
    published = _publish(sessions, clock)
    assert len(published) == 1
    assert _publish(sessions, clock, event="document.sent") == []  # not subscribed
    assert _worker(sessions, clock, settings).run_once() == 1
    (got,) = receiver.received
    assert got.error is None  # the receiver verified the signature
    body = json.loads(got.body)
    assert body["id"] == str(published[0].event_id) == got.headers["x-webhook-id"]
    assert body["event"] == "negotiation.won" and body["version"] == "1.0"
    assert body["tenant"] == {"id": str(TENANT), "name": "Acme SRL"}
    assert body["data"]["negotiation"]["totalValue"] == 1250
    assert got.headers["x-shop"] == "7" and got.headers["host"].startswith("127.0.0.1")
    (row,) = _deliveries(sessions)
    assert row.id == published[0].delivery_id and row.subscription_id == sub_id
    assert (row.status, row.http_status, row.attempt) == ("success", 200, 1)
    assert row.latency_ms is not None and row.latency_ms >= 0
    assert json.loads(row.response_excerpt or "")["received"] is True
    # A tampered body fails the same verification.
    tampered = got.body.replace(b"1250", b"9999")
    with pytest.raises(SignatureMismatch):
        verify(secret, got.headers, tampered, now=clock.now().timestamp())


def test_receiver_down_retries_with_backoff_and_history_shows_each_attempt(
        sessions: sessionmaker[Session], clock: ManualClock, settings: Settings,
        receiver: Receiver, tenant: uuid.UUID) -> None:
    _, secret = _subscribe(sessions, clock, settings, receiver.url,
                           retry_policy={"maxRetries": 2, "retryDelay": 1000,
                                         "backoffMultiplier": 3})
    receiver.secret = secret
    receiver.stop()  # connection refused from now on
    (published,) = _publish(sessions, clock)
    worker = _worker(sessions, clock, settings)
    assert worker.run_once() == 1
    with sessions() as s:
        page = history.list_deliveries(s, tenant_id=TENANT, subscription_ids=None)
    (first, next_retry), = page.rows
    assert first.status == "failed" and first.http_status is None
    assert "ConnectError" in (first.error or "")
    assert next_retry == clock.now() + timedelta(seconds=1)  # retryDelay
    clock.advance(1)
    assert worker.run_once() == 1
    job = _job(sessions, published.job_id)
    assert job.run_at == clock.now() + timedelta(seconds=3)  # retryDelay * multiplier
    clock.advance(3)
    assert worker.run_once() == 1
    attempts = _deliveries(sessions)
    assert [(d.attempt, d.max_attempts, d.status) for d in attempts] == [
        (1, 3, "failed"), (2, 3, "failed"), (3, 3, "failed")]
    assert _job(sessions, published.job_id).state == JobState.DEAD
    with sessions() as s:
        page = history.list_deliveries(s, tenant_id=TENANT, subscription_ids=None)
    assert all(nxt is None for _, nxt in page.rows) and page.total == 3

    # The receiver comes back: replaying the dead job delivers it.
    receiver.start()
    clock.advance(60)
    with sessions.begin() as s:
        assert repo.replay_dead(s, tenant_id=TENANT, queue=QUEUE, now=clock.now()) == [
            published.job_id]
    assert worker.run_once() == 1
    assert _deliveries(sessions)[-1].status == "success"
    assert len(receiver.received) == 1 and receiver.received[0].error is None


def test_server_error_then_success(sessions: sessionmaker[Session], clock: ManualClock,
                                   settings: Settings, receiver: Receiver,
                                   tenant: uuid.UUID) -> None:
    _, receiver.secret = _subscribe(sessions, clock, settings, receiver.url)
    receiver.status = 503
    _publish(sessions, clock)
    worker = _worker(sessions, clock, settings)
    worker.run_once()
    receiver.status = 200
    clock.advance(60)
    worker.run_once()
    assert [(d.status, d.http_status) for d in _deliveries(sessions)] == [
        ("failed", 503), ("success", 200)]
    # Both attempts carried the same event id (the receiver de-duplicates on it).
    ids = {r.headers["x-webhook-id"] for r in receiver.received}
    assert len(ids) == 1


def test_private_targets_refused_at_subscription_and_at_delivery(
        sessions: sessionmaker[Session], clock: ManualClock, settings: Settings,
        receiver: Receiver, tenant: uuid.UUID) -> None:
    strict = settings.model_copy(update={"outbound_allowed_targets": ""})
    with pytest.raises(TargetRefused):
        _subscribe(sessions, clock, strict, receiver.url)
    with pytest.raises(TargetRefused):
        _subscribe(sessions, clock, settings, "http://10.0.0.7/hook")
    # Allowed when created, refused when the worker's settings no longer allow it.
    _subscribe(sessions, clock, settings, receiver.url)
    (published,) = _publish(sessions, clock)
    _worker(sessions, clock, strict).run_once()
    (row,) = _deliveries(sessions)
    assert row.status == "failed" and "private" in (row.error or "")
    assert _job(sessions, published.job_id).state == JobState.FAILED  # not retried
    assert receiver.received == []


def test_paused_and_deleted_subscriptions(sessions: sessionmaker[Session], clock: ManualClock,
                                          settings: Settings, receiver: Receiver,
                                          tenant: uuid.UUID) -> None:
    sub_id, _ = _subscribe(sessions, clock, settings, receiver.url)
    (queued,) = _publish(sessions, clock)
    with sessions.begin() as s:
        sub = svc.get_subscription(s, tenant_id=TENANT, subscription_id=sub_id)
        svc.update_subscription(s, sub=sub, changes={"status": "paused"}, settings=settings,
                                now=clock.now())
    assert _publish(sessions, clock) == []  # paused: nothing new is queued
    _worker(sessions, clock, settings).run_once()
    assert _job(sessions, queued.job_id).state == JobState.FAILED
    assert receiver.received == []


def test_manual_retry_of_a_failed_delivery(sessions: sessionmaker[Session], clock: ManualClock,
                                           settings: Settings, receiver: Receiver,
                                           tenant: uuid.UUID) -> None:
    sub_id, receiver.secret = _subscribe(sessions, clock, settings, receiver.url,
                                         retry_policy={"maxRetries": 0})
    receiver.status = 500
    (published,) = _publish(sessions, clock)
    worker = _worker(sessions, clock, settings)
    worker.run_once()
    receiver.status = 200
    with sessions.begin() as s:
        sub = svc.get_subscription(s, tenant_id=TENANT, subscription_id=sub_id)
        new_id, _job_id = history.retry_delivery(s, sub=sub, delivery_id=published.delivery_id,
                                                 now=clock.now())
    assert worker.run_once() == 1
    with sessions() as s:
        row = s.get(WebhookDelivery, new_id)
        assert row is not None and row.status == "success" and row.event_id == published.event_id
    with sessions.begin() as s, pytest.raises(Conflict):
        history.retry_delivery(s, sub=s.get(WebhookSubscription, sub_id), delivery_id=new_id,
                               now=clock.now())


def test_pim_retry_is_limited_to_one_per_minute_per_event(
        sessions: sessionmaker[Session], clock: ManualClock, settings: Settings,
        receiver: Receiver, tenant: uuid.UUID) -> None:
    with sessions.begin() as s:
        _, secret = pim.put_config(s, tenant_id=TENANT, settings=settings, now=clock.now(),
                                   changes={"url": receiver.url,
                                            "subscribed_events": ["quality.*"]})
    assert secret is not None
    receiver.secret = secret
    (published,) = _publish(sessions, clock, event="quality.promoted", kind=pim.KIND)
    _worker(sessions, clock, settings).run_once()
    with sessions.begin() as s:
        history.retry_event(s, tenant_id=TENANT, event_id=published.event_id, kind=pim.KIND,
                            now=clock.now())
    clock.advance(59)
    with sessions.begin() as s, pytest.raises(RateLimited) as info:
        history.retry_event(s, tenant_id=TENANT, event_id=published.event_id, kind=pim.KIND,
                            now=clock.now())
    assert info.value.headers == {"Retry-After": "60"}
    clock.advance(1)
    with sessions.begin() as s:
        history.retry_event(s, tenant_id=TENANT, event_id=published.event_id, kind=pim.KIND,
                            now=clock.now())
    _worker(sessions, clock, settings).run_once()
    assert len(receiver.received) == 3
    assert all(r.error is None for r in receiver.received)


def test_synchronous_test_send(sessions: sessionmaker[Session], clock: ManualClock,
                               settings: Settings, receiver: Receiver,
                               tenant: uuid.UUID) -> None:
    sub_id, receiver.secret = _subscribe(sessions, clock, settings, receiver.url,
                                         auth_type="bearer", token="tok-123")
    with sessions.begin() as s:
        sub = svc.get_subscription(s, tenant_id=TENANT, subscription_id=sub_id)
        out = history.test_send(s, sub=sub, event_type="negotiation.won", data={"x": 1},
                                settings=settings, now=clock.now())
    assert out.delivered and out.result.status == 200
    assert out.request_headers["Authorization"] == "[redacted]"
    assert receiver.received[0].headers["authorization"] == "Bearer tok-123"
    assert receiver.received[0].error is None
    with sessions() as s:
        (stats,) = [st for _, st in svc.list_subscriptions(s, tenant_id=TENANT)]
    assert (stats.total, stats.success_rate, stats.last_status) == (1, 1.0, 200)


def test_secrets_are_encrypted_at_rest(sessions: sessionmaker[Session], clock: ManualClock,
                                       settings: Settings, tenant: uuid.UUID) -> None:
    sub_id, secret = _subscribe(sessions, clock, settings, "http://127.0.0.1:9/hook",
                                auth_type="basic", username="u", password="p4ss")
    with sessions() as s:
        row = s.get(WebhookSubscription, sub_id)
        assert row is not None
        assert secret not in row.secret_enc and "p4ss" not in (row.auth_enc or "")


def _job(sessions: sessionmaker[Session], job_id: uuid.UUID) -> Job:
    with sessions() as s:
        return s.execute(select(Job).where(Job.id == job_id)).scalar_one()
