"""Store integrity checks (``tillbridge-till doctor``): SQLite, search index, journal, receipts.

Each check is one SQL question whose answer must be "nothing wrong"; the report lists them all
so support sees every problem at once.
"""

from __future__ import annotations

import sqlite3

from desktop.core.ports import Check, DoctorReport
from desktop.store.db import fts_folds_natively
from desktop.store.schema import SCHEMA_VERSION

__all__ = ["run_doctor"]

_DOC_EVENTS = "('sale.completed', 'return.completed')"


def _one(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0] or 0)


def _integrity(conn: sqlite3.Connection, quick: bool) -> Check:
    rows = [r[0] for r in conn.execute("PRAGMA quick_check" if quick else
                                       "PRAGMA integrity_check")]
    return Check("sqlite_integrity", rows == ["ok"], "; ".join(rows[:5]))


def _fts(conn: sqlite3.Connection) -> Check:
    try:
        conn.execute("INSERT INTO products_fts(products_fts) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as exc:
        return Check("search_index", False, str(exc))
    return Check("search_index", True)


def _outbox_gaps(conn: sqlite3.Connection) -> Check:
    lo, hi, n = conn.execute("SELECT min(seq), max(seq), count(*) FROM outbox").fetchone()
    if n == 0:
        return Check("outbox_seq_gap_free", True, "empty")
    pruned = conn.execute("SELECT value FROM meta WHERE key = 'outbox_pruned_through'").fetchone()
    first = int(pruned[0]) + 1 if pruned else 1
    ok = lo == first and hi - lo + 1 == n
    return Check("outbox_seq_gap_free", ok, f"seq {lo}..{hi}, {n} events, expected first {first}")


def run_doctor(conn: sqlite3.Connection, *, quick: bool = False) -> DoctorReport:
    """Run every check on ``conn`` (a reader is enough; the FTS check writes nothing)."""
    checks = [_integrity(conn, quick)]
    fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    checks.append(Check("foreign_keys", not fk, f"{len(fk)} violations"))
    version = _one(conn, "PRAGMA user_version")
    checks.append(Check("schema_version", version == SCHEMA_VERSION,
                        f"{version} (expected {SCHEMA_VERSION})"))
    if not quick:
        checks.append(_fts(conn))
        keyless = _one(conn, "SELECT count(*) FROM products WHERE name_key IS NULL")
        checks.append(Check("search_keys", keyless == 0,
                            f"{keyless} products rank last in search; reload the catalog"))
    mode = conn.execute("SELECT value FROM meta WHERE key = 'fts_fold'").fetchone()
    native_ok = mode is None or mode[0] != "native" or fts_folds_natively()
    checks.append(Check("search_folding", native_ok,
                        f"mode {mode[0] if mode else '?'}; rebuild the catalog if this fails"))
    checks.append(_outbox_gaps(conn))
    pruned_ts = "(SELECT coalesce(min(created_at), '') FROM outbox)" if conn.execute(
        "SELECT 1 FROM meta WHERE key = 'outbox_pruned_through'").fetchone() else "''"
    missing = _one(conn, f"""
        SELECT count(*) FROM receipts r WHERE r.status = 'completed'
          AND r.completed_at >= {pruned_ts}
          AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.aggregate_id = r.id
                          AND o.type IN {_DOC_EVENTS})""")
    checks.append(Check("receipts_have_events", missing == 0, f"{missing} without an event"))
    orphan = _one(conn, f"""
        SELECT count(*) FROM outbox o WHERE o.type IN {_DOC_EVENTS}
          AND NOT EXISTS (SELECT 1 FROM receipts r WHERE r.id = o.aggregate_id
                          AND r.status = 'completed')""")
    checks.append(Check("events_have_receipts", orphan == 0, f"{orphan} without a receipt"))
    bad_totals = _one(conn, """
        SELECT count(*) FROM receipts r WHERE r.status = 'completed' AND (
          r.total <> (SELECT coalesce(sum(gross), 0) FROM receipt_lines
                      WHERE receipt_id = r.id AND voided = 0)
          OR r.paid <> (SELECT coalesce(sum(amount), 0) FROM payments WHERE receipt_id = r.id)
          OR r.paid <> r.total + r.rounding)""")
    checks.append(Check("receipt_totals", bad_totals == 0, f"{bad_totals} inconsistent"))
    bad_seq = _one(conn, """
        SELECT count(*) FROM shifts s WHERE s.documents <> (
          SELECT count(*) FROM receipts r WHERE r.shift_id = s.id AND r.status = 'completed')
          OR s.documents <> (SELECT coalesce(max(seq), 0) FROM receipts r
                             WHERE r.shift_id = s.id AND r.status = 'completed')""")
    checks.append(Check("receipt_numbering", bad_seq == 0, f"{bad_seq} shifts with gaps"))
    orphans = _one(conn, "SELECT count(*) FROM barcodes b WHERE NOT EXISTS "
                         "(SELECT 1 FROM products p WHERE p.id = b.product_id)")
    checks.append(Check("barcodes_have_products", orphans == 0, f"{orphans} orphans"))
    return DoctorReport(tuple(checks))
