"""The device database: printer rows, job state machine, dedupe, stats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop.devices.printers.config import PrinterConfig
from desktop.devices.printers.status import PrinterStatus
from desktop.devices.printers.store import JobState, PrintStore, StoreConflict


class Clock:
    """A controllable clock: every call advances one second."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def _cfg(pid: str, name: str, *, default: bool = False, kind: str = "thermal") -> PrinterConfig:
    return PrinterConfig(id=pid, name=name, type=kind, connection="file",  # type: ignore[arg-type]
                         device="/dev/null", default=default)


@pytest.fixture
def store(tmp_path: Path) -> PrintStore:
    return PrintStore(tmp_path / "devices.sqlite3", clock=Clock())


def test_schema_is_versioned_and_reopenable(tmp_path: Path) -> None:
    path = tmp_path / "devices.sqlite3"
    PrintStore(path).save_printer(_cfg("a", "A"))
    again = PrintStore(path)
    assert [r.config.id for r in again.list_printers()] == ["a"]


def test_one_default_per_printer_type(store: PrintStore) -> None:
    store.save_printer(_cfg("a", "A", default=True))
    store.save_printer(_cfg("l", "L", default=True, kind="label"))
    store.save_printer(_cfg("b", "B", default=True))
    defaults = {r.config.id: r.config.default for r in store.list_printers()}
    assert defaults == {"a": False, "l": True, "b": True}


def test_unique_names(store: PrintStore) -> None:
    store.save_printer(_cfg("a", "Same"))
    assert store.name_taken("Same") and not store.name_taken("Same", except_id="a")
    with pytest.raises(StoreConflict):
        store.save_printer(_cfg("b", "Same"))


def test_status_is_stored(store: PrintStore) -> None:
    store.save_printer(_cfg("a", "A"), PrinterStatus.testing())
    store.set_status("a", PrinterStatus.offline("cable"))
    rec = store.get_printer("a")
    assert rec is not None and rec.status is not None and rec.status.detail == "cable"


def test_job_life_cycle_and_stats(store: PrintStore) -> None:
    store.save_printer(_cfg("a", "A"))
    j1, created = store.add_job(job_id="j1", printer_id="a", kind="receipt", payload=b"1")
    store.add_job(job_id="j2", printer_id="a", kind="receipt", payload=b"2")
    assert created and j1.state is JobState.QUEUED
    assert store.next_queued("a").id == "j1"  # type: ignore[union-attr]
    assert store.retry_later("j1", 1, "offline")
    assert store.mark_sending("j1", 2) and not store.mark_sending("j1", 3)
    assert store.next_queued("a").id == "j2"  # type: ignore[union-attr]
    assert store.interrupted()[0].id == "j1"
    assert store.mark_done("j1") and not store.mark_done("j1")
    assert store.fail("j2", "jammed", attempts=1)
    done = store.get_job("j1")
    assert done is not None and done.attempts == 2 and done.last_error is None
    assert done.sent_at is not None and done.done_at is not None and done.done_at > done.sent_at
    stats = store.stats("a")
    assert (stats.total, stats.failed, stats.last_print) == (1, 1, done.done_at)


def test_dedupe_key_returns_the_existing_job(store: PrintStore) -> None:
    a, first = store.add_job(job_id="j1", printer_id="a", kind="receipt", payload=b"x",
                             dedupe_key="sale-1")
    b, second = store.add_job(job_id="j2", printer_id="a", kind="receipt", payload=b"y",
                              dedupe_key="sale-1")
    assert first and not second and b.id == a.id and store.get_job("j2") is None


def test_resend_as_copy_only_from_sending(store: PrintStore) -> None:
    store.add_job(job_id="j1", printer_id="a", kind="receipt", payload=b"orig")
    assert not store.resend_as_copy("j1", b"copy", "why")
    store.mark_sending("j1", 1)
    assert store.resend_as_copy("j1", b"copy", "why")
    job = store.get_job("j1")
    assert job is not None and job.state is JobState.QUEUED and job.is_copy and job.resent
    assert job.payload == b"copy"


def test_deleting_a_printer_fails_its_queued_jobs(store: PrintStore) -> None:
    store.save_printer(_cfg("a", "A"))
    store.add_job(job_id="j1", printer_id="a", kind="receipt", payload=b"x")
    assert store.delete_printer("a", "removed")
    assert not store.delete_printer("a", "removed")
    job = store.get_job("j1")
    assert job is not None and job.state is JobState.FAILED and job.last_error == "removed"
