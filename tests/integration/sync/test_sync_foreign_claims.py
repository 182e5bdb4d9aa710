"""A device can only write its own till's documents, whatever ids it puts in its events.

GIVEN tenant A with a till that sold, returned, moved cash, fiscalised and has its shift open,
  and tenant B with an enrolled till (and A with a second till of its own)
WHEN B (or A's other till) pushes events of every type naming A's ids: A's shift closed with a
  total of its choosing, A's receipts, payments, cash movements, fiscal results, A's shift under
  its own receipts, A's receipt as the original of its return
THEN the push is answered exactly as a push of fresh ids (nothing tells the ids exist), the
  event is kept with the reason it was refused, and nothing of A's changes.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from conftest import Live, Shop, World, make_world
from sqlalchemy import select
from test_sync_push import counts, raw_push, sell

from cloud import audit, tenancy
from cloud.models.sales import Sale, SalePayment, TillCashMovement, TillFiscalResult, TillShift
from cloud.models.sync import SyncEvent
from cloud.services.catalog import stores
from desktop.core import ReturnItem, Role
from desktop.sync_ports import TillSyncPorts
from shared.events import EventType
from sync.client import SyncClient, enroll
from tests.support.world import Seeded, issue_code


@dataclass
class Pusher:
    """A device that pushes hand-made events after its own (its seq continues its outbox)."""

    shop: Shop
    token: str
    device_id: str
    seq: int

    def push(self, ev_type: str, payload: dict[str, Any], aggregate: str) -> Any:
        self.seq += 1
        body = {"version": 1, "device_id": self.device_id, "batch_id": str(uuid.uuid4()),
                "events": [{"event_id": str(uuid.uuid4()), "seq": self.seq, "type": ev_type,
                            "aggregate_id": aggregate,
                            "created_at": datetime.now(UTC).isoformat(), "payload": payload}]}
        resp = raw_push(self.shop, self.token, body)
        if resp.status_code != 200:
            self.seq -= 1  # refused whole: the next case reuses the seq (no gap)
        return resp

    def refused(self) -> str | None:
        """The reason stored on this device's last event."""
        with self.shop.live.sessions() as s:
            return s.scalar(select(SyncEvent.refused).where(
                SyncEvent.device_id == uuid.UUID(self.device_id), SyncEvent.seq == self.seq))


def _pusher(shop: Shop, client: SyncClient) -> Pusher:
    client.push_all()
    e = client.enrollment
    return Pusher(shop, e.device_token, e.device_id, client.till.outbox_stats().last_seq)


def _second_till(shop: Shop) -> tuple[Any, SyncClient]:
    """Another till (T2) of the same store, enrolled, with a shift open."""
    now = datetime.now(UTC)
    with shop.live.sessions() as s:
        audit.set_context(s, audit.AuditContext(actor_type="system"))
        tenancy.scope(s, shop.tenant.id)
        t2 = stores.save_till(s, tenant_id=shop.tenant.id, store_id=shop.store_id, now=now,
                              data={"code": "T2", "name": "Till 2"})
        s.commit()
        t2_id = t2.id
    code = issue_code(shop.live.sessions, Seeded(shop.tenant.id, shop.store_id, t2_id), now=now)
    till, home = shop.new_till("t2")
    client = SyncClient(TillSyncPorts(till), enroll(till, home, shop.live.url, code), home=home)
    shop.clients.append(client)
    client.bootstrap()
    till.create_user("boss", "Boss", Role.STORE_MANAGER, "1357")
    till.login("boss", "1357")
    till.open_shift(5_000)
    return till, client


@dataclass
class Ctx:
    world: World
    a_events: dict[str, dict[str, Any]]  # type -> A's own event (payload carries A's ids)
    a_shift: str
    a_sale: dict[str, Any]
    b: Pusher
    a2: Pusher  # A's second till
    # Each pusher's own shift.closed and sale payloads, to be given A's ids.
    own: dict[str, dict[str, dict[str, Any]]]
    pusher: Pusher | None = None  # the one the current case pushes with

    def own_payload(self, ev_type: str) -> dict[str, Any]:
        assert self.pusher is not None
        who = "other_tenant" if self.pusher is self.b else "other_till"
        return self.own[who][ev_type]["payload"]

    def a_state(self) -> Any:
        """Everything of A's that a foreign event could change."""
        shop = self.world.a
        with shop.live.sessions() as s:
            def rows(model: Any) -> list[tuple[Any, ...]]:
                cols = [c for c in model.__table__.c if c.name not in ("received_at",)]
                return sorted((tuple(r) for r in s.execute(
                    select(*cols).where(model.tenant_id == shop.tenant.id))), key=str)
            return {m.__name__: rows(m) for m in (TillShift, Sale, SalePayment,
                                                   TillCashMovement, TillFiscalResult)}

    def b_counts(self) -> dict[str, int]:
        return {k: v for k, v in counts(self.world.b).items() if k != "sync_events"}


