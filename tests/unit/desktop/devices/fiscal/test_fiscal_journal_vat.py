"""The fiscal journal's durability settings and round trips; VAT group mapping by dated rate."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from fiscal_helpers import ro_sale

from desktop.devices.fiscal.errors import FiscalInvalid, PaymentMismatch, VatNotProgrammed
from desktop.devices.fiscal.journal import DocState, Journal, JournalError
from desktop.devices.fiscal.model import (
    CashOperation,
    DocKind,
    FiscalResult,
    ShiftInfo,
    document_from_json,
    line,
)
from desktop.devices.fiscal.vat import DeviceTax, VatMapper, group_for_rate
from shared.clock import ManualClock
from shared.ids import uuid7


def test_journal_is_wal_with_full_sync(journal: Journal) -> None:
    assert journal.query("PRAGMA journal_mode")[0][0] == "wal"
    assert journal.query("PRAGMA synchronous")[0][0] == 2  # FULL


def test_intent_result_round_trip_survives_reopen(tmp_path: Path, clock: ManualClock) -> None:
    path = tmp_path / "j.sqlite3"
    j = Journal(path)
    r = ro_sale(clock, ("Mere", "0.735", 699, "reduced"), ("Vin", "1", 4599, "standard"))
    j.record_intent(r, device="datecs:1", shift_id="s1", expected={"number": 5}, at=clock.now(),
                    order_id="order-1")
    j.close()
    j = Journal(path)
    row = j.get(r.receipt_id)
    assert row is not None and row.state is DocState.PENDING and row.document == r
    assert row.expected == {"number": 5} and j.by_order("order-1") == row
    res = FiscalResult(r.receipt_id, DocKind.SALE, "datecs:1", "5", clock.now(), r.total)
    j.mark(r.receipt_id, DocState.DONE, at=clock.now(), result=res)
    assert j.by_fiscal_number("5") is not None
    assert j.get(r.receipt_id).result == res  # type: ignore[union-attr]
    j.record_intent(r, device="datecs:1", shift_id="s1", expected={}, at=clock.now())
    assert j.get(r.receipt_id).attempts == 2  # type: ignore[union-attr]
    j.close()


def test_only_one_open_shift_per_device(journal: Journal, clock: ManualClock) -> None:
    journal.open_shift(ShiftInfo("a", 1, clock.now(), "dev"))
    with pytest.raises(JournalError):
        journal.open_shift(ShiftInfo("b", 2, clock.now(), "dev"))
    journal.close_shift("a", at=clock.now(), z=None)
    journal.open_shift(ShiftInfo("b", 2, clock.now(), "dev"))
    assert journal.current_shift("dev").info.id == "b"  # type: ignore[union-attr]
    assert journal.last_serial("dev") == 2


def test_a_broken_database_file_is_a_journal_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.sqlite3"
    path.write_bytes(b"not a database" * 100)
    with pytest.raises(JournalError):
        Journal(path)
    assert issubclass(JournalError, Exception) and not issubclass(JournalError, sqlite3.Error)


def test_documents_serialise_both_ways(clock: ManualClock) -> None:
    r = ro_sale(clock, ("Paine", "2", 350, "reduced"))
    assert document_from_json(r.to_json()) == r
    c = CashOperation(uuid7(), DocKind.WITHDRAW, 500, clock.now(), "ana", "bank", "o-1")
    assert document_from_json(c.to_json()) == c


def test_bad_lines_are_refused(clock: ManualClock) -> None:
    at = clock.now()
    with pytest.raises(FiscalInvalid):
        line("X", "0.0005", 100, "standard", country="RO", at=at).check()
    with pytest.raises(FiscalInvalid):
        line("X", "1", 100, "standard", country="RO", at=at, discount=101).check()
    r = ro_sale(clock, ("Paine", "1", 350, "reduced"))
    from dataclasses import replace

    with pytest.raises(PaymentMismatch):
        replace(r, payments=()).check()


RO_DEVICE = [DeviceTax(k, None if r is None else Decimal(r)) for k, r in
             zip("ABCDEFGH", ["21", "11", "9", "0", "0", None, None, None], strict=True)]


@pytest.mark.parametrize(("day", "group", "letter"), [
    (datetime(2026, 3, 2, tzinfo=UTC), "standard", "A"),
    (datetime(2026, 3, 2, tzinfo=UTC), "reduced", "B"),
    (datetime(2026, 3, 2, tzinfo=UTC), "super_reduced", "B"),   # 5 % abolished: now 11 %
    (datetime(2026, 3, 2, tzinfo=UTC), "housing", "C"),
    (datetime(2026, 3, 2, tzinfo=UTC), "zero", "D"),
    (datetime(2026, 3, 2, tzinfo=UTC), "exempt", "E"),
    (datetime(2025, 7, 31, tzinfo=UTC), "reduced", "C"),        # 9 % before 2025-08-01
])
def test_datecs_letters_follow_the_rate_valid_on_the_sale_date(day: datetime, group: str,
                                                               letter: str) -> None:
    mapper = VatMapper(RO_DEVICE, {"exempt": "E"})
    assert mapper.key_for(line("x", "1", 100, group, country="RO", at=day)) == letter


def test_a_missing_rate_or_a_wrong_override_blocks() -> None:
    old = datetime(2025, 7, 31, tzinfo=UTC)
    mapper = VatMapper(RO_DEVICE, {"exempt": "E"})
    with pytest.raises(VatNotProgrammed):
        mapper.key_for(line("x", "1", 100, "standard", country="RO", at=old))  # 19 %
    with pytest.raises(VatNotProgrammed):
        VatMapper(RO_DEVICE, {"exempt": "Z"})
    bad = VatMapper(RO_DEVICE, {"standard": "B"})
    with pytest.raises(VatNotProgrammed, match="reprogram"):
        bad.key_for(line("x", "1", 100, "standard", country="RO",
                         at=datetime(2026, 1, 1, tzinfo=UTC)))


def test_exempt_without_a_marker_or_override_is_refused() -> None:
    mapper = VatMapper(RO_DEVICE)
    with pytest.raises(VatNotProgrammed):
        mapper.key_for(line("x", "1", 100, "exempt", country="RO",
                            at=datetime(2026, 1, 1, tzinfo=UTC)))


@pytest.mark.parametrize(("country", "rate", "day", "group"), [
    ("RO", "21", datetime(2026, 3, 2, tzinfo=UTC), "standard"),
    ("RO", "19", datetime(2025, 7, 1, tzinfo=UTC), "standard"),
    ("RO", "11", datetime(2026, 3, 2, tzinfo=UTC), "reduced"),
    ("UA", "14", datetime(2026, 3, 2, tzinfo=UTC), "agri"),
    ("UA", "0", datetime(2026, 3, 2, tzinfo=UTC), "zero"),
])
def test_group_for_rate_uses_the_dated_table(country: str, rate: str, day: datetime,
                                             group: str) -> None:
    assert group_for_rate(country, Decimal(rate), day) == group


def test_a_rate_not_valid_on_the_day_is_refused() -> None:
    with pytest.raises(FiscalInvalid, match="valid: 0, 9, 11, 21"):
        group_for_rate("RO", Decimal(19), datetime(2026, 3, 2, tzinfo=UTC))


def test_a_version_1_journal_is_migrated_in_place(tmp_path: Path, clock: ManualClock) -> None:
    from desktop.devices.fiscal.journal import _SCHEMA

    path = tmp_path / "v1.sqlite3"
    db = sqlite3.connect(path)
    for stmt in _SCHEMA:
        db.execute(stmt)
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()
    j = Journal(path)
    try:
        assert j.query("PRAGMA user_version")[0][0] == 2
        j.set_meta("z_pending", {"shift": "s"})
        assert j.meta("z_pending") == {"shift": "s"}
        j.set_meta("z_pending", None)
        assert j.meta("z_pending") is None
    finally:
        j.close()
