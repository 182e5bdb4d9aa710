"""Immutability triggers, outbox append-only rules, pruning and the doctor's checks."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop.core import CashTender, PinHasher, ProductRecord, Role, Till, TillSettings
from desktop.store import ImmutableRecord, SqliteStorage
from shared.clock import ManualClock

CODE = "4820000000017"


@pytest.fixture
def sold(tmp_path: Path) -> tuple[Till, SqliteStorage, str]:
    storage = SqliteStorage(tmp_path / "j.sqlite3")
    till = Till(storage, TillSettings.for_country("UA"), clock=ManualClock(),
                pins=PinHasher(fast=True))
    till.import_catalog([ProductRecord("MILK", "Молоко", 4299, "reduced", barcodes=(CODE,))])
    till.create_user("m", "M", Role.STORE_MANAGER, "9999")
    till.login("m", "9999")
    till.open_shift(0)
    receipt = till.complete_sale(till.scan(till.new_cart().id, CODE).id, [CashTender(5000)])
    return till, storage, receipt.id


@pytest.mark.parametrize("sql", [
    "UPDATE receipts SET total = 1 WHERE id = :id",
    "DELETE FROM receipts WHERE id = :id",
    "UPDATE receipt_lines SET gross = 1 WHERE receipt_id = :id",
    "DELETE FROM receipt_lines WHERE receipt_id = :id",
    "INSERT INTO receipt_lines (receipt_id, line_no, sku, name, unit, vat_group, quantity, "
    "list_price, unit_price, added_at) VALUES (:id, 9, 'X', 'X', 'pcs', 'standard', 1000, 1, 1, "
    "'2026-01-01')",
    "UPDATE payments SET amount = 1 WHERE receipt_id = :id",
    "DELETE FROM payments WHERE receipt_id = :id",
    "UPDATE outbox SET payload = '{}' WHERE seq = 1",
    "DELETE FROM outbox WHERE seq = 1",
])
def test_completed_documents_and_journal_are_immutable(sold: tuple[Till, SqliteStorage, str],
                                                       sql: str) -> None:
    _, storage, rid = sold
    with pytest.raises(ImmutableRecord), storage.transaction(durable=True) as tx:
        tx.conn.execute(sql, {"id": rid})  # type: ignore[attr-defined]


def test_closed_shift_is_immutable(sold: tuple[Till, SqliteStorage, str]) -> None:
    till, storage, _ = sold
    till.close_shift(till.drawer_balance())
    with pytest.raises(ImmutableRecord), storage.transaction(durable=True) as tx:
        tx.conn.execute("UPDATE shifts SET counted_cash = 0")  # type: ignore[attr-defined]


def test_acked_events_can_be_pruned_but_never_the_newest(
        sold: tuple[Till, SqliteStorage, str]) -> None:
    till, storage, _ = sold
    last = till.outbox_stats().last_seq
    till.ack_outbox(last)
    removed = storage.prune_outbox(datetime.now(UTC) + timedelta(days=1))
    assert removed == last - 1
    assert [e.seq for e in till.outbox_after(0)] == [last]
    assert till.doctor().ok  # the gap check knows what was pruned
    till.complete_sale(till.scan(till.new_cart().id, CODE).id, [CashTender(5000)])
    assert till.outbox_stats().last_seq == last + 1


def _tamper(path: Path, *sql: str) -> None:
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("DROP TRIGGER outbox_keep_pending")
    raw.execute("DROP TRIGGER receipts_immutable")
    for s in sql:
        raw.execute(s)
    raw.close()


@pytest.mark.parametrize(("sql", "failing"), [
    ("DELETE FROM outbox WHERE seq = 2", {"outbox_seq_gap_free"}),
    # the sale's event is the newest: no gap, but the receipt has lost its event
    ("DELETE FROM outbox WHERE type = 'sale.completed'", {"receipts_have_events"}),
    ("UPDATE receipts SET total = total + 1", {"receipt_totals"}),
    ("UPDATE receipts SET status = 'open' WHERE kind = 'sale'",
     {"events_have_receipts", "receipt_numbering"}),
    ("INSERT INTO barcodes VALUES ('999', 12345)", {"barcodes_have_products"}),
])
def test_doctor_finds_damage(sold: tuple[Till, SqliteStorage, str], sql: str,
                             failing: set[str]) -> None:
    till, storage, _ = sold
    assert till.doctor().ok
    _tamper(storage.path, sql)
    report = till.doctor()
    assert {c.name for c in report.checks if not c.ok} == failing
