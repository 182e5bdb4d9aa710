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
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Table, Uuid, any_, bindparam, insert, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from cloud.models.catalog import Decimal3

__all__ = ["RawJson", "insert_rows", "is_pg", "one_of", "set_levels"]

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class RawJson(str):
    """A JSON document already serialized (written as is; parsed back only for SQLite)."""

    __slots__ = ()


def is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _thousandths(v: Any) -> int | None:
    """A ``Decimal3`` value as stored (quantities in thousandths)."""
    if v is None:
        return None
    return int((v if isinstance(v, Decimal | int) else Decimal(v)) * 1000)


def _converters(table: Table, columns: Sequence[str]) -> list[tuple[int, Any]]:
    """(position, converter) for the columns whose values ``COPY`` cannot take as they are."""
    out: list[tuple[int, Any]] = []
    for i, name in enumerate(columns):
        col_type = table.c[name].type
        if isinstance(col_type, Decimal3):
            out.append((i, _thousandths))
        elif isinstance(col_type, JSON):
            out.append((i, lambda v: None if v is None
                        else (v if isinstance(v, str) else _dumps(v))))
    return out


def _sqlite_row(table: Table, columns: Sequence[str], row: Sequence[Any]) -> dict[str, Any]:
    """Values as SQLAlchemy's types want them (ids given as text become ``UUID`` objects)."""
    out: dict[str, Any] = {}
    for c, v in zip(columns, row, strict=True):
        if isinstance(v, RawJson):
            v = json.loads(v)
        elif isinstance(v, str) and isinstance(table.c[c].type, Uuid):
            v = uuid.UUID(v)
        out[c] = v
    return out


def insert_rows(session: Session, table: Table, rows: Sequence[Any], *,
                columns: Sequence[str] | None = None) -> None:
    """Insert ``rows`` in the session's transaction: dicts with the same keys, or tuples in
    the order of ``columns`` (cheaper: no per-row dict)."""
    if not rows:
        return
    if columns is None:
        columns = list(rows[0])
        tuples: Iterable[Sequence[Any]] = map(itemgetter(*columns), rows)
    else:
        tuples = rows
    if not is_pg(session):
        session.execute(insert(table), [_sqlite_row(table, columns, r) for r in tuples])
        return
    convert = _converters(table, columns)
    raw = session.connection().connection.driver_connection
    assert raw is not None
    cols = ", ".join(f'"{c}"' for c in columns)
    with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as cp:
        write = cp.write_row
        if not convert:
            for r in tuples:
                write(r)
            return
        for r in tuples:
            row = list(r)
            for i, f in convert:
                row[i] = f(row[i])
            write(row)


def one_of(session: Session, column: Any, values: Sequence[Any]) -> Any:
    """``column IN (values)``; on PostgreSQL as ``= ANY(array)``, one statement text whatever
    the count (an ``IN`` list is a new statement, parsed again, for every length)."""
    if not is_pg(session):
        return column.in_(values)
    return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))


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
