"""Tenant A's admin, using tenant B's ids, gets 404 and never sees B's data.

Generic on purpose: a new family adds its endpoints to ``BY_ID`` (routes that take an id) and
``LISTS`` (routes that list or filter), and a ``SEEDS`` entry that creates one of its rows for
a tenant so ``{name}`` placeholders resolve to tenant B's ids. All rows run inside one test per
backend (one world, seeded once), so the table can grow without the suite slowing down; a
failure lists every offending row.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import World

from tests.support.cloud_api import TenantData
from tests.support.world import seed_synced

# (method, path template, JSON body). Placeholders name ids of tenant B (see ``ids_of``).
BY_ID: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/api/v1/admin/users/{admin_id}", None),
    ("PUT", "/api/v1/admin/users/{viewer_id}", {"firstName": "Mallory", "role": "admin"}),
    ("PUT", "/api/v1/admin/users/{viewer_id}", {"status": "suspended"}),
    ("DELETE", "/api/v1/admin/users/{viewer_id}", None),
    ("DELETE", "/api/v1/admin/users/{viewer_id}?hardDelete=true", None),
    ("DELETE", "/api/v1/auth/api-keys/{key_id}", None),
]

# (path template, JSON body or None): must answer without any of tenant B's data.
LISTS: list[str] = [
    "/api/v1/admin/users",
    "/api/v1/admin/users?search={admin_email}",
    "/api/v1/admin/audit",
    "/api/v1/admin/audit?userId={admin_id}",
    "/api/v1/admin/audit?entityId={viewer_id}",
    "/api/v1/admin/audit?entityType=user&pagination=cursor",
    "/api/v1/auth/api-keys",
    "/api/v1/admin/config",
    "/api/v1/rate-limit/status",
]

# Extra rows a family creates for a tenant: name -> fn(world, tenant) -> {placeholder: value}.
SEEDS: dict[str, Callable[[World, TenantData], dict[str, Any]]] = {}

# -- catalog, pricing, stock, stores (seed 001 §3, §5, §6) ------------------------------------
BY_ID += [
    ("GET", "/api/v1/products/{product_id}", None),
    ("PATCH", "/api/v1/products/{product_id}", {"name": "Mallory"}),
    ("DELETE", "/api/v1/products/{product_id}", None),
    ("DELETE", "/api/v1/products/{product_id}?hard=true&cascade=true", None),
    ("GET", "/api/v1/products/import/{import_id}", None),
    ("GET", "/api/v1/products/export/{export_id}", None),
    ("GET", "/api/v1/products/export/{export_id}/download", None),
    ("GET", "/api/v1/stock/{product_id}/movements", None),
    ("POST", "/api/v1/stock/{product_id}/adjust", {"type": "set", "quantity": 0, "reason": "x"}),
    ("DELETE", "/api/v1/stock/reservations/{reservation_id}", None),
    ("GET", "/api/v1/stores/{store_id}", None),
    ("PATCH", "/api/v1/stores/{store_id}", {"name": "Mallory"}),
    ("DELETE", "/api/v1/stores/{store_id}", None),
    ("GET", "/api/v1/stores/{store_id}/tills", None),
    ("POST", "/api/v1/stores/{store_id}/tills", {"code": "T9", "name": "Mallory"}),
    ("GET", "/api/v1/stores/{store_id}/tills/{till_id}", None),
    ("PATCH", "/api/v1/stores/{store_id}/tills/{till_id}", {"name": "Mallory"}),
    ("DELETE", "/api/v1/stores/{store_id}/tills/{till_id}", None),
    ("GET", "/api/v1/stores/{store_id}/prices", None),
    ("DELETE", "/api/v1/stores/{store_id}/prices/{product_id}", None),
]
LISTS += [
    "/api/v1/products", "/api/v1/products?search={product_sku}",
    "/api/v1/products?category={product_category}", "/api/v1/stock",
    "/api/v1/stock?productId={product_id}", "/api/v1/stock?sku={product_sku}",
    "/api/v1/pricing/rules", "/api/v1/pricing/rules?productId={product_id}",
    "/api/v1/pricing/thresholds", "/api/v1/stores",
]


def _seed_catalog(world: World, tenant: TenantData) -> dict[str, Any]:
    """One product (with stock, a reservation, a rule), a store with a till and a price, and
    finished import/export runs, for ``tenant`` (made once per test)."""
    if "catalog" in tenant.extra:
        return dict(tenant.extra["catalog"])
    import uuid
    from datetime import timedelta
    from decimal import Decimal

    from cloud.models.catalog import CatalogTask
    from cloud.services.catalog import products, stores
    from cloud.services.pricing.service import create_rule
    from cloud.services.stock.levels import Actor
    from cloud.services.stock.reservations import ReserveItem, reserve

    tag, now = uuid.uuid4().hex[:8], world.clock.now()
    with world.app.state.runtime.sessions.begin() as s:
        product = products.create_product(s, tenant_id=tenant.id, actor=Actor(), now=now, data={
            "sku": f"XT-{tag}", "name": f"Secret {tag}", "category": f"Cat-{tag}",
            "price": "9.99", "vatRate": 21, "unit": "buc", "stock": "5"}).product
        create_rule(s, tenant_id=tenant.id, actor_id="seed", now=now, data={
            "name": f"Rule {tag}", "type": "discount", "action": {"type": "percent", "value": 5},
            "scope": {"type": "products", "productIds": [str(product.id)]}})
        held = reserve(s, tenant_id=tenant.id, negotiation_id=f"NEG-{tag}", now=now,
                       items=[ReserveItem(product, Decimal(1))], expires_in=timedelta(hours=1),
                       actor=Actor())
        store = stores.save_store(s, tenant_id=tenant.id, now=now, data={
            "code": f"S{tag}", "name": f"Store {tag}", "country": "RO",
            "timezone": "Europe/Bucharest"})
        till = stores.save_till(s, tenant_id=tenant.id, store_id=store.id, now=now,
                                data={"code": "T1", "name": f"Till {tag}"})
        stores.set_prices(s, tenant_id=tenant.id, store_id=store.id, now=now,
                          prices=[{"product_id": product.id, "price": 899}])
        runs = [CatalogTask(tenant_id=tenant.id, kind=kind, status="completed", options={},
                            created_at=now, updated_at=now) for kind in ("import", "export")]
        s.add_all(runs)
        s.flush()
        ids = {"product_id": product.id, "product_sku": product.sku,
               "product_category": product.category, "reservation_id": held.reservation.id,
               "store_id": store.id, "till_id": till.id, "import_id": runs[0].id,
               "export_id": runs[1].id}
    tenant.extra["catalog"] = ids
    return dict(ids)


SEEDS["catalog"] = _seed_catalog

# -- synced sales, sync devices and till users (issue 11) ---------------------------------------
BY_ID += [
    ("GET", "/api/v1/sales/{sale_id}", None),
    ("GET", "/api/v1/returns/{return_id}", None),
    ("GET", "/api/v1/shifts/{shift_id}", None),
    ("POST", "/api/v1/sync/devices/{device_id}/revoke", None),
    ("PATCH", "/api/v1/sync/till-users/{till_user_id}", {"name": "Mallory"}),
    ("DELETE", "/api/v1/sync/till-users/{till_user_id}", None),
    ("POST", "/api/v1/stores/{store_id}/tills/{till_id}/enrollment-codes", None),
]
LISTS += [
    "/api/v1/sales", "/api/v1/sales?storeId={store_id}", "/api/v1/sales?tillId={till_id}",
    "/api/v1/returns", "/api/v1/shifts", "/api/v1/shifts?tillId={till_id}",
    "/api/v1/sync/devices", "/api/v1/sync/devices?tillId={till_id}", "/api/v1/sync/till-users",
    "/api/admin/fiscal/reports/daily?date=2026-03-02",
    "/api/admin/fiscal/reports/period?from=2026-03-01&to=2026-03-02",
]


def _seed_sync(world: World, tenant: TenantData) -> dict[str, Any]:
    """A device enrolled for the catalog seed's till that pushed a sale, a return, a cash
    movement and a closed shift (at NOW), and a till user."""
    if "sync" in tenant.extra:
        return dict(tenant.extra["sync"])
    cat = _seed_catalog(world, tenant)
    with tempfile.TemporaryDirectory() as tmp:
        ids = seed_synced(world.app.state.runtime.sessions, tenant_id=tenant.id,
                          store_id=cat["store_id"], till_id=cat["till_id"],
                          now=world.clock.now(), home=Path(tmp))
    tenant.extra["sync"] = ids
    return dict(ids)


SEEDS["sync"] = _seed_sync


def ids_of(world: World, tenant: TenantData) -> dict[str, Any]:
    ids: dict[str, Any] = {
        "tenant_id": tenant.id, "admin_id": tenant.admin.id, "viewer_id": tenant.viewer.id,
        "admin_email": tenant.admin.email, "key_id": tenant.key_id,
    }
    for seed in SEEDS.values():
        ids.update(seed(world, tenant))
    return ids


def _secrets_of(ids: dict[str, Any], tenant: TenantData) -> list[str]:
    return [str(v) for v in ids.values()] + [tenant.slug, tenant.key]


def test_other_tenants_ids_are_not_found(world: World) -> None:
    """Every ``BY_ID`` row in one test (one world per backend), failures listed together."""
    b_ids = ids_of(world, world.b)
    secrets = _secrets_of(b_ids, world.b)
    failures = []
    for method, template, body in BY_ID:
        resp = world.api.as_(world.a.admin, method, template.format(**b_ids), json=body)
        code = resp.json().get("error", {}).get("code") if resp.status_code == 404 else None
        if resp.status_code != 404 or code != "RES_NOT_FOUND":
            failures.append(f"{method} {template}: {resp.status_code} {resp.text[:300]}")
        leaked = [s for s in secrets if s in resp.text]
        if leaked:
            failures.append(f"{method} {template}: leaked {leaked}")
    assert not failures, "\n".join(failures)
    # B's rows are untouched: B's admin still sees its viewer active and its key working.
    b_users = world.api.as_(world.b.admin, "GET", "/api/v1/admin/users").json()["data"]
    viewer = next(u for u in b_users["users"] if u["id"] == str(world.b.viewer.id))
    assert viewer["status"] == "active" and viewer["firstName"] == "Viewer"
    key_ok = world.api.client.get("/api/v1/rate-limit/status",
                                  headers={"X-API-Key": world.b.key})
    assert key_ok.status_code == 200


def test_lists_never_show_other_tenants_data(world: World) -> None:
    """Every ``LISTS`` row answers 200 to A without any of B's ids, names or keys."""
    # Give B some history first, so there is something to leak.
    world.api.as_(world.b.admin, "PUT", f"/api/v1/admin/users/{world.b.viewer.id}",
                  json={"lastName": "Bravo"})
    b_ids = ids_of(world, world.b)
    secrets = _secrets_of(b_ids, world.b)
    failures = []
    for template in LISTS:
        resp = world.api.as_(world.a.admin, "GET", template.format(**b_ids))
        if resp.status_code != 200:
            failures.append(f"GET {template}: {resp.status_code} {resp.text[:300]}")
            continue
        text = json.dumps(resp.json())
        leaked = [s for s in secrets if s in text]
        if leaked:
            failures.append(f"GET {template}: leaked {leaked}")
    assert not failures, "\n".join(failures)


def test_the_same_call_works_within_the_tenant(world: World) -> None:
    """The table's calls are not simply broken: with B's own token they succeed."""
    b_ids = ids_of(world, world.b)
    for method, template, body in BY_ID[:3]:
        resp = world.api.as_(world.b.admin, method, template.format(**b_ids), json=body)
        assert resp.status_code == 200, (template, resp.text)
