"""Services and the queue handler on SQLite and PostgreSQL, with the fakes on 127.0.0.1."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from _recon_env import Env
from sqlalchemy import func, insert, select

from cloud.crypto import DecryptionFailed, SecretBox, generate_key
from cloud.errors import AlreadyExists, Conflict, InvalidInput, NotFound
from cloud.integrations.configs import ConnectorType
from cloud.integrations.emulators.harness import RunningFakes, run_fakes
from cloud.integrations.emulators.scenario import Scenario, build_scenario
from cloud.models import Base
from cloud.models.jobs import Job as QueueJob
from cloud.models.reconciliation import Connector, ReconJob
from cloud.models.sales import Sale
from cloud.schemas.reconciliation import (
    ClientCreate,
    ClientUpdate,
    ConnectorCreate,
    ConnectorUpdate,
    JobParams,
)
from cloud.services.catalog import stores
from cloud.services.reconciliation import clients, connectors, jobs


def _client(env: Env, name: str = "Magazin Ăsta") -> uuid.UUID:
    with env.sessions.begin() as s:
        return clients.create_client(s, tenant_id=env.tenant, data=ClientCreate(name=name)).id


def _connect(env: Env, client_id: uuid.UUID, fakes: RunningFakes) -> None:
    with env.sessions.begin() as s:
        for kind, config in ((ConnectorType.GA4, fakes.ga4_config),
                             (ConnectorType(fakes.backend_type), fakes.backend_config)):
            connectors.create_connector(s, tenant_id=env.tenant, client_id=client_id, box=env.box,
                                        policy=env.policy,
                                        data=ConnectorCreate(connector_type=kind, config=config))


def _store(env: Env) -> uuid.UUID:
    with env.sessions.begin() as s:
        return stores.save_store(s, tenant_id=env.tenant, now=env.clock.now(), data={
            "code": "S1", "name": "Main street", "country": "RO",
            "timezone": "Europe/Bucharest"}).id


def _synced_sales(env: Env, sc: Scenario) -> None:
    """The receipts a till synced (as the sales projector stores them), plus a return and a
    sale of another store, which are not orders of this connector."""
    till, device, shift = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    rows = [(x.sale_id, "sale", x.store_id, x.total_minor, x.sold_at) for x in sc.sales]
    rows += [("R-1", "return", sc.store_id, 500, sc.sales[0].sold_at),
             ("X-1", "sale", uuid.uuid4(), 700, sc.sales[0].sold_at)]
    values = [{
        "id": uuid.uuid4(), "tenant_id": env.tenant, "store_id": store, "till_id": till,
        "device_id": device, "kind": kind, "number": number, "event_seq": i + 1,
        "shift_id": shift, "shift_no": 1, "cashier_id": "c1", "cashier_name": "Cashier",
        "opened_at": at, "completed_at": at, "business_date": at.date(), "country": "RO",
        "currency": "RON", "subtotal": total, "discount_total": 0, "total": total,
        "rounding": 0, "payable": total, "paid": total, "change": 0, "vat_total": 0,
        "excise_total": 0, "cash_amount": total, "card_amount": 0, "lines_count": 1,
        "voided_lines": 0, "price_flags": 0, "received_at": at,
    } for i, (number, kind, store, total, at) in enumerate(rows)]
    with env.sessions.begin() as s:
        s.execute(insert(Sale.__table__), values)


def _trigger(env: Env, client_id: uuid.UUID, **params: Any) -> uuid.UUID:
    with env.sessions.begin() as s:
        job = jobs.create_job(s, tenant_id=env.tenant, client_id=client_id,
                              params=JobParams.model_validate(params), now=env.clock.now(),
                              today=env.clock.now().date())
        return job.id


def _job(env: Env, job_id: uuid.UUID) -> ReconJob:
    with env.sessions() as s:
        return jobs.get_job(s, tenant_id=env.tenant, job_id=job_id)


def test_clients_slugs_and_tenancy(env: Env) -> None:
    a = _client(env)
    b = _client(env)
    with env.sessions.begin() as s:
        slugs = sorted(c.slug for c in clients.list_clients(s, tenant_id=env.tenant)[0])
        assert slugs == ["magazin-asta", "magazin-asta-2"]
        with pytest.raises(AlreadyExists):
            clients.update_client(s, tenant_id=env.tenant, client_id=b,
                                  data=ClientUpdate(slug="magazin-asta"))
        with pytest.raises(NotFound):
            clients.get_client(s, tenant_id=uuid.uuid4(), client_id=a)
    with env.sessions.begin() as s:
        clients.delete_client(s, tenant_id=env.tenant, client_id=a)
    with env.sessions() as s:
        assert clients.list_clients(s, tenant_id=env.tenant)[1] == 1


@pytest.mark.parametrize("backend", ["shopify", "woocommerce", "tillbridge"])
def test_job_finds_missing_and_mismatched_orders(env: Env, backend: str) -> None:
    sc = build_scenario(backend, orders=240, days=10, missing=4, mismatched=2,  # type: ignore[arg-type]
                        end=env.clock.now().date(), seed=len(backend),
                        store_id=_store(env) if backend == "tillbridge" else None)
    with run_fakes(sc) as fakes:
        cid = _client(env)
        if backend == "tillbridge":
            _synced_sales(env, sc)
        _connect(env, cid, fakes)
        job_id = _trigger(env, cid, days=10)
        assert _job(env, job_id).status == "PENDING"
        assert env.run_due() == 1
    job = _job(env, job_id)
    assert job.status == "COMPLETED", job.error_message
    result = job.result or {}
    assert sorted(result["missing_ids"]) == sorted(sc.missing_ids)
    got = {m["id"]: (m["backend_minor"], m["ga4_minor"]) for m in result["amount_mismatches"]}
    assert got == sc.mismatches
    assert result["total_backend_minor"] == sc.backend_total_minor
    assert result["total_ga4_minor"] == sc.ga4_total_minor
    assert result["backend_records"] == 240 and result["ga4_records"] == 236
    assert result["days_analyzed"] == 10 and result["retry_attempt"] == 0


def test_retrying_twice_then_completed(env: Env) -> None:
    sc = build_scenario("shopify", orders=30, days=3, missing=1, mismatched=1,
                        end=env.clock.now().date())
    with run_fakes(sc) as fakes:
        cid = _client(env)
        _connect(env, cid, fakes)
        fakes.ga4.faults.set(fail_times=2)
        job_id = _trigger(env, cid, days=3, max_retries=3)
        seen = []
        assert env.run_due() == 1
        seen.append(_job(env, job_id).status)
        assert env.run_due() == 0  # backing off: not due before 2 s
        env.clock.advance(1.9)
        assert env.run_due() == 0
        env.clock.advance(0.1)
        assert env.run_due() == 1
        seen.append(_job(env, job_id).status)
        env.clock.advance(3.9)
        assert env.run_due() == 0  # second backoff is 4 s
        env.clock.advance(0.1)
        assert env.run_due() == 1
    job = _job(env, job_id)
    assert seen == ["RETRYING", "RETRYING"]
    assert job.status == "COMPLETED"
    assert job.result is not None and job.result["retry_attempt"] == 2
    assert job.retry_count == 2
    assert [h["status"] for h in job.history] == [
        "PENDING", "RUNNING", "RETRYING", "RUNNING", "RETRYING", "RUNNING", "COMPLETED"]


def test_always_failing_then_manual_retry(env: Env) -> None:
    sc = build_scenario("woocommerce", orders=20, days=2, missing=1, mismatched=0,
                        end=env.clock.now().date())
    with run_fakes(sc) as fakes:
        cid = _client(env)
        _connect(env, cid, fakes)
        fakes.ga4.faults.set(always=True)
        job_id = _trigger(env, cid, days=2, max_retries=2)
        for _ in range(3):
            assert env.run_due() == 1
            env.clock.advance(3600)
        job = _job(env, job_id)
        assert job.status == "FAILED" and job.retry_count == 2
        assert "GA4 unavailable" in (job.error_message or "")
        with env.sessions() as s:
            assert jobs.job_out(s, job).can_retry is True
            assert s.get(QueueJob, job.queue_job_id).state == "dead"  # type: ignore[union-attr]
        assert env.run_due() == 0
        fakes.ga4.faults.clear()
        with env.sessions.begin() as s:
            jobs.retry_job(s, tenant_id=env.tenant, job_id=job_id, now=env.clock.now())
        with env.sessions.begin() as s, pytest.raises(Conflict):
            jobs.retry_job(s, tenant_id=env.tenant, job_id=job_id, now=env.clock.now())
        assert env.run_due() == 1
    job = _job(env, job_id)
    assert job.status == "COMPLETED" and job.manual_retries == 1
    assert job.result is not None and job.result["missing_count"] == 1


def test_refused_credentials_fail_at_once(env: Env) -> None:
    sc = build_scenario("shopify", orders=5, days=1, missing=0, mismatched=0,
                        end=env.clock.now().date())
    with run_fakes(sc) as fakes:
        cid = _client(env)
        fakes.backend_config["access_token"] = "shpat_revoked_token_99"
        _connect(env, cid, fakes)
        job_id = _trigger(env, cid, days=1, max_retries=5)
        assert env.run_due() == 1
    job = _job(env, job_id)
    assert job.status == "FAILED" and job.retry_count == 0
    assert "refused the credentials" in (job.error_message or "")


def test_connector_row_holds_no_plaintext_and_wrong_key_is_clear(env: Env) -> None:
    sc = build_scenario("woocommerce", orders=1, days=1, missing=0, mismatched=0)
    with run_fakes(sc) as fakes:
        cid = _client(env)
        _connect(env, cid, fakes)
    secrets = [fakes.backend_config["consumer_key"], fakes.backend_config["consumer_secret"],
               fakes.ga4_config["credentials_json"]["private_key"].splitlines()[1],
               fakes.ga4_config["credentials_json"]["private_key_id"], "127.0.0.1"]
    table = Base.metadata.tables["recon_connectors"]
    with env.sessions() as s:
        raw = s.execute(select(table).where(table.c.tenant_id == env.tenant)).mappings().all()
        assert len(raw) == 2
        for row in raw:
            dumped = " ".join(str(v) for v in row.values())
            for secret in secrets:
                assert secret not in dumped
        conn = s.scalars(select(Connector).where(Connector.connector_type == "woocommerce",
                                                 Connector.tenant_id == env.tenant)).one()
        shown = connectors.connector_out(conn, env.box).config
        assert shown["consumer_secret"].startswith("****")
        assert fakes.backend_config["consumer_secret"] not in str(shown)
        with pytest.raises(DecryptionFailed) as info:
            connectors.connector_out(conn, SecretBox([generate_key()]))
        assert "ENCRYPTION_KEY" in info.value.message


def test_connector_update_reencrypts_and_rotates(env: Env) -> None:
    sc = build_scenario("shopify", orders=1, days=1, missing=0, mismatched=0)
    with run_fakes(sc) as fakes:
        cid = _client(env)
        _connect(env, cid, fakes)
    with env.sessions.begin() as s:
        conn = s.scalars(select(Connector).where(Connector.connector_type == "shopify",
                                                 Connector.tenant_id == env.tenant)).one()
        before = conn.config_encrypted
        shown = connectors.connector_out(conn, env.box).config
        connectors.update_connector(s, tenant_id=env.tenant, connector_id=conn.id, box=env.box,
                                    policy=env.policy,
                                    data=ConnectorUpdate(config=shown))  # masked, unchanged
        assert conn.config_encrypted == before
        connectors.update_connector(s, tenant_id=env.tenant, connector_id=conn.id, box=env.box,
                                    policy=env.policy,
                                    data=ConnectorUpdate(config={**shown,
                                                                 "api_version": "2024-10"}))
        assert conn.config_encrypted != before
        cfg = connectors.decrypt_config(conn, env.box)
        assert cfg.api_version == "2024-10"  # type: ignore[union-attr]
        assert cfg.access_token == fakes.backend_config["access_token"]  # type: ignore[union-attr]
        with pytest.raises(InvalidInput):
            connectors.update_connector(s, tenant_id=env.tenant, connector_id=conn.id,
                                        box=env.box, policy=env.policy, data=ConnectorUpdate(
                                            connector_type=ConnectorType.WOOCOMMERCE))
    new_box = SecretBox.from_setting(f"{generate_key()},{env.key}")
    with env.sessions.begin() as s:
        assert connectors.rotate_keys(s, box=new_box, tenant_id=env.tenant) == 2
        assert connectors.rotate_keys(s, box=new_box, tenant_id=env.tenant) == 0
        for conn in s.scalars(select(Connector).where(Connector.tenant_id == env.tenant)):
            new_box.is_current(conn.config_encrypted)
            with pytest.raises(DecryptionFailed):
                env.box.decrypt(conn.config_encrypted)


def test_trigger_refuses_what_cannot_run_and_stores_nothing(env: Env) -> None:
    cid = _client(env)
    with env.sessions.begin() as s, pytest.raises(Conflict):
        jobs.create_job(s, tenant_id=env.tenant, client_id=cid, params=JobParams(),
                        now=env.clock.now(), today=env.clock.now().date())
    with env.sessions.begin() as s, pytest.raises(NotFound):
        jobs.create_job(s, tenant_id=uuid.uuid4(), client_id=cid, params=JobParams(),
                        now=env.clock.now(), today=env.clock.now().date())
    with env.sessions() as s:
        for model in (ReconJob, QueueJob):
            assert s.scalar(select(func.count()).select_from(model)
                            .where(model.tenant_id == env.tenant)) == 0


def test_worker_with_another_key_fails_the_job_clearly(env: Env) -> None:
    sc = build_scenario("shopify", orders=3, days=1, missing=0, mismatched=0,
                        end=env.clock.now().date())
    with run_fakes(sc) as fakes:
        cid = _client(env)
        _connect(env, cid, fakes)
        job_id = _trigger(env, cid, days=1, max_retries=3)
        env.worker.settings = env.settings.model_copy(update={"encryption_key": generate_key()})
        assert env.run_due() == 1
    job = _job(env, job_id)
    assert job.status == "FAILED" and job.retry_count == 0  # not retried: a key will not heal
    assert "ENCRYPTION_KEY" in (job.error_message or "")
    with env.sessions() as s:
        assert s.get(QueueJob, job.queue_job_id).state == "failed"  # type: ignore[union-attr]
