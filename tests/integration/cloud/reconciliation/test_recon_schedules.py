"""Per-client schedules: next_run across DST in Europe/Bucharest and Europe/Kyiv, stored in
the database, fired by the Cloud jobs scheduler into a reconciliation job."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from _recon_api_env import ApiWorld
from _recon_env import Env

from cloud.integrations.emulators.harness import run_fakes
from cloud.integrations.emulators.scenario import build_scenario
from cloud.jobs.schedule_runner import ScheduleRunner
from cloud.schemas.reconciliation import ClientCreate, ScheduleIn
from cloud.services.reconciliation import clients, schedules


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _next(env: Env, now: datetime, **body: Any) -> tuple[datetime, datetime]:
    """(next_run UTC, next_run after that) for a schedule saved at ``now``."""
    with env.sessions.begin() as s:
        cid = clients.create_client(s, tenant_id=env.tenant,
                                    data=ClientCreate(name=uuid.uuid4().hex)).id
        row = schedules.save_schedule(s, tenant_id=env.tenant, client_id=cid,
                                      data=ScheduleIn.model_validate(body), now=now)
        first = schedules.schedule_out(row, now=now).next_run
        assert first is not None
        second = schedules.schedule_out(row, now=first).next_run
        assert second is not None
        schedules.delete_schedule(s, tenant_id=env.tenant, client_id=cid)  # shared database
        return first, second


@pytest.mark.parametrize("zone", ["Europe/Bucharest", "Europe/Kyiv"])
def test_daily_across_spring_forward(env: Env, zone: str) -> None:
    # 29 March 2026: 03:00 EET jumps to 04:00 EEST, so 03:00 does not exist that day; it runs
    # at the pre-gap offset (01:00 UTC), then at 03:00 EEST (00:00 UTC) from the next day.
    first, second = _next(env, utc(2026, 3, 28, 12), frequency="daily",
                          time_of_day="03:00:00", timezone=zone)
    assert (first, second) == (utc(2026, 3, 29, 1), utc(2026, 3, 30, 0))
    # 02:30 exists on both sides: 00:30 UTC (EET) then 23:30 UTC the day before (EEST).
    first, second = _next(env, utc(2026, 3, 28, 12), frequency="daily",
                          time_of_day="02:30:00", timezone=zone)
    assert (first, second) == (utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 23, 30))


@pytest.mark.parametrize("zone", ["Europe/Bucharest", "Europe/Kyiv"])
def test_daily_across_fall_back(env: Env, zone: str) -> None:
    # 25 October 2026: 04:00 EEST falls back to 03:00 EET, so 03:30 happens twice; the run is
    # once, at the first (00:30 UTC), then 03:30 EET (01:30 UTC) the next day.
    first, second = _next(env, utc(2026, 10, 24, 12), frequency="daily",
                          time_of_day="03:30:00", timezone=zone)
    assert (first, second) == (utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30))


def test_weekly_and_hourly(env: Env) -> None:
    first, second = _next(env, utc(2026, 3, 25, 12), frequency="weekly", weekday=6,
                          time_of_day="06:00:00", timezone="Europe/Bucharest")
    assert (first, second) == (utc(2026, 3, 29, 3), utc(2026, 4, 5, 3))  # Sundays, EET→EEST
    first, second = _next(env, utc(2026, 3, 29, 0, 50), frequency="hourly",
                          time_of_day="00:15:00", timezone="Europe/Kyiv")
    assert (first, second) == (utc(2026, 3, 29, 1, 15), utc(2026, 3, 29, 2, 15))


def test_schedule_api_and_scheduler_fire(world: ApiWorld) -> None:
    w = world
    cid = w.call(w.a.admin, "POST", "/api/v1/clients", json={"name": "Sched"}).json()["id"]
    path = f"/api/v1/clients/{cid}/schedule"
    assert w.call(w.a.admin, "GET", path).status_code == 404
    for bad in ({"frequency": "monthly"}, {"timezone": "Europe/Atlantis"},
                {"time_of_day": "25:00:00"}, {"config": {"days": 0}},
                {"config": {"max_retries": 6}}):
        resp = w.call(w.a.admin, "POST", path, json=bad)
        assert resp.status_code == 422, (bad, resp.text)
    assert w.call(w.a.admin, "GET", path).status_code == 404  # nothing stored
    made = w.call(w.a.admin, "POST", path, json={
        "frequency": "daily", "time_of_day": "09:30:00", "timezone": "Europe/Kyiv",
        "config": {"days": 2, "max_retries": 2}})
    assert made.status_code == 200, made.text
    # The world's clock is 2026-03-31 09:00 UTC = 12:00 in Kyiv (EEST): next is tomorrow.
    assert made.json()["next_run"] == "2026-04-01T06:30:00Z"
    assert made.json()["next_run_local"].startswith("2026-04-01T09:30:00+03:00")
    changed = w.call(w.a.admin, "PUT", path, json={"time_of_day": "12:30:00"}).json()
    assert changed["next_run"] == "2026-03-31T09:30:00Z"
    assert changed["timezone"] == "Europe/Kyiv" and changed["config"]["days"] == 2
    assert w.call(w.a.viewer, "PUT", path, json={"is_active": False}).status_code == 403

    sc = build_scenario("shopify", orders=40, days=2, missing=2, mismatched=1,
                        end=w.clock.now().date())
    with run_fakes(sc) as fakes:
        for kind, cfg in (("shopify", fakes.backend_config), ("ga4", fakes.ga4_config)):
            w.call(w.a.admin, "POST", f"/api/v1/clients/{cid}/connectors",
                   json={"connector_type": kind, "config": cfg})
        w.clock.advance(30 * 60)  # 09:30 UTC: the fire instant
        one = ScheduleRunner(w.sessions, clock=w.clock, name="cloud-1")
        two = ScheduleRunner(w.sessions, clock=w.clock, name="cloud-2")
        sid = uuid.UUID(made.json()["id"])
        fired = one.fire_now(sid) + two.fire_now(sid)  # two cloud processes, one job
        assert sum(f.created for f in fired) == 1
        assert w.worker.run_once() == 1
    jobs = w.call(w.a.admin, "GET", "/api/v1/jobs", params={"client_id": cid}).json()
    assert len(jobs) == 1 and jobs[0]["trigger"] == "schedule"
    assert jobs[0]["status"] == "COMPLETED" and jobs[0]["max_retries"] == 2
    assert jobs[0]["days"] == 2 and jobs[0]["end_date"] == "2026-03-31"
    assert sorted(jobs[0]["result"]["missing_ids"]) == sorted(sc.missing_ids)
    after = w.call(w.a.admin, "GET", path).json()
    assert after["last_run"] == "2026-03-31T09:30:00Z"
    assert after["next_run"] == "2026-04-01T09:30:00Z"
    assert w.call(w.a.admin, "DELETE", path).status_code == 204
    assert w.call(w.a.admin, "GET", path).status_code == 404
