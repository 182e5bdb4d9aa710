"""Property: whatever order, repetition and gaps batches arrive in, the cloud converges.

GIVEN a till's real journal of 13 events (sales, a return, a shift, cash, a fiscal result)
WHEN any sequence of well-formed batches of it arrives (subsets, repeated, out of order, with
     gaps) and finally the whole journal once more
THEN after every batch ``acked_through`` is exactly the longest prefix received so far, no
     event or receipt is ever stored twice, and the end state is the same as a clean push.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from cloud import audit, tenancy
from cloud.db import make_engine, session_factory
from cloud.migrate import upgrade
from cloud.models.sales import Sale, SaleLine
from cloud.models.sync import SyncEvent
from cloud.services.sync import devices, enrollment, push
from desktop.core import CashTender, ProductRecord, ReturnItem, Role
from shared.clock import ManualClock
from sync.protocol import EnrollRequest, Event, PushRequest
from tests.support.factories import scratch_till
from tests.support.world import Seeded, issue_code, seed_tenant

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, Seeded, Path]]:
    root = Path(tmp_path_factory.mktemp("ordering"))
    url = f"sqlite:///{root / 'cloud.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    yield sessions, seed_tenant(sessions, now=NOW, products=5), root
    engine.dispose()


def _journal(root: Path, skus: list[str]) -> list[Event]:
    """A fresh till's day: 13 events with ids of their own."""
    till = scratch_till(root / f"{uuid.uuid4().hex}.sqlite3", clock=ManualClock(NOW))
    try:
        till.import_catalog([ProductRecord(s, s, 1210, "standard") for s in skus])
        till.create_user("ana", "Ana", Role.STORE_MANAGER, "1234")
        till.login("ana", "1234")
        till.open_shift(10_000)
        sales = []
        for i in range(8):
            cart = till.add_product(till.new_cart().id, skus[i % 5], 1 + i % 3)
            sales.append(till.complete_sale(cart.id, [CashTender(cart.due)]))
        till.complete_return(sales[0].number, [ReturnItem(1, 1)])
        till.cash_in(500, "change")
        till.record_fiscal_result(sales[2].id, fiscal_number="F-3", fiscal_date=NOW)
        return [Event(event_id=e.event_id, seq=e.seq, type=e.type, aggregate_id=e.aggregate_id,
                      created_at=e.created_at, payload=e.payload)
                for e in till.outbox_after(0, 100)]
    finally:
        till.close()


def _device(sessions: object, seeded: Seeded) -> uuid.UUID:
    code = issue_code(sessions, seeded, now=NOW)  # type: ignore[arg-type]
    with sessions() as s:  # type: ignore[operator]
        audit.set_context(s, audit.AuditContext(actor_type="system"))
        done = enrollment.exchange(s, EnrollRequest(code=code, device_uid=uuid.uuid4().hex), NOW)
        s.commit()
        return done.device.id


def _push(sessions: object, device_id: uuid.UUID, batch: list[Event]) -> int:
    with sessions() as s:  # type: ignore[operator]
        tenancy.scope(s, s.get(devices.SyncDevice, device_id).tenant_id)
        out = push.push(s, devices.origin_of(s, device_id=device_id),
                          PushRequest(device_id=device_id, batch_id=uuid.uuid4(), events=batch),
                          NOW)
        s.commit()
        return out.response.acked_through


def _counts(sessions: object, device_id: uuid.UUID) -> tuple[int, int, int]:
    with sessions() as s:  # type: ignore[operator]
        s.info["tenancy_unscoped"] = True
        ev = s.scalar(select(func.count()).select_from(SyncEvent)
                      .where(SyncEvent.device_id == device_id))
        sales = s.scalar(select(func.count()).select_from(Sale).where(Sale.device_id == device_id))
        lines = s.scalar(select(func.count()).select_from(SaleLine).join(
            Sale, Sale.id == SaleLine.sale_id).where(Sale.device_id == device_id))
        return int(ev or 0), int(sales or 0), int(lines or 0)


batches = st.lists(st.lists(st.integers(min_value=1, max_value=13), min_size=1, max_size=6,
                            unique=True).map(sorted), min_size=1, max_size=8)


@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=batches)
def test_any_arrival_order_converges(env: tuple[object, Seeded, Path],
                                     plan: list[list[int]]) -> None:
    sessions, seeded, root = env
    events = _journal(root, seeded.skus)
    assert len(events) == 13
    device_id = _device(sessions, seeded)
    received: set[int] = set()
    for seqs in plan:
        acked = _push(sessions, device_id, [events[s - 1] for s in seqs])
        received.update(seqs)
        prefix = 0
        while prefix + 1 in received:
            prefix += 1
        assert acked == prefix
        assert _counts(sessions, device_id)[0] == len(received)
    assert _push(sessions, device_id, events) == 13
    assert _push(sessions, device_id, events) == 13
    assert _counts(sessions, device_id) == (13, 9, 9)
