"""Shifts and service cash movements; the aggregates behind X and Z reports."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from decimal import Decimal
from typing import Any

from desktop.core.errors import ShiftAlreadyOpen, ShiftClosed
from desktop.core.receipt import VatLine
from desktop.core.shifts import (
    CashMovement,
    CashMovementKind,
    PaymentTotal,
    Shift,
    ShiftStatus,
    ShiftTotals,
)

__all__ = [
    "cash_movements",
    "close_shift",
    "current_shift",
    "insert_cash_movement",
    "insert_shift",
    "last_shift",
    "shift_by_number",
    "shift_totals",
    "stored_z_report",
]

_COLS = ("id, number, status, opened_at, opened_by, opened_by_name, opening_float, documents, "
         "closed_at, closed_by, counted_cash")


def _shift(r: tuple[Any, ...]) -> Shift:
    return Shift(r[0], r[1], ShiftStatus(r[2]), datetime.fromisoformat(r[3]), r[4], r[5], r[6],
                 r[7], datetime.fromisoformat(r[8]) if r[8] else None, r[9], r[10])


def current_shift(conn: sqlite3.Connection) -> Shift | None:
    r = conn.execute(f"SELECT {_COLS} FROM shifts WHERE status = 'open'").fetchone()
    return _shift(r) if r else None


def shift_by_number(conn: sqlite3.Connection, number: int) -> Shift | None:
    r = conn.execute(f"SELECT {_COLS} FROM shifts WHERE number = ?", (number,)).fetchone()
    return _shift(r) if r else None


def last_shift(conn: sqlite3.Connection) -> Shift | None:
    r = conn.execute(f"SELECT {_COLS} FROM shifts ORDER BY number DESC LIMIT 1").fetchone()
    return _shift(r) if r else None


def next_shift_number(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(number), 0) + 1 FROM shifts").fetchone()[0])


def insert_shift(conn: sqlite3.Connection, s: Shift) -> None:
    if conn.execute("SELECT 1 FROM shifts WHERE status = 'open'").fetchone():
        raise ShiftAlreadyOpen()
    conn.execute(f"INSERT INTO shifts ({_COLS}) VALUES (?, ?, 'open', ?, ?, ?, ?, 0, NULL, NULL, "
                 "NULL)", (s.id, s.number, s.opened_at.isoformat(), s.opened_by,
                           s.opened_by_name, s.opening_float))


def close_shift(conn: sqlite3.Connection, s: Shift, z_report: dict[str, Any]) -> None:
    cur = conn.execute("UPDATE shifts SET status = 'closed', closed_at = ?, closed_by = ?, "
                       "counted_cash = ?, z_report = ? WHERE id = ? AND status = 'open'",
                       (s.closed_at.isoformat() if s.closed_at else None, s.closed_by,
                        s.counted_cash, json.dumps(z_report, ensure_ascii=False), s.id))
    if cur.rowcount != 1:
        raise ShiftClosed(details={"shift_id": s.id})


def stored_z_report(conn: sqlite3.Connection, shift_id: str) -> dict[str, Any] | None:
    r = conn.execute("SELECT z_report FROM shifts WHERE id = ?", (shift_id,)).fetchone()
    return json.loads(r[0]) if r and r[0] else None


def insert_cash_movement(conn: sqlite3.Connection, m: CashMovement) -> None:
    conn.execute("INSERT INTO cash_movements (id, shift_id, kind, amount, reason, user_id, "
                 "approved_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 (m.id, m.shift_id, m.kind.value, m.amount, m.reason, m.user_id, m.approved_by,
                  m.created_at.isoformat()))


def cash_movements(conn: sqlite3.Connection, shift_id: str) -> list[CashMovement]:
    rows = conn.execute("SELECT id, shift_id, kind, amount, reason, user_id, created_at, "
                        "approved_by FROM cash_movements WHERE shift_id = ? "
                        "ORDER BY created_at, id", (shift_id,))
    return [CashMovement(r[0], r[1], CashMovementKind(r[2]), r[3], r[4], r[5],
                         datetime.fromisoformat(r[6]), r[7]) for r in rows]


def shift_totals(conn: sqlite3.Connection, shift_id: str) -> ShiftTotals:
    """Sales, returns, VAT per group and rate, payments per type, cash movements, voids."""
    per_kind = {r[0]: r[1:] for r in conn.execute(
        "SELECT kind, count(*), coalesce(sum(total), 0), coalesce(sum(discount_total), 0), "
        "coalesce(sum(rounding), 0) FROM receipts WHERE shift_id = ? AND status = 'completed' "
        "GROUP BY kind", (shift_id,))}
    vat: dict[str, list[VatLine]] = {"sale": [], "return": []}
    for r in conn.execute(
            "SELECT r.kind, l.vat_group, l.vat_rate, sum(l.gross), sum(l.net), sum(l.vat), "
            "sum(l.excise) FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.id "
            "WHERE r.shift_id = ? AND r.status = 'completed' AND l.voided = 0 "
            "GROUP BY r.kind, l.vat_group, l.vat_rate ORDER BY l.vat_group, l.vat_rate",
            (shift_id,)):
        vat[r[0]].append(VatLine(r[1], Decimal(r[2]), r[3], r[4], r[5], r[6]))
    pays: dict[str, list[int]] = {}
    for r in conn.execute(
            "SELECT r.kind, p.kind, sum(p.amount), count(*) FROM receipts r "
            "JOIN payments p ON p.receipt_id = r.id WHERE r.shift_id = ? "
            "AND r.status = 'completed' GROUP BY r.kind, p.kind", (shift_id,)):
        acc = pays.setdefault(r[1], [0, 0, 0, 0])
        offset = 0 if r[0] == "sale" else 1
        acc[offset] += r[2]
        acc[2 + offset] += r[3]
    moves = dict(conn.execute("SELECT kind, sum(amount) FROM cash_movements WHERE shift_id = ? "
                              "GROUP BY kind", (shift_id,)).fetchall())
    voided, cancelled = conn.execute(
        "SELECT (SELECT count(*) FROM receipt_lines l JOIN receipts r ON r.id = l.receipt_id "
        "        WHERE r.shift_id = ?1 AND r.status <> 'open' AND l.voided = 1), "
        "       (SELECT count(*) FROM receipts WHERE shift_id = ?1 AND status = 'cancelled')",
        (shift_id,)).fetchone()
    sale = per_kind.get("sale", (0, 0, 0, 0))
    ret = per_kind.get("return", (0, 0, 0, 0))
    return ShiftTotals(
        sales_count=sale[0], returns_count=ret[0], sales_total=sale[1], returns_total=ret[1],
        sales_discounts=sale[2], returns_discounts=ret[2], sales_rounding=sale[3],
        returns_rounding=ret[3], sales_vat=tuple(vat["sale"]), returns_vat=tuple(vat["return"]),
        payments=tuple(PaymentTotal(k, *v) for k, v in sorted(pays.items())),
        cash_in=moves.get("in", 0), cash_out=moves.get("out", 0), voided_lines=voided,
        cancelled_sales=cancelled)
