"""Checkbox offline mode: reserved codes in order, strictly later fiscal dates, legal limits,
and exactly-once upload when the server is back."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fiscal_helpers import ua_sale

from desktop.devices.emulators.checkbox_fake import CheckboxFake
from desktop.devices.fiscal.errors import (
    OfflineBlocked,
    OfflineCodesExhausted,
    OfflineLimitExceeded,
)
from desktop.devices.fiscal.journal import DocState
from desktop.devices.fiscal.model import CashOperation, DocKind
from desktop.devices.fiscal.service import FiscalService
from shared.clock import ManualClock
from shared.ids import uuid7

Make = Callable[..., FiscalService]


@pytest.fixture
def online(make_checkbox_service: Make) -> FiscalService:
    """A started service with an open shift and 6 reserved offline codes."""
    svc = make_checkbox_service(codes_min=6, codes_batch=6)
    svc.start()
    svc.open_shift("Olena")
    return svc


def _codes(fake: CheckboxFake) -> list[str]:
    return sorted(fake.register.handed)


def test_unreachable_server_issues_offline_with_codes_in_order(
        online: FiscalService, fake: CheckboxFake, clock: ManualClock) -> None:
    """GIVEN 6 reserved codes and an unreachable server
    WHEN three sales and a deposit are made
    THEN the first code opens the offline session and the next ones go to the documents in
    order, each with a strictly later fiscal date; nothing reaches the server yet."""
    reserved = _codes(fake)
    assert len(reserved) == 6
    fake.set_unreachable(True)
    results = []
    for i in range(3):
        results.append(online.sell(ua_sale(clock, ("Хліб", "1", 3500 + i, "reduced"))))
    results.append(online.cash(CashOperation(uuid7(), DocKind.DEPOSIT, 1000, clock.now())))
    assert all(r.offline for r in results)
    assert [r.fiscal_number for r in results] == reserved[1:5]
    dates = [r.fiscal_date for r in results]
    assert all(a < b for a, b in itertools.pairwise(dates))
    assert all(r.qr_payload and r.fiscal_number in r.qr_payload for r in results)
    assert online.driver.pending_uploads() == 5  # 4 documents + the session
    fake.set_unreachable(False)
    assert fake.documents() == []


def test_back_online_uploads_each_document_once(online: FiscalService, fake: CheckboxFake,
                                                clock: ManualClock) -> None:
    fake.set_unreachable(True)
    sales = [ua_sale(clock, ("Хліб", "1", 3500 + i, "reduced")) for i in range(3)]
    offline = [online.sell(s) for s in sales]
    fake.set_unreachable(False)
    assert online.sync() == 3
    assert online.sync() == 0
    docs = fake.documents("SELL")
    assert [d["fiscal_code"] for d in docs] == [r.fiscal_number for r in offline]
    assert all(d["is_created_offline"] for d in docs)
    assert fake.register.offline is None and len(fake.register.offline_sessions) == 1
    assert fake.register.offline_sessions[0]["code"] == sorted(fake.register.used)[0]
    # back to normal: the next sale is online, and the receipts are all DONE locally
    nxt = online.sell(ua_sale(clock, ("Вода", "1", 1500, "reduced")))
    assert not nxt.offline and len(fake.documents("SELL")) == 4
    assert all(online.journal.get(s.receipt_id).state is DocState.DONE  # type: ignore[union-attr]
               for s in sales)


def test_the_next_sale_uploads_first_when_the_server_is_back(
        online: FiscalService, fake: CheckboxFake, clock: ManualClock) -> None:
    fake.set_unreachable(True)
    first = online.sell(ua_sale(clock, ("Хліб", "1", 3500, "reduced")))
    fake.set_unreachable(False)
    second = online.sell(ua_sale(clock, ("Вода", "1", 1500, "reduced")))
    assert first.offline and not second.offline
    assert [d["is_created_offline"] for d in fake.documents("SELL")] == [True, False]


def test_resumed_upload_after_a_crash_does_not_duplicate(
        online: FiscalService, fake: CheckboxFake, clock: ManualClock) -> None:
    """An upload interrupted after the server stored a document: the same id again is a 409,
    which the driver resolves by lookup; go-offline with the same code is accepted again."""
    fake.set_unreachable(True)
    s1 = ua_sale(clock, ("Хліб", "1", 3500, "reduced"))
    s2 = ua_sale(clock, ("Вода", "1", 1500, "reduced"))
    online.sell(s1)
    online.sell(s2)
    fake.set_unreachable(False)
    store = online.driver.store  # type: ignore[attr-defined]
    session = store.sessions_to_upload()[0]
    first = store.queued(session.id)[0]
    c = online.driver.client  # type: ignore[attr-defined]
    c.go_offline(session.started_at.isoformat(timespec="milliseconds"), session.code)
    c.sell_offline({**first.body, "fiscal_code": first.fiscal_code,
                    "fiscal_date": first.fiscal_date.isoformat(timespec="milliseconds")})
    assert online.sync() == 2
    assert len(fake.documents("SELL")) == 2


def test_empty_code_pool_blocks_sales(make_checkbox_service: Make, fake: CheckboxFake,
                                      clock: ManualClock) -> None:
    svc = make_checkbox_service(codes_min=2, codes_batch=2)
    svc.start()
    svc.open_shift("Olena")
    fake.set_unreachable(True)
    svc.sell(ua_sale(clock, ("Хліб", "1", 3500, "reduced")))  # session code + this one
    blocked = ua_sale(clock, ("Вода", "1", 1500, "reduced"))
    with pytest.raises(OfflineCodesExhausted) as info:
        svc.sell(blocked)
    assert info.value.code == "FISCAL_OFFLINE_CODES_EXHAUSTED" and info.value.status == 409
    assert "blocked" in info.value.message
    row = svc.journal.get(blocked.receipt_id)
    assert row is not None and row.state is DocState.REJECTED and row.result is None


def test_more_than_36h_offline_blocks_sales(make_checkbox_service: Make, fake: CheckboxFake,
                                            clock: ManualClock) -> None:
    """The session's first document starts the 36 h; one minute past it nothing is issued
    (the shift rule is relaxed here so that only the offline rule speaks)."""
    svc = make_checkbox_service(codes_min=10, codes_batch=10, max_shift=timedelta(hours=72))
    svc.start()
    svc.open_shift("Olena")
    fake.set_unreachable(True)
    svc.sell(ua_sale(clock, ("Хліб", "1", 3500, "reduced")))
    clock.advance(hours=36)
    svc.sell(ua_sale(clock, ("Хліб", "1", 3600, "reduced")))  # exactly 36 h: still allowed
    clock.advance(minutes=1)
    blocked = ua_sale(clock, ("Вода", "1", 1500, "reduced"))
    with pytest.raises(OfflineLimitExceeded) as info:
        svc.sell(blocked)
    assert info.value.code == "FISCAL_OFFLINE_LIMIT_EXCEEDED" and "36 h" in info.value.message
    assert svc.journal.get(blocked.receipt_id).state is DocState.REJECTED  # type: ignore[union-attr]


def test_monthly_168h_limit(make_checkbox_service: Make, fake: CheckboxFake,
                            clock: ManualClock) -> None:
    clock.set(datetime(2026, 3, 20, 9, tzinfo=UTC))
    svc = make_checkbox_service(codes_min=10, codes_batch=10)
    svc.start()
    svc.open_shift("Olena")
    store = svc.driver.store  # type: ignore[attr-defined]
    with svc.journal.tx() as db:  # five earlier sessions this month: 5 × 34 h = 170 h
        for n in range(5):
            start = datetime(2026, 3, 2 + 3 * n, 8, tzinfo=UTC)
            db.execute("INSERT INTO checkbox_sessions (device, started_at, code, ended_at, "
                       "uploaded_at) VALUES (?, ?, ?, ?, ?)",
                       (store.device, start.isoformat(), f"old{n}",
                        (start + timedelta(hours=34)).isoformat(), start.isoformat()))
    assert store.offline_used(clock.now())[1] == timedelta(hours=170)
    fake.set_unreachable(True)
    with pytest.raises(OfflineLimitExceeded) as info:
        svc.sell(ua_sale(clock, ("Хліб", "1", 3500, "reduced")))
    assert "168 h" in info.value.message


def test_shift_close_needs_the_server(online: FiscalService, fake: CheckboxFake,
                                      clock: ManualClock) -> None:
    fake.set_unreachable(True)
    online.sell(ua_sale(clock, ("Хліб", "1", 3500, "reduced")))
    with pytest.raises(OfflineBlocked):
        online.close_shift()
    fake.set_unreachable(False)
    _, z = online.close_shift()  # uploads first, then the Z counts the offline receipt
    assert z.receipts_count == 1 and z.sales_total == 3500


def test_offline_fiscal_dates_stay_increasing_even_if_the_clock_steps_back(
        online: FiscalService, fake: CheckboxFake, clock: ManualClock) -> None:
    fake.set_unreachable(True)
    a = online.sell(ua_sale(clock, ("Хліб", "1", 3500, "reduced")))
    clock.set(clock.now() - timedelta(minutes=10))
    b = online.sell(ua_sale(clock, ("Вода", "1", 1500, "reduced")))
    assert b.fiscal_date > a.fiscal_date
    fake.set_unreachable(False)
    assert online.sync() == 2  # the fake refuses non-increasing dates


def test_offline_start_without_a_cached_connection_is_refused(
        make_checkbox_service: Make, fake: CheckboxFake) -> None:
    from desktop.devices.fiscal.checkbox.client import CheckboxUnreachable

    fake.set_unreachable(True)
    svc = make_checkbox_service()
    with pytest.raises(CheckboxUnreachable):
        svc.start()
    fake.set_unreachable(False)
    assert isinstance(svc.start(), list)
