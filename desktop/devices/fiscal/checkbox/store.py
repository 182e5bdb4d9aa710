"""Checkbox offline state in the fiscal journal file: reserved codes, sessions, upload queue.

Why in the journal's SQLite file: taking a reserved fiscal code, dating the document and queuing
it for upload must be one durable transaction, or a crash could print two receipts with one
code or lose an offline receipt before it reaches the tax service. Limits are checked in the same
transaction: 36 h in one offline session, 168 h per calendar month (Minfin order 317).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from desktop.devices.fiscal.errors import OfflineCodesExhausted, OfflineLimitExceeded
from desktop.devices.fiscal.journal import Journal

__all__ = ["OfflineDoc", "OfflineSession", "OfflineStore"]

_TABLES = (
    """CREATE TABLE IF NOT EXISTS checkbox_codes (
        code TEXT PRIMARY KEY, device TEXT NOT NULL, reserved_at TEXT NOT NULL,
        used_by TEXT, used_at TEXT)""",
    """CREATE TABLE IF NOT EXISTS checkbox_sessions (
        id INTEGER PRIMARY KEY AUTOINCREMENT, device TEXT NOT NULL, started_at TEXT NOT NULL,
        code TEXT NOT NULL, ended_at TEXT, uploaded_at TEXT)""",
    """CREATE TABLE IF NOT EXISTS checkbox_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, device TEXT NOT NULL, session_id INTEGER NOT NULL,
        receipt_id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, body TEXT NOT NULL,
        fiscal_code TEXT NOT NULL, fiscal_date TEXT NOT NULL, uploaded_at TEXT,
        server_code TEXT)""",
)

MAX_SESSION = timedelta(hours=36)
MAX_MONTH = timedelta(hours=168)


@dataclass(frozen=True)
class OfflineSession:
    id: int
    started_at: datetime
    code: str
    ended_at: datetime | None


@dataclass(frozen=True)
class OfflineDoc:
    seq: int
    session_id: int
    receipt_id: str
    kind: str
    body: dict[str, Any]
    fiscal_code: str
    fiscal_date: datetime
    uploaded: bool


def _dt(s: str | None) -> datetime | None:
    return datetime.fromisoformat(s) if s else None


def _iso(d: datetime) -> str:
    return d.astimezone(UTC).isoformat(timespec="milliseconds")


class OfflineStore:
    def __init__(self, journal: Journal, device: str) -> None:
        self.journal, self.device = journal, device
        with journal.tx() as db:
            for stmt in _TABLES:
                db.execute(stmt)

    # -- codes -------------------------------------------------------------------------------
    def add_codes(self, codes: list[str], at: datetime) -> int:
        with self.journal.tx() as db:
            before = db.total_changes
            db.executemany("INSERT OR IGNORE INTO checkbox_codes (code, device, reserved_at) "
                           "VALUES (?, ?, ?)", [(c, self.device, _iso(at)) for c in codes])
            return db.total_changes - before

    def available(self) -> int:
        rows = self.journal.query("SELECT COUNT(*) AS n FROM checkbox_codes WHERE device=? "
                                  "AND used_by IS NULL", (self.device,))
        return int(rows[0]["n"])

    # -- sessions ----------------------------------------------------------------------------
    def active_session(self) -> OfflineSession | None:
        rows = self.journal.query("SELECT * FROM checkbox_sessions WHERE device=? AND "
                                  "ended_at IS NULL ORDER BY id DESC LIMIT 1", (self.device,))
        return _session(rows[0]) if rows else None

    def sessions_to_upload(self) -> list[OfflineSession]:
        rows = self.journal.query("SELECT * FROM checkbox_sessions WHERE device=? AND "
                                  "uploaded_at IS NULL ORDER BY id", (self.device,))
        return [_session(r) for r in rows]

    def offline_used(self, now: datetime) -> tuple[timedelta, timedelta]:
        """(this session so far, this calendar month so far)."""
        month = now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        rows = self.journal.query("SELECT * FROM checkbox_sessions WHERE device=? AND "
                                  "(ended_at IS NULL OR ended_at >= ?)",
                                  (self.device, _iso(month)))
        total, current = timedelta(0), timedelta(0)
        for r in rows:
            s = _session(r)
            end = s.ended_at or now
            total += end - max(s.started_at, month)
            if s.ended_at is None:
                current = now - s.started_at
        return current, total

    def end_session(self, session_id: int, at: datetime, *, uploaded: bool) -> None:
        with self.journal.tx() as db:
            db.execute("UPDATE checkbox_sessions SET ended_at=COALESCE(ended_at, ?), "
                       "uploaded_at=? WHERE id=?",
                       (_iso(at), _iso(at) if uploaded else None, session_id))

    # -- documents ---------------------------------------------------------------------------
    def issue(self, receipt_id: str, kind: str, body: dict[str, Any], now: datetime
              ) -> OfflineDoc:
        """Take the next reserved code and a strictly later fiscal date, queue for upload.
        Idempotent per receipt id. Raises when the pool or the legal offline time is used up."""
        with self.journal.tx() as db:
            found = db.execute("SELECT * FROM checkbox_outbox WHERE receipt_id=?",
                               (receipt_id,)).fetchone()
            if found is not None:
                return _doc(found)
            free = [r["code"] for r in db.execute(
                "SELECT code FROM checkbox_codes WHERE device=? AND used_by IS NULL "
                "ORDER BY rowid LIMIT 2", (self.device,))]
            row = db.execute("SELECT * FROM checkbox_sessions WHERE device=? AND ended_at IS "
                             "NULL ORDER BY id DESC LIMIT 1", (self.device,)).fetchone()
            session = _session(row) if row else None
            current, month = self.offline_used(now)
            if session is not None and current > MAX_SESSION:
                raise OfflineLimitExceeded(
                    f"offline since {session.started_at:%Y-%m-%d %H:%M} UTC: more than 36 h; "
                    "sales are blocked until the fiscal server is reachable",
                    details={"offlineSince": session.started_at.isoformat()})
            if month > MAX_MONTH:
                raise OfflineLimitExceeded("168 h of offline work this month are used up; "
                                           "sales are blocked until the server is reachable")
            if len(free) < (1 if session else 2):
                raise OfflineCodesExhausted(
                    "no reserved offline fiscal codes left: sales are blocked until the fiscal "
                    "server is reachable", details={"available": len(free)})
            last = db.execute("SELECT MAX(fiscal_date) AS d FROM checkbox_outbox WHERE "
                              "device=?", (self.device,)).fetchone()["d"]
            if session is None:
                start_code, free = free[0], free[1:]
                cur = db.execute("INSERT INTO checkbox_sessions (device, started_at, code) "
                                 "VALUES (?, ?, ?)", (self.device, _iso(now), start_code))
                db.execute("UPDATE checkbox_codes SET used_by=?, used_at=? WHERE code=?",
                           (f"go-offline:{cur.lastrowid}", _iso(now), start_code))
                session = OfflineSession(int(cur.lastrowid or 0), now, start_code, None)
            floor = max(filter(None, [_dt(last), session.started_at]))
            date = now if now > floor else floor + timedelta(milliseconds=1)
            code = free[0]
            db.execute("UPDATE checkbox_codes SET used_by=?, used_at=? WHERE code=?",
                       (receipt_id, _iso(now), code))
            db.execute("INSERT INTO checkbox_outbox (device, session_id, receipt_id, kind, body, "
                       "fiscal_code, fiscal_date) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (self.device, session.id, receipt_id, kind, json.dumps(body), code,
                        _iso(date)))
            out = db.execute("SELECT * FROM checkbox_outbox WHERE receipt_id=?",
                             (receipt_id,)).fetchone()
            return _doc(out)

    def find(self, receipt_id: str) -> OfflineDoc | None:
        rows = self.journal.query("SELECT * FROM checkbox_outbox WHERE receipt_id=?",
                                  (receipt_id,))
        return _doc(rows[0]) if rows else None

    def queued(self, session_id: int | None = None) -> list[OfflineDoc]:
        if session_id is None:
            rows = self.journal.query("SELECT * FROM checkbox_outbox WHERE device=? AND "
                                      "uploaded_at IS NULL ORDER BY seq", (self.device,))
        else:
            rows = self.journal.query("SELECT * FROM checkbox_outbox WHERE session_id=? AND "
                                      "uploaded_at IS NULL ORDER BY seq", (session_id,))
        return [_doc(r) for r in rows]

    def mark_uploaded(self, seq: int, at: datetime, server_code: str | None) -> None:
        with self.journal.tx() as db:
            db.execute("UPDATE checkbox_outbox SET uploaded_at=?, server_code=? WHERE seq=?",
                       (_iso(at), server_code, seq))


def _session(r: Any) -> OfflineSession:
    started = _dt(r["started_at"])
    assert started is not None
    return OfflineSession(int(r["id"]), started, r["code"], _dt(r["ended_at"]))


def _doc(r: Any) -> OfflineDoc:
    date = _dt(r["fiscal_date"])
    assert date is not None
    return OfflineDoc(int(r["seq"]), int(r["session_id"]), r["receipt_id"], r["kind"],
                      json.loads(r["body"]), r["fiscal_code"], date, r["uploaded_at"] is not None)
