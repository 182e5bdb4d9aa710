"""The outbox (journal): append with a gap-free ``seq``, read in pages, acknowledge, prune.

``seq`` is ``max(seq) + 1`` taken inside the writer's ``BEGIN IMMEDIATE`` transaction, so it is
gap-free by construction: a rolled-back transaction takes its ``seq`` with it. Acknowledged
events may be pruned, but the newest row is always kept so the next ``seq`` stays known.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from desktop.core.outbox import OutboxEvent, OutboxStats
from shared.ids import uuid7

__all__ = ["ack", "after", "append", "iterate", "prune_acked", "stats"]

_COLS = "seq, event_id, type, aggregate_id, payload, created_at, acked"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)  # Decimal, UUID, enums


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"),
                            default=_json_default).encode


def append(conn: sqlite3.Connection, event_type: str, payload: Mapping[str, Any], *,
           aggregate_id: str, at: datetime) -> OutboxEvent:
    event_id = str(uuid7())
    body = _ENCODER(payload)
    seq = conn.execute(
        "INSERT INTO outbox (seq, event_id, type, aggregate_id, payload, created_at) "
        "VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM outbox), ?, ?, ?, ?, ?) RETURNING seq",
        (event_id, event_type, aggregate_id, body, at.isoformat())).fetchone()[0]
    return OutboxEvent(seq, event_id, event_type, aggregate_id, dict(payload), at)


def _event(r: tuple[Any, ...]) -> OutboxEvent:
    return OutboxEvent(r[0], r[1], r[2], r[3], json.loads(r[4]), datetime.fromisoformat(r[5]),
                       bool(r[6]))


def after(conn: sqlite3.Connection, seq: int, limit: int) -> list[OutboxEvent]:
    rows = conn.execute(f"SELECT {_COLS} FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
                        (seq, limit))
    return [_event(r) for r in rows]


def unfiscalised(conn: sqlite3.Connection, after_seq: int, types: tuple[str, ...],
                 limit: int) -> list[OutboxEvent]:
    """Completion events of ``types`` after ``after_seq`` whose document has no fiscal result
    yet, in journal order (the primary key walk: no scan of older events)."""
    marks = ",".join("?" * len(types))
    rows = conn.execute(
        f"SELECT {_COLS} FROM outbox o WHERE seq > ? AND type IN ({marks}) AND NOT EXISTS "
        "(SELECT 1 FROM fiscal_results f WHERE f.document_id = o.aggregate_id) "
        "ORDER BY seq LIMIT ?", (after_seq, *types, limit))
    return [_event(r) for r in rows]


def iterate(conn: sqlite3.Connection) -> Iterator[OutboxEvent]:
    for r in conn.execute(f"SELECT {_COLS} FROM outbox ORDER BY seq"):
        yield _event(r)


def ack(conn: sqlite3.Connection, up_to_seq: int) -> int:
    """Mark every event with ``seq ≤ up_to_seq`` acknowledged; returns how many changed."""
    cur = conn.execute("UPDATE outbox SET acked = 1 WHERE seq <= ? AND acked = 0", (up_to_seq,))
    return cur.rowcount


def prune_acked(conn: sqlite3.Connection, before: datetime) -> int:
    """Delete acknowledged events older than ``before`` (never the newest event)."""
    cur = conn.execute(
        "DELETE FROM outbox WHERE acked = 1 AND created_at < ? "
        "AND seq < (SELECT max(seq) FROM outbox)", (before.isoformat(),))
    if cur.rowcount:
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('outbox_pruned_through', "
                     "(SELECT coalesce(min(seq), 1) - 1 FROM outbox))")
    return cur.rowcount


def stats(conn: sqlite3.Connection) -> OutboxStats:
    last, pending, first_pending = conn.execute(
        "SELECT coalesce(max(seq), 0), (SELECT count(*) FROM outbox WHERE acked = 0), "
        "(SELECT min(seq) FROM outbox WHERE acked = 0) FROM outbox").fetchone()
    acked_through = (first_pending - 1) if first_pending is not None else last
    return OutboxStats(last, acked_through, pending)
