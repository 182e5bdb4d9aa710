"""Acceptance, end to end on PostgreSQL: the cloud served by uvicorn on 127.0.0.1, fake
Shopify / WooCommerce / GA4 servers on 127.0.0.1, the Cloud jobs worker, all over HTTP.

1,050 orders over 30 days; GA4 lost 7 and recorded 3 at another amount. The job's result must
list exactly those 7 ids and 3 mismatches with the right totals and match rate. Time is a
manual clock shared by the app and the worker, so retries and backoff never wait.
"""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from cloud import audit, tenancy
from cloud.app import create_app
from cloud.config import Settings
from cloud.crypto import generate_key
from cloud.integrations.emulators.ga4_fake import GA4Event
from cloud.integrations.emulators.harness import RunningFakes, run_fakes
from cloud.integrations.emulators.scenario import SaleSpec, Scenario, build_scenario
from cloud.integrations.emulators.server import serve_in_thread
from cloud.jobs.registry import TaskRegistry
from cloud.jobs.retry import RetryStrategy
from cloud.jobs.worker import Worker
from cloud.migrate import upgrade
from cloud.models.tenancy import Tenant
from cloud.services.identity import users
from cloud.services.reconciliation import runner
from shared.clock import ManualClock
from tests.support.factories import till_at
from tests.support.world import Seeded, issue_code, seed_tenant

pytestmark = [pytest.mark.e2e, pytest.mark.pg, pytest.mark.slow]

