"""The fiscal journal: durable intents, results and shifts in ``home/fiscal.sqlite3``.

Why its own SQLite file with ``synchronous=FULL``: an intent must be on disk before the first
byte goes to the device, or a crash could leave a printed receipt nobody knows about. The row
keyed by our receipt id is the de-duplication record (STYLE.md §6): whatever its state, a
document is never sent again once the device issued it. Only this module touches its SQL.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from desktop.devices.fiscal.model import (
    FiscalDocument,
    FiscalResult,
    ReportTotals,
    ShiftInfo,
    document_from_json,
)
from desktop.store.sqlite import Pragmas, connect, migrate
from shared.errors import TillbridgeError

__all__ = ["DocState", "Journal", "JournalError", "JournalRow", "ShiftRow"]

_SCHEMA = (
    """CREATE TABLE fiscal_docs (
        receipt_id TEXT PRIMARY KEY,
        order_id TEXT UNIQUE,
        kind TEXT NOT NULL,
        device TEXT NOT NULL,
        shift_id TEXT,
        state TEXT NOT NULL,
        payload TEXT NOT NULL,
        expected TEXT,
        total INTEGER NOT NULL,
        fiscal_number TEXT,
        fiscal_date TEXT,
        result TEXT,
        note TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL)""",
    "CREATE INDEX fiscal_docs_state ON fiscal_docs(state)",
    "CREATE INDEX fiscal_docs_shift ON fiscal_docs(shift_id)",
    "CREATE INDEX fiscal_docs_number ON fiscal_docs(fiscal_number)",
    """CREATE TABLE fiscal_shifts (
        id TEXT PRIMARY KEY,
        device TEXT NOT NULL,
        serial INTEGER NOT NULL,
        cashier TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        closed_at TEXT,
        device_ref TEXT,
        z_report TEXT)""",
    """CREATE UNIQUE INDEX fiscal_shifts_one_open ON fiscal_shifts(device)
        WHERE closed_at IS NULL""",
)


_SCHEMA_2 = ("CREATE TABLE fiscal_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",)

_MIGRATIONS = ((1, _SCHEMA), (2, _SCHEMA_2))

# Durable before the first byte goes to the device (see the module docstring).
_PRAGMAS = Pragmas(busy_timeout=5.0, journal_mode="WAL", synchronous="FULL")


class JournalError(TillbridgeError):
    """The fiscal journal database failed."""

    code = "DATABASE_ERROR"


class DocState(StrEnum):
    """Where a fiscal document stands; the cashier's screen shows it as is."""

    PENDING = "pending"
    """Intent recorded; the device may or may not have issued it (crash window)."""
    DONE = "done"
    """Issued by the device (or offline with a reserved code); never sent again."""
    NOT_ISSUED = "not_issued"
    """The device confirmed it did not issue it: it will be retried with the same id."""
    REJECTED = "rejected"
    """The device refused it and issued nothing; fix the cause and submit again."""
    IN_DOUBT = "in_doubt"
    """Reconciliation could not decide; it is not sent again until the device answers."""
    VOIDED = "voided"
    """Explicitly abandoned by a person after the device confirmed it was not issued."""


@dataclass(frozen=True)
class JournalRow:
    receipt_id: uuid.UUID
    order_id: str | None
    kind: str
    device: str
    shift_id: str | None
    state: DocState
    document: FiscalDocument
    expected: dict[str, Any]
    total: int
    fiscal_number: str | None
    result: FiscalResult | None
    note: str | None
    attempts: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ShiftRow:
    info: ShiftInfo
    closed_at: datetime | None
    z_report: ReportTotals | None


@contextmanager
def _db_errors() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise JournalError(f"fiscal journal: {exc}") from exc


