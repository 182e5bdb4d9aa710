"""``SqliteStorage``: the till store behind the core's :class:`~desktop.core.ports.Storage` port.

Reads go through this thread's reader connection; writes through one ``transaction()`` on the
writer, whose :class:`SqliteTx` exposes the repositories' write operations. Every ``sqlite3``
error is converted to the store's error tree.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any

from desktop.core.cart import Cart, CartLine, Discount
from desktop.core.catalog import Category, ImportResult, Product, ProductRecord, search_terms
from desktop.core.outbox import OutboxEvent, OutboxStats
from desktop.core.payments import Payment
from desktop.core.ports import DoctorReport, ReturnedAmounts
from desktop.core.receipt import FiscalResult, Receipt
from desktop.core.search_rank import name_key
from desktop.core.shifts import CashMovement, Shift, ShiftTotals
from desktop.core.users import Role, User
from desktop.store import catalog_repo as catalog
from desktop.store import outbox_repo as outbox
from desktop.store import sales_repo as sales
from desktop.store import shifts_repo as shifts
from desktop.store import users_repo as users_
from desktop.store.db import Database
from desktop.store.doctor import run_doctor
from desktop.store.errors import map_sqlite_errors
from desktop.store.sqlite import Pragmas, connect

__all__ = ["SqliteStorage", "SqliteTx"]

# The doctor inspects the file as it is: its private connection changes no setting.
_DOCTOR_PRAGMAS = Pragmas(busy_timeout=10.0, journal_mode=None, synchronous=None)


class SqliteTx:
    """Write operations inside one open transaction (see ``desktop.core.ports.WriteTx``)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def append_event(self, event_type: str, payload: Mapping[str, Any], *, aggregate_id: str,
                     at: datetime) -> OutboxEvent:
        return outbox.append(self.conn, event_type, payload, aggregate_id=aggregate_id, at=at)

    def insert_cart(self, cart: Cart) -> None:
        sales.insert_cart(self.conn, cart)

    def insert_line(self, cart_id: str, line: CartLine) -> None:
        sales.insert_line(self.conn, cart_id, line)

    def update_line(self, cart_id: str, line: CartLine) -> None:
        sales.update_line(self.conn, cart_id, line)

    def set_cart_discount(self, cart_id: str, discount: Discount | None, by: str | None) -> None:
        sales.set_cart_discount(self.conn, cart_id, discount, by)

    def insert_payment(self, cart_id: str, payment: Payment) -> None:
        sales.insert_payment(self.conn, cart_id, payment)

    def delete_payment(self, cart_id: str, payment_id: str) -> None:
        sales.delete_payment(self.conn, cart_id, payment_id)

    def cancel_cart(self, cart_id: str, at: datetime, by: str | None,
                    shift_id: str | None) -> None:
        sales.cancel_cart(self.conn, cart_id, at, by, shift_id)

    def next_document_seq(self, shift_id: str) -> int:
        return sales.next_document_seq(self.conn, shift_id)

    def complete_sale(self, receipt: Receipt) -> None:
        sales.complete_sale(self.conn, receipt)

    def insert_return(self, receipt: Receipt) -> None:
        sales.insert_return(self.conn, receipt)

    def next_shift_number(self) -> int:
        return shifts.next_shift_number(self.conn)

    def insert_shift(self, shift: Shift) -> None:
        shifts.insert_shift(self.conn, shift)

    def close_shift(self, shift: Shift, z_report: Mapping[str, Any]) -> None:
        shifts.close_shift(self.conn, shift, dict(z_report))

    def insert_cash_movement(self, movement: CashMovement) -> None:
        shifts.insert_cash_movement(self.conn, movement)

    def insert_user(self, user: User, pin_hash: str, at: datetime) -> None:
        users_.insert_user(self.conn, user, pin_hash, at)

    def update_user_auth(self, user_id: str, *, failed_attempts: int,
                         locked_until: datetime | None, pin_hash: str | None = None) -> None:
        users_.update_user_auth(self.conn, user_id, failed_attempts=failed_attempts,
                                locked_until=locked_until, pin_hash=pin_hash)

    def update_user_profile(self, user_id: str, *, name: str, role: Role, active: bool) -> None:
        users_.update_user_profile(self.conn, user_id, name=name, role=role, active=active)

    def insert_fiscal_result(self, result: FiscalResult, document_type: str) -> None:
        self.conn.execute(
            "INSERT INTO fiscal_results (document_id, document_type, fiscal_number, fiscal_date, "
            "verification_url, device_id, extra, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (result.document_id, document_type, result.fiscal_number,
             result.fiscal_date.isoformat(), result.verification_url, result.device_id,
             json.dumps(result.extra, ensure_ascii=False) if result.extra else None,
             result.recorded_at.isoformat()))

    def save_settings(self, data: Mapping[str, Any]) -> None:
        self.conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('till', ?)",
                          (json.dumps(dict(data), ensure_ascii=False),))


