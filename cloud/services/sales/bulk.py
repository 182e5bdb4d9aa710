"""Set-wise writes for the push path: ``COPY`` on PostgreSQL, ``executemany`` elsewhere.

Why: a push batch writes thousands of rows (events, receipts, lines, payments, ledger rows).
Through ``executemany`` each row is its own statement in psycopg's pipeline; ``COPY … FROM
STDIN`` on the session's own connection sends them as one stream inside the same transaction,
so a failure (a unique violation) still rolls back with everything else. Values are converted
here as the column types would (``Decimal3`` → thousandths, JSON → text), because ``COPY``
bypasses SQLAlchemy's type processing.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Table, bindparam, insert, text, update
from sqlalchemy.orm import Session

from cloud.models.catalog import Decimal3

__all__ = ["RawJson", "insert_rows", "is_pg", "set_levels"]

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class RawJson(str):
    """A JSON document already serialized (written as is; parsed back only for SQLite)."""

    __slots__ = ()


def is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _converters(table: Table, columns: Sequence[str]) -> list[tuple[int, Any]]:
    """(position, converter) for the columns whose values ``COPY`` cannot take as they are."""
    out: list[tuple[int, Any]] = []
    for i, name in enumerate(columns):
        col_type = table.c[name].type
        if isinstance(col_type, Decimal3):
            out.append((i, lambda v: None if v is None else int(Decimal(v) * 1000)))
        elif isinstance(col_type, JSON):
            out.append((i, lambda v: None if v is None
                        else (v if isinstance(v, str) else _dumps(v))))
    return out


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) in the session's transaction."""
    if not rows:
        return
    if not is_pg(session):
        session.execute(insert(table), [
            {k: json.loads(v) if isinstance(v, RawJson) else v for k, v in r.items()}
            for r in rows])
        return
    columns = list(rows[0])
    convert = _converters(table, columns)
    values = itemgetter(*columns)
    raw = session.connection().connection.driver_connection
    assert raw is not None
    cols = ", ".join(f'"{c}"' for c in columns)
    with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as cp:
        write = cp.write_row
        if not convert:
            for r in rows:
                write(values(r))
            return
        for r in rows:
            row = list(values(r))
            for i, f in convert:
                row[i] = f(row[i])
            write(row)


def set_levels(session: Session, table: Table, values: Mapping[uuid.UUID, Decimal],
               now: datetime) -> None:
    """``UPDATE stock_levels SET on_hand = …`` for many level ids in one statement (PG)."""
    if not values:
        return
    ids = list(values)
    qty = [int(values[i] * 1000) for i in ids]
    if is_pg(session):
        session.execute(text(
            f"UPDATE {table.name} SET on_hand = v.q, updated_at = :now "
            "FROM unnest(CAST(:ids AS uuid[]), CAST(:qty AS bigint[])) AS v(id, q) "
            f"WHERE {table.name}.id = v.id"), {"ids": ids, "qty": qty, "now": now})
        return
    session.execute(
        update(table).where(table.c.id == bindparam("b_id"))
        .values(on_hand=bindparam("b_qty", type_=table.c.on_hand.type), updated_at=now),
        [{"b_id": i, "b_qty": values[i]} for i in ids])