def _outbox_by_type(till: Any) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for e in till.outbox_after(0, 500):
        out.setdefault(e.type, {"payload": e.payload, "aggregate_id": e.aggregate_id})
    return out


@pytest.fixture(scope="module")
def ctx(live: Live, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ctx]:
    for world in make_world(live, tmp_path_factory.mktemp("claims")):
        a, b = world.a, world.b
        till, client, _e = a.enrolled()
        sold = sell(till, a.skus, 2)
        till.complete_return(sold[0].number, [ReturnItem(1, 1)], reason="damaged")
        till.cash_in(2500, "change")
        till.cash_out(1000, "bank")
        till.record_fiscal_result(sold[1].id, fiscal_number="FN-A",
                                  fiscal_date=sold[1].completed_at)
        client.push_all()
        a_events = _outbox_by_type(till)
        b_till, b_client, _be = b.enrolled()
        t2, a2_client = _second_till(a)
        own = {}
        for who, other in (("other_tenant", b_till), ("other_till", t2)):
            sell(other, (b if other is b_till else a).skus, 1)
            other.close_shift(100_000)
            own[who] = _outbox_by_type(other)
        yield Ctx(world, a_events, str(till.current_shift().id),  # type: ignore[union-attr]
                  a_events[EventType.SALE_COMPLETED]["payload"],
                  _pusher(b, b_client), _pusher(a, a2_client), own)


# -- the forged events: (type, payload, aggregate id) made of A's ids -----------------------------

Forge = Callable[[Ctx], tuple[str, dict[str, Any], str]]


def _a(ev_type: str) -> Forge:
    """A's own event of that type, verbatim."""
    def forge(c: Ctx) -> tuple[str, dict[str, Any], str]:
        ev = c.a_events[ev_type]
        return ev_type, copy.deepcopy(ev["payload"]), ev["aggregate_id"]
    forge.__name__ = ev_type
    return forge


def close_a_shift(c: Ctx) -> tuple[str, dict[str, Any], str]:
    """The finding: B's own Z report, pointed at A's open shift, with a total of its choosing."""
    p = copy.deepcopy(c.own_payload(EventType.SHIFT_CLOSED))
    p["z_report"].update(shift_id=c.a_shift, sales_total=123_456_789, closed_by="attacker")
    return EventType.SHIFT_CLOSED, p, c.a_shift


def sale_in_a_shift(c: Ctx) -> tuple[str, dict[str, Any], str]:
    p = copy.deepcopy(c.own_payload(EventType.SALE_COMPLETED))
    rid = str(uuid.uuid4())
    p["receipt"].update(id=rid, shift_id=c.a_shift)
    for pay in p["receipt"]["payments"]:
        pay["id"] = str(uuid.uuid4())
    return EventType.SALE_COMPLETED, p, rid


def sale_with_a_payment_id(c: Ctx) -> tuple[str, dict[str, Any], str]:
    p = copy.deepcopy(c.own_payload(EventType.SALE_COMPLETED))
    rid = str(uuid.uuid4())
    p["receipt"]["id"] = rid
    p["receipt"]["payments"][0]["id"] = c.a_sale["receipt"]["payments"][0]["id"]
    return EventType.SALE_COMPLETED, p, rid


def return_of_a_sale(c: Ctx) -> tuple[str, dict[str, Any], str]:
    p = copy.deepcopy(c.own_payload(EventType.SALE_COMPLETED))
    rid = str(uuid.uuid4())
    r = p["receipt"]
    r.update(id=rid, kind="return", original_receipt_id=c.a_sale["receipt"]["id"],
             original_number=c.a_sale["receipt"]["number"], approved_by="boss")
    for pay in r["payments"]:
        pay["id"] = str(uuid.uuid4())
    return EventType.RETURN_COMPLETED, p, rid


def _kept(ev_type: str, field: str) -> Forge:
    """A type the cloud keeps as an event only, aimed at A's sale or shift."""
    def forge(c: Ctx) -> tuple[str, dict[str, Any], str]:
        target = c.a_sale["receipt"]["id"] if field == "sale" else c.a_shift
        return ev_type, {"target": target, "note": "forged"}, target
    forge.__name__ = ev_type
    return forge


