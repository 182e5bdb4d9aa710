"""The device-state database (``<home>/devices.sqlite3``): printers and the print queue.

Kept apart from the sales store on purpose: the sales writer never waits on a device-state
write, and a print worker never holds a lock the sales path needs. This is the only module that
touches SQL. Each call opens a short-lived connection (WAL, busy timeout), so API threads and
worker threads never share one.

Job states: ``queued → sending → done | failed``; ``sending`` is committed *before* the first
byte goes out, so a crash leaves evidence (see ``queue.py`` for what recovery does with it).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from desktop.devices.printers.config import PrinterConfig
from desktop.devices.printers.status import PrinterStatus
from desktop.store.sqlite import Pragmas, connect, migrate
from shared.errors import TillbridgeError

__all__ = [
    "JobRecord",
    "JobState",
    "PrintStore",
    "PrinterRecord",
    "PrinterStats",
    "StoreConflict",
    "StoreError",
]

_SCHEMA = [
    """CREATE TABLE printers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        is_default INTEGER NOT NULL DEFAULT 0,
        config TEXT NOT NULL,
        status TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL)""",
    """CREATE TABLE print_jobs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        printer_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'done', 'failed')),
        payload BLOB NOT NULL,
        document TEXT,
        is_copy INTEGER NOT NULL DEFAULT 0,
        copy_of TEXT,
        resent INTEGER NOT NULL DEFAULT 0,
        labels INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        dedupe_key TEXT UNIQUE,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        sent_at TEXT,
        done_at TEXT)""",
    "CREATE INDEX print_jobs_next ON print_jobs (printer_id, state, seq)",
]

_MIGRATIONS = ((1, _SCHEMA),)

# Every call's short-lived connection: WAL is a property of the file, set by the first
# connection (the one that migrates); ``synchronous`` stays SQLite's default, FULL.
_PRAGMAS = Pragmas(busy_timeout=10.0, journal_mode=None, synchronous=None)
_FIRST_PRAGMAS = replace(_PRAGMAS, journal_mode="WAL")


class StoreError(TillbridgeError):
    """The device database failed."""

    code = "DATABASE_ERROR"


class StoreConflict(StoreError):
    """A row with the same unique value exists."""

    code = "DUPLICATE_RESOURCE"


class JobState(StrEnum):
    QUEUED = "queued"
    """Waiting for its printer (new, or retrying after a transient error)."""
    SENDING = "sending"
    """Bytes may be on their way; committed before the first write."""
    DONE = "done"
    """The printer confirmed it received the whole job."""
    FAILED = "failed"
    """Given up: permanent error, printer removed, or outcome unknown and not resendable."""


@dataclass(frozen=True)
class JobRecord:
    id: str
    printer_id: str
    kind: str
    state: JobState
    payload: bytes
    document: str | None
    is_copy: bool
    copy_of: str | None
    resent: bool
    labels: int
    attempts: int
    last_error: str | None
    dedupe_key: str | None
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    done_at: datetime | None


@dataclass(frozen=True)
class PrinterRecord:
    config: PrinterConfig
    status: PrinterStatus | None
    created_at: datetime


@dataclass(frozen=True)
class PrinterStats:
    total: int
    failed: int
    last_print: datetime | None


def _ts(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _job(row: sqlite3.Row) -> JobRecord:
    return JobRecord(
        id=row["id"], printer_id=row["printer_id"], kind=row["kind"],
        state=JobState(row["state"]), payload=bytes(row["payload"]), document=row["document"],
        is_copy=bool(row["is_copy"]), copy_of=row["copy_of"], resent=bool(row["resent"]),
        labels=row["labels"], attempts=row["attempts"], last_error=row["last_error"],
        dedupe_key=row["dedupe_key"], created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]), sent_at=_ts(row["sent_at"]),
        done_at=_ts(row["done_at"]))


def _printer(row: sqlite3.Row) -> PrinterRecord:
    status = PrinterStatus.from_dict(json.loads(row["status"])) if row["status"] else None
    return PrinterRecord(PrinterConfig.model_validate_json(row["config"]), status,
                         datetime.fromisoformat(row["created_at"]))


class PrintStore:
    def __init__(self, path: Path, *, clock: Callable[[], datetime] | None = None) -> None:
        self.path = Path(path)
        self.clock = clock or (lambda: datetime.now(UTC))
        self._migrated = False

    def _now(self) -> str:
        return self.clock().isoformat()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            if not self._migrated:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = connect(self.path, _PRAGMAS if self._migrated else _FIRST_PRAGMAS)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open {self.path.name}: {exc}") from exc
        try:
            conn.row_factory = sqlite3.Row
            if not self._migrated:
                migrate(conn, _MIGRATIONS)
                self._migrated = True
            yield conn
        except sqlite3.IntegrityError as exc:
            raise StoreConflict(f"device database: {exc}") from exc
        except sqlite3.Error as exc:
            raise StoreError(f"device database: {exc}") from exc
        finally:
            conn.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # -- printers ----------------------------------------------------------------------------
    def list_printers(self) -> list[PrinterRecord]:
        with self._connect() as c:
            rows = c.execute("SELECT * FROM printers ORDER BY created_at, id").fetchall()
        return [_printer(r) for r in rows]

    def get_printer(self, printer_id: str) -> PrinterRecord | None:
        with self._connect() as c:
            row = c.execute("SELECT * FROM printers WHERE id = ?", (printer_id,)).fetchone()
        return _printer(row) if row else None

    def name_taken(self, name: str, *, except_id: str | None = None) -> bool:
        with self._connect() as c:
            row = c.execute("SELECT id FROM printers WHERE name = ? AND id IS NOT ?",
                            (name, except_id)).fetchone()
        return row is not None

    def save_printer(self, cfg: PrinterConfig, status: PrinterStatus | None = None) -> None:
        """Insert or replace one printer; making it default clears the others of its type."""
        now = self._now()
        with self._tx() as c:
            if cfg.default:
                c.execute("UPDATE printers SET is_default = 0, config = json_set(config, "
                          "'$.default', json('false')) WHERE type = ? AND id != ?",
                          (cfg.type.value, cfg.id))
            status_json = json.dumps(status.to_dict()) if status else None
            c.execute(
                "INSERT INTO printers (id, name, type, is_default, config, status, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                " name = excluded.name, type = excluded.type, is_default = excluded.is_default,"
                " config = excluded.config, status = coalesce(excluded.status, printers.status),"
                " updated_at = excluded.updated_at",
                (cfg.id, cfg.name, cfg.type.value, int(cfg.default), cfg.model_dump_json(),
                 status_json, now, now))

    def delete_printer(self, printer_id: str, reason: str) -> bool:
        """Remove a printer and fail its unsent jobs, in one transaction."""
        now = self._now()
        with self._tx() as c:
            gone = c.execute("DELETE FROM printers WHERE id = ?", (printer_id,)).rowcount
            c.execute("UPDATE print_jobs SET state = 'failed', last_error = ?, updated_at = ?"
                      " WHERE printer_id = ? AND state = 'queued'", (reason, now, printer_id))
        return bool(gone)

    def set_status(self, printer_id: str, status: PrinterStatus) -> None:
        with self._connect() as c:
            c.execute("UPDATE printers SET status = ? WHERE id = ?",
                      (json.dumps(status.to_dict()), printer_id))

    def stats(self, printer_id: str) -> PrinterStats:
        with self._connect() as c:
            row = c.execute(
                "SELECT sum(state = 'done'), sum(state = 'failed'), max(done_at)"
                " FROM print_jobs WHERE printer_id = ?", (printer_id,)).fetchone()
        return PrinterStats(row[0] or 0, row[1] or 0, _ts(row[2]))

    # -- jobs --------------------------------------------------------------------------------
    def add_job(self, *, job_id: str, printer_id: str, kind: str, payload: bytes,
                document: str | None = None, is_copy: bool = False, copy_of: str | None = None,
                labels: int = 0, dedupe_key: str | None = None) -> tuple[JobRecord, bool]:
        """Insert a queued job; with a known ``dedupe_key`` return the existing one instead."""
        now = self._now()
        with self._tx() as c:
            if dedupe_key is not None:
                row = c.execute("SELECT * FROM print_jobs WHERE dedupe_key = ?",
                                (dedupe_key,)).fetchone()
                if row:
                    return _job(row), False
            c.execute(
                "INSERT INTO print_jobs (id, printer_id, kind, state, payload, document, is_copy,"
                " copy_of, labels, dedupe_key, created_at, updated_at)"
                " VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?)",
                (job_id, printer_id, kind, payload, document, int(is_copy), copy_of, labels,
                 dedupe_key, now, now))
            row = c.execute("SELECT * FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
        return _job(row), True

    def count_jobs(self, printer_id: str | None = None) -> int:
        with self._connect() as c:
            if printer_id is None:
                return int(c.execute("SELECT count(*) FROM print_jobs").fetchone()[0])
            return int(c.execute("SELECT count(*) FROM print_jobs WHERE printer_id = ?",
                                 (printer_id,)).fetchone()[0])

    def get_job(self, job_id: str) -> JobRecord | None:
        with self._connect() as c:
            row = c.execute("SELECT * FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
        return _job(row) if row else None

    def next_queued(self, printer_id: str) -> JobRecord | None:
        with self._connect() as c:
            row = c.execute("SELECT * FROM print_jobs WHERE printer_id = ? AND state = 'queued'"
                            " ORDER BY seq LIMIT 1", (printer_id,)).fetchone()
        return _job(row) if row else None

    def interrupted(self) -> list[JobRecord]:
        """Jobs left in ``sending`` (the till stopped mid-send)."""
        with self._connect() as c:
            rows = c.execute("SELECT * FROM print_jobs WHERE state = 'sending' ORDER BY seq")
            return [_job(r) for r in rows.fetchall()]

    def _move(self, job_id: str, frm: tuple[JobState, ...], to: JobState, **cols: object) -> bool:
        sets = ", ".join([f"{k} = ?" for k in cols] + ["state = ?", "updated_at = ?"])
        marks = ", ".join("?" for _ in frm)
        with self._connect() as c:
            n = c.execute(f"UPDATE print_jobs SET {sets} WHERE id = ? AND state IN ({marks})",
                          (*cols.values(), to.value, self._now(), job_id,
                           *(s.value for s in frm))).rowcount
        return bool(n)

    def mark_sending(self, job_id: str, attempts: int) -> bool:
        return self._move(job_id, (JobState.QUEUED,), JobState.SENDING, attempts=attempts,
                          sent_at=self._now())

    def mark_done(self, job_id: str) -> bool:
        return self._move(job_id, (JobState.SENDING,), JobState.DONE, done_at=self._now(),
                          last_error=None)

    def retry_later(self, job_id: str, attempts: int, error: str) -> bool:
        """Still queued (nothing was sent), with the attempt and the reason recorded."""
        return self._move(job_id, (JobState.QUEUED,), JobState.QUEUED, attempts=attempts,
                          last_error=error)

    def fail(self, job_id: str, error: str, *, attempts: int | None = None) -> bool:
        cols: dict[str, object] = {"last_error": error}
        if attempts is not None:
            cols["attempts"] = attempts
        return self._move(job_id, (JobState.QUEUED, JobState.SENDING), JobState.FAILED, **cols)

    def resend_as_copy(self, job_id: str, payload: bytes, error: str) -> bool:
        """An interrupted job goes back to the queue once, now printing as a COPY."""
        return self._move(job_id, (JobState.SENDING,), JobState.QUEUED, payload=payload,
                          is_copy=1, resent=1, last_error=error)
