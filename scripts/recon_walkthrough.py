"""``make demo``: reconcile a fake Shopify shop against a fake GA4, through the real API.

Starts the two fakes in this process (127.0.0.1, any free port), logs in as the embedded demo
tenant, creates a client with both connectors, triggers a 7-day job and waits for the worker
(``tillbridge-cloud worker``) to finish it. The fakes keep running while the demo runs, so the
client can be re-run from ``/docs``.
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

from cloud.integrations.emulators.harness import run_fakes
from cloud.integrations.emulators.scenario import build_scenario
from cloud.services.bootstrap import saved_demo_login

__all__ = ["recon_walkthrough"]


def recon_walkthrough(cloud_url: str, home: Path, *, wait_s: float = 60.0) -> ExitStack:
    """Run the walkthrough; returns the stack holding the fakes (close it to stop them)."""
    stack = ExitStack()
    creds = saved_demo_login(home)
    if creds is None:
        print("== reconciliation demo skipped: no demo credentials in the data dir")
        return stack
    sc = build_scenario("shopify", orders=210, days=7, missing=3, mismatched=2)
    fakes = stack.enter_context(run_fakes(sc))
    http = stack.enter_context(httpx.Client(base_url=cloud_url, timeout=30))
    login = http.post("/api/v1/auth/login", json={"email": creds[0], "password": creds[1]})
    if login.status_code != 200:
        print(f"== reconciliation demo skipped: login failed ({login.status_code})")
        return stack
    http.headers["Authorization"] = f"Bearer {login.json()['data']['accessToken']}"
    client = http.post("/api/v1/clients", json={"name": "Demo shop (fake Shopify + GA4)"})
    cid = client.json()["id"]
    for kind, config in (("shopify", fakes.backend_config), ("ga4", fakes.ga4_config)):
        http.post(f"/api/v1/clients/{cid}/connectors",
                  json={"connector_type": kind, "config": config}).raise_for_status()
    job: dict[str, Any] = http.post(f"/api/v1/jobs/run/{cid}", json={"days": 7}).json()
    deadline = time.monotonic() + wait_s
    while job.get("status") in ("PENDING", "RUNNING", "RETRYING") \
            and time.monotonic() < deadline:
        time.sleep(0.5)  # the worker process polls the queue; this only waits for it
        job = http.get(f"/api/v1/jobs/{job['id']}").json()
    result = job.get("result") or {}
    print(f"== reconciliation: job {job.get('id')} {job.get('status')}: "
          f"match_rate {result.get('match_rate')}%, missing {result.get('missing_ids')}, "
          f"amount mismatches {[m['id'] for m in result.get('amount_mismatches', [])]}")
    print(f"   expected missing {sorted(sc.missing_ids)}, "
          f"mismatched {sorted(sc.mismatches)} (client {cid})")
    return stack
