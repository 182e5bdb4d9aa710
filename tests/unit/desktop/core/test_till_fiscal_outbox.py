"""Fiscal results and the outbox as the fiscal and sync workers use them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from till_fixtures import MILK

from desktop.core import CashTender, Till
from desktop.core.errors import FiscalConflict, ReceiptNotFound
from shared.ids import parse_uuid7

WHEN = datetime(2026, 3, 2, 9, 0, 5, tzinfo=UTC)


def sell(till: Till) -> str:
    cart = till.scan(till.new_cart().id, MILK)
    return till.complete_sale(cart.id, [CashTender(5000)]).id


def test_fiscal_result_is_recorded_once_with_its_event(till: Till) -> None:
    rid = sell(till)
    res = till.record_fiscal_result(rid, fiscal_number="4000123456", fiscal_date=WHEN,
                                    verification_url="https://cabinet.tax.gov.ua/cashregs/check?id=1",
                                    device_id="PRRO-1", extra={"control": "ABC"})
    assert till.receipt(rid).fiscal == res and till.fiscal_result(rid) == res
    event = till.outbox_after(0)[-1]
    assert event.type == "fiscal.recorded" and event.aggregate_id == rid
    assert event.payload["fiscal_number"] == "4000123456"
    assert event.payload["receipt_number"] == till.receipt(rid).number
    again = till.record_fiscal_result(rid, fiscal_number="4000123456", fiscal_date=WHEN,
                                      verification_url=res.verification_url,
                                      device_id="PRRO-1")
    assert again == res and till.outbox_stats().last_seq == event.seq  # idempotent
    with pytest.raises(FiscalConflict):
        till.record_fiscal_result(rid, fiscal_number="999", fiscal_date=WHEN)


def test_fiscal_result_for_cash_movement_and_unknown_document(till: Till) -> None:
    move = till.cash_in(1000)
    till.record_fiscal_result(move.id, fiscal_number="77", fiscal_date=WHEN)
    assert till.outbox_after(0)[-1].payload["document_type"] == "cash_movement"
    with pytest.raises(ReceiptNotFound):
        till.record_fiscal_result("01900000-0000-7000-8000-000000000000", fiscal_number="1",
                                  fiscal_date=WHEN)
    cart = till.scan(till.new_cart().id, MILK)
    with pytest.raises(ReceiptNotFound):  # an open cart is no document yet
        till.record_fiscal_result(cart.id, fiscal_number="1", fiscal_date=WHEN)


def test_outbox_pages_ack_and_stats(till: Till) -> None:
    for _ in range(5):
        sell(till)
    events = till.outbox_after(0, limit=1000)
    seqs = [e.seq for e in events]
    assert seqs == list(range(1, len(events) + 1))  # gap-free from 1
    assert all(parse_uuid7(e.event_id) for e in events)
    assert len({e.event_id for e in events}) == len(events)
    page = till.outbox_after(2, limit=3)
    assert [e.seq for e in page] == [3, 4, 5]
    assert till.ack_outbox(4) == 4
    stats = till.outbox_stats()
    assert (stats.last_seq, stats.acked_through, stats.pending) == (
        seqs[-1], 4, len(seqs) - 4)
    assert till.ack_outbox(2) == 0  # acknowledging again changes nothing
    assert [e.acked for e in till.outbox_after(0)][:5] == [True] * 4 + [False]


def test_receipts_listing(till: Till) -> None:
    ids = [sell(till) for _ in range(3)]
    assert [r.id for r in till.receipts()] == ids[::-1]
    assert [r.id for r in till.receipts(shift_number=1, limit=2, offset=1)] == ids[1::-1]