NOW = datetime(2026, 3, 31, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"


@dataclass
class Cloud:
    http: httpx.Client
    clock: ManualClock
    worker: Worker
    app: Any
    seeded: Seeded
    url: str

    def run_due(self) -> int:
        return self.worker.run_once()


@pytest.fixture
def cloud(pg_url: str) -> Iterator[Cloud]:
    upgrade(pg_url)
    clock = ManualClock(NOW)
    many = "100000/minute"
    settings = Settings(database_url=pg_url, jwt_secret=secrets.token_urlsafe(40),
                        encryption_key=generate_key(), access_token_ttl_s=86_400,
                        rate_limit_overrides={"auth-login": many, "v1-read": many,
                                              "v1-write": many, "v1-delete": many},
                        rate_limit_key_prefix=f"tbe2e-{uuid.uuid4().hex[:8]}",
                        outbound_allowed_targets="127.0.0.1/32")
    app = create_app(settings, clock=clock)
    sessions = app.state.runtime.sessions
    seeded = seed_tenant(sessions, now=NOW - timedelta(days=40), products=20, name="Recon shop")
    with sessions() as session:
        audit.set_context(session, audit.AuditContext(actor_type="system", actor_email="e2e"))
        tenancy.scope(session, seeded.tenant_id)
        tenant = session.get(Tenant, seeded.tenant_id)
        assert tenant is not None
        users.create_user(session=session, tenant=tenant, now=NOW, invite_ttl_s=3600,
                          data=users.NewUser(email="owner@recon.example.com", first_name="O",
                                             last_name="Wner", role="admin",
                                             temp_password=PASSWORD))
        session.commit()
    registry = TaskRegistry()
    runner.register(registry)
    worker = Worker(sessions, registry, clock=clock, settings=settings,
                    retry=RetryStrategy(base=1.0, factor=2.0, jitter=0.0))
    with serve_in_thread(app) as url, httpx.Client(base_url=url, timeout=30) as http:
        login = http.post("/api/v1/auth/login", json={"email": "owner@recon.example.com",
                                                      "password": PASSWORD})
        assert login.status_code == 200, login.text
        http.headers["Authorization"] = f"Bearer {login.json()['data']['accessToken']}"
        yield Cloud(http, clock, worker, app, seeded, url)
    app.state.runtime.dispose()


def _setup_client(cloud: Cloud, sc: Scenario, fakes: RunningFakes) -> str:
    cid = cloud.http.post("/api/v1/clients", json={"name": f"{sc.backend} shop"}).json()["id"]
    for kind, config in ((fakes.backend_type, fakes.backend_config), ("ga4", fakes.ga4_config)):
        resp = cloud.http.post(f"/api/v1/clients/{cid}/connectors",
                               json={"connector_type": kind, "config": config})
        assert resp.status_code == 201, resp.text
    return str(cid)


def _job(cloud: Cloud, job_id: str) -> dict[str, Any]:
    resp = cloud.http.get(f"/api/v1/jobs/{job_id}")
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


def _sell_on_a_till(cloud: Cloud, home: Path, *, days: int, per_day: int) -> Scenario:
    """A real till, enrolled with the cloud, sells ``per_day`` receipts a day for ``days``
    days (one shift a day, on the till's own manual clock), then syncs them; the scenario's
    backend is what the till's journal says it sold."""
    from desktop.core import CashTender, Role, TillSettings
    from desktop.sync_runtime import enroll_till, sync_once

    till_at(home, settings=TillSettings()).close()
    code = issue_code(cloud.app.state.runtime.sessions, cloud.seeded, now=cloud.clock.now())
    enroll_till(home, cloud.url, code, bootstrap=True)
    first = NOW.date() - timedelta(days=days - 1)
    till_clock = ManualClock(datetime.combine(first, time(2, 0), UTC))
    till = till_at(home, clock=till_clock)
    rng = random.Random(5)
    sc = Scenario(backend="tillbridge", start=first, end=NOW.date(), currency="RON",
                  store_id=cloud.seeded.store_id)
    try:
        till.create_user("recon", "Recon Cashier", Role.STORE_MANAGER, "2468")
        till.login("recon", "2468")
        for day in range(days):
            till_clock.advance(datetime.combine(first + timedelta(days=day), time(2, 0), UTC)
                               - till_clock.now())
            till.open_shift(0)
            for _ in range(per_day):
                cart = till.new_cart()
                for _ in range(rng.randint(1, 3)):
                    cart = till.add_product(cart.id, rng.choice(cloud.seeded.skus),
                                            rng.randint(1, 3))
                receipt = till.complete_sale(cart.id, [CashTender(cart.due)])
                sc.backend_amounts[receipt.number] = receipt.total
                sc.sales.append(SaleSpec(cloud.seeded.store_id, receipt.number, receipt.total,
                                         receipt.currency, receipt.completed_at))
                till_clock.advance(minutes=10)
            till.close_shift(till.drawer_balance())
        sync_once(home, till=till)
        assert till.outbox_stats().pending == 0
    finally:
        till.close()
    # GA4 lost 7 of the receipts and recorded 3 at another amount.
    picked = rng.sample(sc.sales, 10)
    lost = {s.sale_id for s in picked[:7]}
    for sale in sc.sales:
        recorded = sale.total_minor
        if sale.sale_id in lost:
            sc.missing_ids.append(sale.sale_id)
            continue
        if sale in picked[7:]:
            recorded += rng.randint(1, 499)
            sc.mismatches[sale.sale_id] = (sale.total_minor, recorded)
        sc.events.append(GA4Event(sale.sale_id, str(Decimal(recorded).scaleb(-2)),
                                  sale.sold_at.astimezone(UTC).date()))
    return sc


@pytest.mark.parametrize("backend", ["shopify", "woocommerce", "tillbridge"])
def test_1050_orders_over_30_days_seven_missing_three_mismatched(cloud: Cloud, backend: str,
                                                                 tmp_path: Path) -> None:
    if backend == "tillbridge":
        sc = _sell_on_a_till(cloud, tmp_path / "till", days=30, per_day=35)
    else:
        sc = build_scenario(backend, orders=1050, days=30, missing=7, mismatched=3,  # type: ignore[arg-type]
                            end=NOW.date(), seed=2026)
    assert len(sc.backend_amounts) == 1050
    assert len(sc.missing_ids) == 7 and len(sc.mismatches) == 3
    with run_fakes(sc) as fakes:
        cid = _setup_client(cloud, sc, fakes)
        resp = cloud.http.post(f"/api/v1/jobs/run/{cid}", json={"days": 30})
        assert resp.status_code == 202, resp.text
        job_id = resp.json()["id"]
        assert resp.json()["status"] == "PENDING"
        assert cloud.run_due() == 1
    job = _job(cloud, job_id)
    assert job["status"] == "COMPLETED", job["error_message"]
    r = job["result"]
    assert sorted(r["missing_ids"]) == sorted(sc.missing_ids)
    assert r["missing_count"] == 7
    mismatches = {m["id"]: (m["backend_minor"], m["ga4_minor"]) for m in r["amount_mismatches"]}
    assert mismatches == sc.mismatches
    assert r["mismatch_count"] == 3 and r["duplicate_count"] == 0 and r["extra_ids"] == []
    backend_total = sum(sc.backend_amounts.values())
    ga4_total = (backend_total - sum(sc.backend_amounts[i] for i in sc.missing_ids)
                 + sum(g - b for b, g in sc.mismatches.values()))
    assert r["total_backend_minor"] == backend_total
    assert r["total_ga4_minor"] == ga4_total
    assert Decimal(str(r["total_backend_value"])) == Decimal(backend_total).scaleb(-2)
    assert Decimal(str(r["total_ga4_value"])) == Decimal(ga4_total).scaleb(-2)
    expected_rate = (Decimal(1043) * 100 / 1050).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert Decimal(str(r["match_rate"])) == expected_rate == Decimal("99.33")
    assert (r["backend_records"], r["ga4_records"]) == (1050, 1043)
    assert r["days_analyzed"] == 30
    assert r["date_range"] == {"start_date": (NOW.date() - timedelta(days=29)).isoformat(),
                               "end_date": NOW.date().isoformat()}
    assert r["retry_attempt"] == 0


def test_ga4_failing_twice_then_always_then_manual_retry(cloud: Cloud) -> None:
    sc = build_scenario("shopify", orders=300, days=30, missing=7, mismatched=3,
                        end=NOW.date(), seed=7)
    with run_fakes(sc) as fakes:
        cid = _setup_client(cloud, sc, fakes)
        # Fails twice, then succeeds: RETRYING, RETRYING, COMPLETED with retry_attempt 2.
        fakes.ga4.faults.set(fail_times=2)
        job_id = cloud.http.post(f"/api/v1/trigger/{cid}",
                                 json={"days": 30, "max_retries": 3}).json()["id"]
        seen = []
        for backoff in (2, 4, 0):  # 2^attempt seconds after attempts 1 and 2
            assert cloud.run_due() == 1
            job = _job(cloud, job_id)
            seen.append(job["status"])
            if backoff:
                assert cloud.run_due() == 0  # not due before the backoff elapsed
                cloud.clock.advance(backoff)
        assert seen == ["RETRYING", "RETRYING", "COMPLETED"]
        assert job["result"]["retry_attempt"] == 2 and job["retry_count"] == 2
        assert sorted(job["result"]["missing_ids"]) == sorted(sc.missing_ids)

        # Fails every time: FAILED after max_retries, then a manual retry completes it.
        fakes.ga4.faults.set(always=True)
        job_id = cloud.http.post(f"/api/v1/jobs/run/{cid}",
                                 json={"days": 30, "max_retries": 2}).json()["id"]
        statuses = []
        for _ in range(3):
            assert cloud.run_due() == 1
            statuses.append(_job(cloud, job_id)["status"])
            cloud.clock.advance(8)
        assert statuses == ["RETRYING", "RETRYING", "FAILED"]
        failed = _job(cloud, job_id)
        assert failed["can_retry"] is True and failed["retry_count"] == 2
        assert cloud.run_due() == 0  # nothing left in the queue for it
        fakes.ga4.faults.clear()
        retry = cloud.http.post(f"/api/v1/jobs/{job_id}/retry")
        assert retry.status_code == 202 and retry.json()["status"] == "PENDING"
        assert cloud.run_due() == 1
    done = _job(cloud, job_id)
    assert done["status"] == "COMPLETED" and done["manual_retries"] == 1
    assert done["can_retry"] is False
    assert done["result"]["missing_count"] == 7 and done["result"]["mismatch_count"] == 3