class SqliteStorage:
    """The till store at ``path`` (created and migrated on first open)."""

    def __init__(self, path: Path | str, *, fold: bool | None = None) -> None:
        self.db = Database(path, fold=fold)
        with map_sqlite_errors("open store"):
            row = self._r().execute("SELECT value FROM meta WHERE key = 'fts_fold'").fetchone()
        self._fold = bool(row and row[0] == "python")
        """Search text is case-folded in Python (this SQLite's tokenizer cannot)."""

    @property
    def path(self) -> Path:
        return self.db.path

    def _r(self) -> sqlite3.Connection:
        return self.db.reader()

    @contextmanager
    def transaction(self, *, durable: bool) -> Iterator[SqliteTx]:
        with self.db.write(durable=durable) as conn:
            yield SqliteTx(conn)

    def close(self) -> None:
        self.db.close()

    # -- settings ------------------------------------------------------------------------------

    def load_settings(self) -> dict[str, Any] | None:
        with map_sqlite_errors("settings"):
            row = self._r().execute("SELECT value FROM settings WHERE key = 'till'").fetchone()
        return json.loads(row[0]) if row else None

    # -- catalog -------------------------------------------------------------------------------

    # Scan-path lookups read through the writer (warm cache); see ``Database.primary``.

    def find_by_barcode(self, code: str) -> Product | None:
        with self.db.primary() as conn, map_sqlite_errors("barcode lookup"):
            return catalog.find_by_barcode(conn, code)

    def find_by_plu(self, plu: str) -> Product | None:
        with self.db.primary() as conn, map_sqlite_errors("plu lookup"):
            return catalog.find_by_plu(conn, plu)

    def product_by_sku(self, sku: str) -> Product | None:
        with self.db.primary() as conn, map_sqlite_errors("sku lookup"):
            return catalog.product_by_sku(conn, sku)

    def barcodes_of(self, product_id: int) -> list[str]:
        with map_sqlite_errors("barcodes"):
            return catalog.barcodes_of(self._r(), product_id)

    def search_products(self, query: str, limit: int) -> list[Product]:
        with map_sqlite_errors("search"):
            return catalog.search(self._r(), search_terms(query, fold=self._fold),
                                  name_key(query), limit)

    def catalog_count(self) -> int:
        with map_sqlite_errors("catalog count"):
            return catalog.catalog_count(self._r())

    def categories(self) -> list[Category]:
        with map_sqlite_errors("categories"):
            return catalog.categories(self._r())

    def load_catalog(self, records: Iterable[ProductRecord], *, replace: bool,
                     batch_size: int = 50_000) -> ImportResult:
        """Bulk load.

        * ``replace=True`` (or an empty catalog): one transaction replacing every product;
          indexes and the FTS index are built once at the end.
        * a big update (a full batch, or more than 5% of the catalog): one transaction of
          upserts by SKU, then one FTS rebuild.
        * a small update: upserts with per-row FTS maintenance, 1,000 per transaction.
        """
        if replace or self.catalog_count() == 0:
            with self.db.bulk() as conn, map_sqlite_errors("catalog load"):
                return catalog.bulk_load(conn, records, batch_size=batch_size)
        it = iter(records)
        first = list(islice(it, batch_size))
        if len(first) >= max(1000, min(batch_size, self.catalog_count() // 20)):
            with self.db.bulk() as conn, map_sqlite_errors("catalog upsert"):
                return catalog.bulk_upsert(conn, chain(first, it), batch_size=batch_size)
        ins = upd = 0
        seconds = 0.0
        for start in range(0, len(first), 1000):
            res = self.apply_catalog_changes(first[start:start + 1000], (), cursor=None)
            ins, upd, seconds = ins + res.inserted, upd + res.updated, seconds + res.seconds
        return ImportResult(ins, upd, 0, seconds)

    def apply_catalog_changes(self, upserts: Sequence[ProductRecord], deletes: Sequence[str], *,
                              cursor: str | None,
                              categories: Sequence[Category] = ()) -> ImportResult:
        """One page of the cloud's change feed, applied atomically with its cursor."""
        with self.db.write(durable=True) as conn:
            res = catalog.apply_changes(conn, upserts, deletes, categories_=categories)
            if cursor is not None:
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('catalog_cursor', ?)",
                             (cursor,))
        return res

    def catalog_cursor(self) -> str | None:
        with map_sqlite_errors("catalog cursor"):
            row = self._r().execute(
                "SELECT value FROM meta WHERE key = 'catalog_cursor'").fetchone()
        return row[0] if row else None

    # -- carts and receipts --------------------------------------------------------------------

    def open_carts(self, *, now: datetime, cash_step: int) -> list[Cart]:
        with map_sqlite_errors("open carts"):
            return sales.open_carts(self._r(), now=now, cash_step=cash_step)

    def receipt(self, receipt_id: str) -> Receipt | None:
        with map_sqlite_errors("receipt"):
            return sales.load_receipt(self._r(), "id", receipt_id)

    def receipt_by_number(self, number: str) -> Receipt | None:
        with map_sqlite_errors("receipt"):
            return sales.load_receipt(self._r(), "number", number)

    def receipts(self, *, shift_id: str | None, limit: int, offset: int) -> list[Receipt]:
        with map_sqlite_errors("receipts"):
            conn = self._r()
            where = "status = 'completed'" + (" AND shift_id = ?" if shift_id else "")
            args: tuple[Any, ...] = ((shift_id,) if shift_id else ()) + (limit, offset)
            ids = [r[0] for r in conn.execute(
                f"SELECT id FROM receipts WHERE {where} ORDER BY completed_at DESC, id DESC "
                "LIMIT ? OFFSET ?", args)]
            return [r for rid in ids if (r := sales.load_receipt(conn, "id", rid))]

    def returned_amounts(self, original_id: str) -> dict[int, ReturnedAmounts]:
        with map_sqlite_errors("returned amounts"):
            return sales.returned_amounts(self._r(), original_id)

    def refunded_by_kind(self, original_id: str) -> dict[str, int]:
        with map_sqlite_errors("refunds"):
            return sales.refunded_by_kind(self._r(), original_id)

    def document_type(self, document_id: str) -> str | None:
        """``receipt``, ``cash_movement`` or ``shift`` for a completed document id."""
        with map_sqlite_errors("document"):
            conn = self._r()
            if conn.execute("SELECT 1 FROM receipts WHERE id = ? AND status = 'completed'",
                            (document_id,)).fetchone():
                return "receipt"
            if conn.execute("SELECT 1 FROM cash_movements WHERE id = ?",
                            (document_id,)).fetchone():
                return "cash_movement"
            if conn.execute("SELECT 1 FROM shifts WHERE id = ?", (document_id,)).fetchone():
                return "shift"
            return None

    def fiscal_result(self, document_id: str) -> FiscalResult | None:
        with map_sqlite_errors("fiscal result"):
            f = self._r().execute(
                "SELECT document_id, fiscal_number, fiscal_date, recorded_at, verification_url, "
                "device_id, extra FROM fiscal_results WHERE document_id = ?",
                (document_id,)).fetchone()
        return sales.fiscal_from_row(f) if f else None

    # -- shifts --------------------------------------------------------------------------------

    def current_shift(self) -> Shift | None:
        with self.db.primary() as conn, map_sqlite_errors("shift"):
            return shifts.current_shift(conn)

    def shift_by_number(self, number: int) -> Shift | None:
        with map_sqlite_errors("shift"):
            return shifts.shift_by_number(self._r(), number)

    def last_shift(self) -> Shift | None:
        with map_sqlite_errors("shift"):
            return shifts.last_shift(self._r())

    def shift_totals(self, shift_id: str) -> ShiftTotals:
        with map_sqlite_errors("shift totals"):
            return shifts.shift_totals(self._r(), shift_id)

    def stored_z_report(self, shift_id: str) -> dict[str, Any] | None:
        with map_sqlite_errors("z report"):
            return shifts.stored_z_report(self._r(), shift_id)

    def cash_movements(self, shift_id: str) -> list[CashMovement]:
        with map_sqlite_errors("cash movements"):
            return shifts.cash_movements(self._r(), shift_id)

    # -- users ---------------------------------------------------------------------------------

    def user_by_login(self, login: str) -> tuple[User, str] | None:
        with map_sqlite_errors("user"):
            return users_.user_by_login(self._r(), login)

    def user_by_id(self, user_id: str) -> User | None:
        with map_sqlite_errors("user"):
            return users_.user_by_id(self._r(), user_id)

    def users(self) -> list[User]:
        with map_sqlite_errors("users"):
            return users_.users(self._r())

    # -- outbox --------------------------------------------------------------------------------

    def outbox_after(self, seq: int, limit: int) -> list[OutboxEvent]:
        with map_sqlite_errors("outbox"):
            return outbox.after(self._r(), seq, limit)

    def unfiscalised_events(self, after_seq: int, types: tuple[str, ...],
                            limit: int) -> list[OutboxEvent]:
        with map_sqlite_errors("outbox"):
            return outbox.unfiscalised(self._r(), after_seq, types, limit)

    def iter_outbox(self) -> Iterator[OutboxEvent]:
        with map_sqlite_errors("outbox"):
            yield from outbox.iterate(self._r())

    def ack_outbox(self, up_to_seq: int) -> int:
        with self.db.write(durable=True) as conn:
            return outbox.ack(conn, up_to_seq)

    def prune_outbox(self, before: datetime) -> int:
        with self.db.write(durable=True) as conn:
            return outbox.prune_acked(conn, before)

    def outbox_stats(self) -> OutboxStats:
        with map_sqlite_errors("outbox"):
            return outbox.stats(self._r())

    # -- support -------------------------------------------------------------------------------

    def doctor(self, *, quick: bool = False) -> DoctorReport:
        """Integrity checks on a private connection (the FTS check needs a writable one)."""
        with map_sqlite_errors("doctor"):
            conn = connect(self.path, _DOCTOR_PRAGMAS)
            try:
                return run_doctor(conn, quick=quick)
            finally:
                conn.close()

    def fingerprint(self) -> dict[str, int]:
        """Row counts and total changes per table: a cheap "did anything change?" probe."""
        with map_sqlite_errors("fingerprint"):
            conn = self._r()
            tables = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'products_fts%' AND name NOT LIKE 'sqlite_%'")]
            out = {}
            for t in tables:
                out[t] = hash(tuple(conn.execute(f"SELECT * FROM {t}").fetchall()))
            return out