# (forge, reason when another tenant pushes it, reason when A's other till does)
CASES: list[tuple[Forge, str | None, str | None]] = [
    (close_a_shift, "foreign_shift", "foreign_shift"),
    (_a(EventType.SHIFT_OPENED), "foreign_shift", "foreign_shift"),
    (_a(EventType.SALE_COMPLETED), "foreign_shift", "foreign_shift"),  # its shift is A's T1's
    (_a(EventType.RETURN_COMPLETED), "foreign_shift", "foreign_shift"),
    (_a(EventType.CASH_DEPOSITED), "foreign_shift", "foreign_shift"),
    (_a(EventType.CASH_WITHDRAWN), "foreign_shift", "foreign_shift"),
    (_a(EventType.FISCAL_RECORDED), "foreign_fiscal", "foreign_fiscal"),
    (sale_in_a_shift, "foreign_shift", "foreign_shift"),
    (sale_with_a_payment_id, "foreign_payment", "foreign_payment"),
    # A return may name a receipt of any till of its own tenant, never of another tenant.
    (return_of_a_sale, "foreign_original", None),
    (_kept(EventType.SALE_CANCELLED, "sale"), None, None),
    (_kept(EventType.LINE_VOIDED, "sale"), None, None),
    (_kept(EventType.PRICE_OVERRIDDEN, "sale"), None, None),
    (_kept(EventType.USER_CREATED, "shift"), None, None),
    (_kept(EventType.USER_LOCKED, "shift"), None, None),
    (_kept(EventType.SETTINGS_CHANGED, "shift"), None, None),
]
WHO = ("other_tenant", "other_till")


@pytest.mark.parametrize(
    ("who", "case", "reason"),
    [(w, f, r[i]) for i, w in enumerate(WHO) for f, *r in CASES],
    ids=[f"{w}-{f.__name__}" for w in WHO for f, *_ in CASES])
def test_foreign_ids_are_refused_stored_and_change_nothing(ctx: Ctx, who: str, case: Forge,
                                                           reason: str | None) -> None:
    pusher = ctx.pusher = ctx.b if who == "other_tenant" else ctx.a2
    before_a, before_b = ctx.a_state(), ctx.b_counts()
    ev_type, payload, aggregate = case(ctx)
    resp = pusher.push(ev_type, payload, aggregate)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    # The answer of any stored event: nothing says the ids exist or whose they are.
    assert (body["stored"], body["duplicates"], body["acked_through"], body["gaps"]) == (
        1, 0, pusher.seq, [])
    assert pusher.refused() == reason
    if reason is None and ev_type == EventType.RETURN_COMPLETED:
        assert len(ctx.a_state()["Sale"]) == len(before_a["Sale"]) + 1  # a legal return
        return
    assert ctx.a_state() == before_a
    if who == "other_tenant":
        assert ctx.b_counts() == before_b


def test_the_finding_a_shift_closed_by_another_tenant_stays_open(ctx: Ctx) -> None:
    ctx.pusher = ctx.b
    close_type, payload, agg = close_a_shift(ctx)
    ctx.b.push(close_type, payload, agg)
    shift = ctx.world.a.call("GET", f"/api/v1/shifts/{ctx.a_shift}").json()["data"]
    assert shift["status"] == "open" and shift["salesTotal"] != 123_456_789


def test_a_till_re_enrolled_as_a_new_device_still_closes_its_own_shift(world: World) -> None:
    shop = world.a
    till, client, _e = shop.enrolled()
    sell(till, shop.skus, 1)
    client.push_all()
    shift_id = str(till.current_shift().id)  # type: ignore[union-attr]
    till.close_shift(100_000)
    z = next(e for e in till.outbox_after(0, 500) if e.type == EventType.SHIFT_CLOSED)
    _t, other, _e2 = shop.enrolled("reinstalled", seller=False)  # same till, new device
    pusher = _pusher(shop, other)
    assert pusher.push(z.type, z.payload, z.aggregate_id).status_code == 200
    assert pusher.refused() is None
    shift = shop.call("GET", f"/api/v1/shifts/{shift_id}").json()["data"]
    assert shift["status"] == "closed"


def test_a_till_reusing_its_own_receipt_id_is_still_a_conflict(world: World) -> None:
    shop = world.a
    till, client, _e = shop.enrolled()
    sell(till, shop.skus, 1)
    pusher = _pusher(shop, client)
    sale = next(e for e in till.outbox_after(0, 500) if e.type == EventType.SALE_COMPLETED)
    resp = pusher.push(sale.type, sale.payload, sale.aggregate_id)
    assert resp.status_code == 409 and resp.json()["error"]["code"] == "SYNC_EVENT_CONFLICT"