class Journal:
    """Thread-safe access to the journal file; every write is its own durable transaction."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        with _db_errors():
            self._db = connect(path, _PRAGMAS, check_same_thread=False)
            self._db.row_factory = sqlite3.Row
            migrate(self._db, _MIGRATIONS)

    def close(self) -> None:
        with self._lock, _db_errors():
            self._db.close()

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction (other extensions of the journal may add tables)."""
        with self._lock, _db_errors():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def query(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock, _db_errors():
            return list(self._db.execute(sql, args))

    # -- documents ---------------------------------------------------------------------------
    def record_intent(self, doc: FiscalDocument, *, device: str, shift_id: str | None,
                      expected: dict[str, Any], at: datetime, order_id: str | None = None
                      ) -> None:
        """Durably note that ``doc`` is about to be sent (insert, or re-arm a retry)."""
        payload = json.dumps(doc.to_json(), sort_keys=True)
        with self.tx() as db:
            db.execute(
                """INSERT INTO fiscal_docs (receipt_id, order_id, kind, device, shift_id, state,
                       payload, expected, total, attempts, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, 1, ?, ?)
                   ON CONFLICT(receipt_id) DO UPDATE SET state='pending', device=excluded.device,
                       shift_id=excluded.shift_id, expected=excluded.expected,
                       attempts=fiscal_docs.attempts + 1, note=NULL,
                       updated_at=excluded.updated_at""",
                (str(doc.receipt_id), order_id, _kind(doc), device, shift_id, payload,
                 json.dumps(expected), doc.total, at.isoformat(), at.isoformat()))

    def mark(self, receipt_id: uuid.UUID, state: DocState, *, at: datetime,
             note: str | None = None, result: FiscalResult | None = None) -> None:
        with self.tx() as db:
            if result is not None:
                db.execute(
                    """UPDATE fiscal_docs SET state=?, note=?, result=?, fiscal_number=?,
                           fiscal_date=?, updated_at=? WHERE receipt_id=?""",
                    (state.value, note, json.dumps(result.to_json()), result.fiscal_number,
                     result.fiscal_date.astimezone(UTC).isoformat(), at.isoformat(),
                     str(receipt_id)))
            else:
                db.execute("UPDATE fiscal_docs SET state=?, note=?, updated_at=? "
                           "WHERE receipt_id=?",
                           (state.value, note, at.isoformat(), str(receipt_id)))

    def get(self, receipt_id: uuid.UUID) -> JournalRow | None:
        rows = self.query("SELECT * FROM fiscal_docs WHERE receipt_id=?", (str(receipt_id),))
        return _row(rows[0]) if rows else None

    def by_order(self, order_id: str) -> JournalRow | None:
        rows = self.query("SELECT * FROM fiscal_docs WHERE order_id=?", (order_id,))
        return _row(rows[0]) if rows else None

    def by_fiscal_number(self, number: str, kind: str = "sale") -> JournalRow | None:
        rows = self.query("SELECT * FROM fiscal_docs WHERE fiscal_number=? AND kind=? "
                          "AND state='done' ORDER BY created_at DESC", (number, kind))
        return _row(rows[0]) if rows else None

    def returns_of(self, original: uuid.UUID) -> list[JournalRow]:
        """Returns that reference ``original`` and were (or may have been) issued."""
        rows = self.query("SELECT * FROM fiscal_docs WHERE kind='return' AND state IN "
                          "('done','pending','in_doubt','not_issued') AND payload LIKE ?",
                          (f'%"original_receipt_id": "{original}"%',))
        out = [_row(r) for r in rows]
        return [r for r in out
                if getattr(r.document, "original_receipt_id", None) == original]

    def in_states(self, *states: DocState) -> list[JournalRow]:
        marks = ",".join("?" * len(states))
        rows = self.query(f"SELECT * FROM fiscal_docs WHERE state IN ({marks}) "
                          "ORDER BY created_at", tuple(s.value for s in states))
        return [_row(r) for r in rows]

    def done_between(self, start: datetime, end: datetime) -> list[JournalRow]:
        """Issued documents with a fiscal date in [start, end)."""
        rows = self.query("SELECT * FROM fiscal_docs WHERE state='done' AND fiscal_date >= ? "
                          "AND fiscal_date < ? ORDER BY fiscal_date",
                          (start.astimezone(UTC).isoformat(), end.astimezone(UTC).isoformat()))
        return [_row(r) for r in rows]

    def done_in_shift(self, shift_id: str) -> list[JournalRow]:
        rows = self.query("SELECT * FROM fiscal_docs WHERE state='done' AND shift_id=? "
                          "ORDER BY fiscal_date", (shift_id,))
        return [_row(r) for r in rows]

    # -- small durable markers (e.g. a Z report in flight) -----------------------------------
    def set_meta(self, key: str, value: dict[str, Any] | None) -> None:
        with self.tx() as db:
            if value is None:
                db.execute("DELETE FROM fiscal_meta WHERE key=?", (key,))
            else:
                db.execute("INSERT OR REPLACE INTO fiscal_meta VALUES (?, ?)",
                           (key, json.dumps(value)))

    def meta(self, key: str) -> dict[str, Any] | None:
        rows = self.query("SELECT value FROM fiscal_meta WHERE key=?", (key,))
        return json.loads(rows[0]["value"]) if rows else None

    # -- shifts ------------------------------------------------------------------------------
    def open_shift(self, info: ShiftInfo) -> None:
        with self.tx() as db:
            db.execute("INSERT INTO fiscal_shifts (id, device, serial, cashier, opened_at, "
                       "device_ref) VALUES (?, ?, ?, ?, ?, ?)",
                       (info.id, info.device, info.serial, info.cashier,
                        info.opened_at.isoformat(), info.device_ref))

    def close_shift(self, shift_id: str, *, at: datetime, z: ReportTotals | None) -> None:
        with self.tx() as db:
            db.execute("UPDATE fiscal_shifts SET closed_at=?, z_report=? WHERE id=?",
                       (at.isoformat(), json.dumps(z.to_json()) if z else None, shift_id))

    def current_shift(self, device: str | None = None) -> ShiftRow | None:
        if device is None:
            rows = self.query("SELECT * FROM fiscal_shifts WHERE closed_at IS NULL "
                              "ORDER BY opened_at DESC")
        else:
            rows = self.query("SELECT * FROM fiscal_shifts WHERE closed_at IS NULL AND device=?",
                              (device,))
        return _shift(rows[0]) if rows else None

    def last_serial(self, device: str) -> int:
        rows = self.query("SELECT MAX(serial) AS s FROM fiscal_shifts WHERE device=?", (device,))
        return int(rows[0]["s"] or 0)

    def shifts_overlapping(self, start: datetime, end: datetime) -> list[ShiftRow]:
        rows = self.query("SELECT * FROM fiscal_shifts WHERE opened_at < ? AND "
                          "(closed_at IS NULL OR closed_at >= ?) ORDER BY opened_at",
                          (end.isoformat(), start.isoformat()))
        return [_shift(r) for r in rows]


def _kind(doc: FiscalDocument) -> str:
    return doc.kind.value


def _row(r: sqlite3.Row) -> JournalRow:
    result = FiscalResult.from_json(json.loads(r["result"])) if r["result"] else None
    return JournalRow(
        uuid.UUID(r["receipt_id"]), r["order_id"], r["kind"], r["device"], r["shift_id"],
        DocState(r["state"]), document_from_json(json.loads(r["payload"])),
        json.loads(r["expected"]) if r["expected"] else {}, int(r["total"]), r["fiscal_number"],
        result, r["note"], int(r["attempts"]), datetime.fromisoformat(r["created_at"]),
        datetime.fromisoformat(r["updated_at"]))


def _shift(r: sqlite3.Row) -> ShiftRow:
    info = ShiftInfo(r["id"], int(r["serial"]), datetime.fromisoformat(r["opened_at"]),
                     r["device"], r["cashier"], r["device_ref"])
    z = ReportTotals.from_json(json.loads(r["z_report"])) if r["z_report"] else None
    return ShiftRow(info, datetime.fromisoformat(r["closed_at"]) if r["closed_at"] else None, z)
