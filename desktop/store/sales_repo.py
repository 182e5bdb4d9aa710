"""Receipts repository: open carts (receipts with status ``open``), completion, returns, reads.

A cart's lines and payments are rows from the first scan on, so a crash never loses a basket.
Completion writes the final amounts and flips the status in the same transaction as the
outbox event; triggers make completed receipts, their lines and payments immutable.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from decimal import Decimal
from typing import Any

from desktop.core.cart import Cart, CartLine, Discount, DiscountKind
from desktop.core.errors import CartNotFound, ShiftClosed
from desktop.core.payments import CardDetails, Payment, PaymentKind
from desktop.core.ports import ReturnedAmounts
from desktop.core.quantity import Unit, from_milli, to_milli
from desktop.core.receipt import FiscalResult, Receipt, ReceiptKind, ReceiptLine, VatLine

__all__ = [
    "cancel_cart",
    "complete_sale",
    "delete_payment",
    "insert_cart",
    "insert_line",
    "insert_payment",
    "insert_return",
    "load_receipt",
    "next_document_seq",
    "open_carts",
    "refunded_by_kind",
    "returned_amounts",
    "set_cart_discount",
    "update_line",
]

_UNITS = {u.value: u for u in Unit}


def _ts(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _disc(kind: str | None, value: str | None) -> Discount | None:
    return Discount(DiscountKind(kind), Decimal(value)) if kind and value else None


# -- carts ---------------------------------------------------------------------------------------


def insert_cart(conn: sqlite3.Connection, cart: Cart) -> None:
    conn.execute("INSERT INTO receipts (id, kind, status, cashier_id, cashier_name, opened_at, "
                 "country, currency) VALUES (?, 'sale', 'open', ?, ?, ?, ?, ?)",
                 (cart.id, cart.cashier_id, cart.cashier_name, cart.opened_at.isoformat(),
                  cart.country, cart.currency))


_LINE_COLS = ("receipt_id, line_no, product_id, sku, name, unit, vat_group, excise_flag, code, "
              "barcode, age_restricted, quantity, list_price, unit_price, fixed_gross, "
              "discount_kind, discount_value, discount_by, price_override_by, voided, voided_by, "
              "excise_stamps, added_at")


def _line_values(cart_id: str, ln: CartLine) -> tuple[Any, ...]:
    d = ln.discount
    return (cart_id, ln.line_no, ln.product_id, ln.sku, ln.name, ln.unit.value, ln.vat_group,
            int(ln.excise), ln.code, ln.barcode, int(ln.age_restricted), to_milli(ln.quantity),
            ln.list_price, ln.unit_price, ln.fixed_gross, d.kind.value if d else None,
            str(d.value) if d else None, ln.discount_by, ln.price_override_by, int(ln.voided),
            ln.voided_by, json.dumps(list(ln.excise_stamps)) if ln.excise_stamps else None,
            ln.added_at.isoformat())


def insert_line(conn: sqlite3.Connection, cart_id: str, line: CartLine) -> None:
    conn.execute(f"INSERT INTO receipt_lines ({_LINE_COLS}) VALUES "
                 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 _line_values(cart_id, line))


def update_line(conn: sqlite3.Connection, cart_id: str, line: CartLine) -> None:
    d = line.discount
    cur = conn.execute(
        "UPDATE receipt_lines SET quantity = ?, unit_price = ?, discount_kind = ?, "
        "discount_value = ?, discount_by = ?, price_override_by = ?, voided = ?, voided_by = ? "
        "WHERE receipt_id = ? AND line_no = ?",
        (to_milli(line.quantity), line.unit_price, d.kind.value if d else None,
         str(d.value) if d else None, line.discount_by, line.price_override_by,
         int(line.voided), line.voided_by, cart_id, line.line_no))
    if cur.rowcount != 1:
        raise CartNotFound(details={"cart_id": cart_id, "line_no": line.line_no})


def set_cart_discount(conn: sqlite3.Connection, cart_id: str, discount: Discount | None,
                      by: str | None) -> None:
    conn.execute("UPDATE receipts SET discount_kind = ?, discount_value = ?, discount_by = ? "
                 "WHERE id = ? AND status = 'open'",
                 (discount.kind.value if discount else None,
                  str(discount.value) if discount else None, by, cart_id))


def insert_payment(conn: sqlite3.Connection, receipt_id: str, p: Payment) -> None:
    c = p.card
    conn.execute("INSERT INTO payments (id, receipt_id, kind, amount, tendered, change, rounding, "
                 "rrn, auth_code, masked_pan, terminal_id, brand, created_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (p.id, receipt_id, p.kind.value, p.amount, p.tendered, p.change, p.rounding,
                  c.rrn if c else None, c.auth_code if c else None, c.masked_pan if c else None,
                  c.terminal_id if c else None, c.brand if c else None,
                  p.created_at.isoformat()))


def delete_payment(conn: sqlite3.Connection, receipt_id: str, payment_id: str) -> None:
    conn.execute("DELETE FROM payments WHERE id = ? AND receipt_id = ?", (payment_id, receipt_id))


def cancel_cart(conn: sqlite3.Connection, cart_id: str, at: datetime, by: str | None,
                shift_id: str | None) -> None:
    """Mark a cart cancelled (kept for audit); an empty cart is simply deleted."""
    if not conn.execute("SELECT 1 FROM receipt_lines WHERE receipt_id = ? LIMIT 1",
                        (cart_id,)).fetchone():
        cur = conn.execute("DELETE FROM receipts WHERE id = ? AND status = 'open'", (cart_id,))
        if cur.rowcount != 1:
            raise CartNotFound(details={"cart_id": cart_id})
        return
    cur = conn.execute("UPDATE receipts SET status = 'cancelled', completed_at = ?, "
                       "cancelled_by = ?, shift_id = ? WHERE id = ? AND status = 'open'",
                       (at.isoformat(), by, shift_id, cart_id))
    if cur.rowcount != 1:
        raise CartNotFound(details={"cart_id": cart_id})


def _payment(row: tuple[Any, ...]) -> Payment:
    card = (CardDetails(row[7], row[8], row[9], row[10], row[11])
            if row[2] == "card" else None)
    return Payment(row[0], PaymentKind(row[2]), row[3], datetime.fromisoformat(row[12]),
                   tendered=row[4], change=row[5], rounding=row[6], card=card)


def _payments(conn: sqlite3.Connection, receipt_id: str) -> tuple[Payment, ...]:
    rows = conn.execute("SELECT id, receipt_id, kind, amount, tendered, change, rounding, rrn, "
                        "auth_code, masked_pan, terminal_id, brand, created_at FROM payments "
                        "WHERE receipt_id = ? ORDER BY created_at, id", (receipt_id,))
    return tuple(_payment(r) for r in rows)


def _cart_line(r: tuple[Any, ...]) -> CartLine:
    return CartLine(
        line_no=r[1], product_id=r[2], sku=r[3], name=r[4], unit=_UNITS[r[5]], vat_group=r[6],
        excise=bool(r[7]), code=r[8], barcode=r[9], age_restricted=bool(r[10]),
        quantity=from_milli(r[11]), list_price=r[12], unit_price=r[13], fixed_gross=r[14],
        discount=_disc(r[15], r[16]), discount_by=r[17], price_override_by=r[18],
        voided=bool(r[19]), voided_by=r[20],
        excise_stamps=tuple(json.loads(r[21])) if r[21] else (),
        added_at=datetime.fromisoformat(r[22]))


def open_carts(conn: sqlite3.Connection, *, now: datetime, cash_step: int) -> list[Cart]:
    carts = []
    heads = conn.execute("SELECT id, cashier_id, cashier_name, opened_at, country, currency, "
                         "discount_kind, discount_value, discount_by FROM receipts "
                         "WHERE status = 'open' AND kind = 'sale' ORDER BY opened_at, id")
    for h in heads.fetchall():
        lines = tuple(_cart_line(r) for r in conn.execute(
            f"SELECT {_LINE_COLS} FROM receipt_lines WHERE receipt_id = ? ORDER BY line_no",
            (h[0],)))
        carts.append(Cart(id=h[0], cashier_id=h[1], cashier_name=h[2],
                          opened_at=datetime.fromisoformat(h[3]), country=h[4], currency=h[5],
                          priced_at=now, cash_step=cash_step, lines=lines,
                          discount=_disc(h[6], h[7]), discount_by=h[8],
                          payments=_payments(conn, h[0])))
    return carts


# -- completion -------------------------------------------------------------------------------


def next_document_seq(conn: sqlite3.Connection, shift_id: str) -> int:
    row = conn.execute("UPDATE shifts SET documents = documents + 1 "
                       "WHERE id = ? AND status = 'open' RETURNING documents",
                       (shift_id,)).fetchone()
    if row is None:
        raise ShiftClosed(details={"shift_id": shift_id})
    return int(row[0])


def _amounts(receipt_id: str, ln: ReceiptLine) -> tuple[Any, ...]:
    return (ln.base, ln.line_discount, ln.receipt_discount, ln.gross, ln.net, ln.vat, ln.excise,
            str(ln.vat_rate), str(ln.excise_rate), receipt_id, ln.line_no)


def _header(conn: sqlite3.Connection, r: Receipt) -> None:
    cur = conn.execute(
        "UPDATE receipts SET status = 'completed', number = ?, shift_id = ?, shift_no = ?, "
        "seq = ?, completed_at = ?, subtotal = ?, discount_total = ?, total = ?, rounding = ?, "
        "paid = ?, change = ?, header = ?, footer = ?, approved_by = ? "
        "WHERE id = ? AND status = 'open'",
        (r.number, r.shift_id, r.shift_no, r.seq, r.completed_at.isoformat(), r.subtotal,
         r.discount_total, r.total, r.rounding, r.paid, r.change,
         _json_list(r.header), _json_list(r.footer), r.approved_by, r.id))
    if cur.rowcount != 1:
        raise CartNotFound(details={"cart_id": r.id})


def _json_list(items: tuple[str, ...]) -> str:
    return json.dumps(list(items), ensure_ascii=False) if items else "[]"


_AMOUNTS = ("UPDATE receipt_lines SET base = ?, line_discount = ?, receipt_discount = ?, "
            "gross = ?, net = ?, vat = ?, excise = ?, vat_rate = ?, excise_rate = ? "
            "WHERE receipt_id = ? AND line_no = ?")


def complete_sale(conn: sqlite3.Connection, r: Receipt) -> None:
    """Freeze an open cart as receipt ``r`` (its lines and payments are already rows)."""
    conn.executemany(_AMOUNTS, [_amounts(r.id, ln) for ln in r.lines])
    _header(conn, r)


def insert_return(conn: sqlite3.Connection, r: Receipt) -> None:
    conn.execute("INSERT INTO receipts (id, kind, status, cashier_id, cashier_name, opened_at, "
                 "country, currency, original_id, original_number) "
                 "VALUES (?, 'return', 'open', ?, ?, ?, ?, ?, ?, ?)",
                 (r.id, r.cashier_id, r.cashier_name, r.opened_at.isoformat(), r.country,
                  r.currency, r.original_receipt_id, r.original_number))
    for ln in r.lines:
        conn.execute(
            f"INSERT INTO receipt_lines ({_LINE_COLS}, original_line_no) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, NULL, NULL, NULL, ?, 0, NULL, NULL, "
            "?, ?)",
            (r.id, ln.line_no, ln.product_id, ln.sku, ln.name, ln.unit.value, ln.vat_group,
             int(ln.excise_rate > 0), ln.code, ln.barcode, to_milli(ln.quantity), ln.list_price,
             ln.unit_price, ln.fixed_gross, ln.price_override_by, r.opened_at.isoformat(),
             ln.original_line_no))
    conn.executemany(_AMOUNTS, [_amounts(r.id, ln) for ln in r.lines])
    for p in r.payments:
        insert_payment(conn, r.id, p)
    _header(conn, r)


# -- reads --------------------------------------------------------------------------------------

_RECEIPT_COLS = ("id, kind, number, shift_id, shift_no, seq, cashier_id, cashier_name, opened_at, "
                 "completed_at, country, currency, discount_kind, discount_value, subtotal, "
                 "discount_total, total, rounding, paid, change, header, footer, original_id, "
                 "original_number, approved_by")


def _receipt_line(r: tuple[Any, ...]) -> ReceiptLine:
    return ReceiptLine(
        line_no=r[0], sku=r[1], name=r[2], unit=_UNITS[r[3]], quantity=from_milli(r[4]),
        unit_price=r[5], list_price=r[6], base=r[7], line_discount=r[8], receipt_discount=r[9],
        gross=r[10], net=r[11], vat=r[12], excise=r[13], vat_group=r[14],
        vat_rate=Decimal(r[15]), excise_rate=Decimal(r[16]), product_id=r[17], barcode=r[18],
        code=r[19], fixed_gross=r[20], price_override_by=r[21], discount_by=r[22],
        excise_stamps=tuple(json.loads(r[23])) if r[23] else (), original_line_no=r[24])


def load_receipt(conn: sqlite3.Connection, where: str, arg: str) -> Receipt | None:
    """The completed receipt whose ``where`` column (``id`` or ``number``) equals ``arg``."""
    h = conn.execute(f"SELECT {_RECEIPT_COLS} FROM receipts WHERE {where} = ? "
                     "AND status = 'completed'", (arg,)).fetchone()
    if h is None:
        return None
    rid = h[0]
    store_code, till_code = h[2].split("-")[:2]
    lines = tuple(_receipt_line(r) for r in conn.execute(
        "SELECT line_no, sku, name, unit, quantity, unit_price, list_price, base, line_discount, "
        "receipt_discount, gross, net, vat, excise, vat_group, vat_rate, excise_rate, product_id, "
        "barcode, code, fixed_gross, price_override_by, discount_by, excise_stamps, "
        "original_line_no FROM receipt_lines WHERE receipt_id = ? AND voided = 0 "
        "ORDER BY line_no", (rid,)))
    voided = conn.execute("SELECT count(*) FROM receipt_lines WHERE receipt_id = ? AND voided = 1",
                          (rid,)).fetchone()[0]
    groups: dict[tuple[str, Decimal], list[int]] = {}
    for ln in lines:
        acc = groups.setdefault((ln.vat_group, ln.vat_rate), [0, 0, 0, 0])
        acc[0] += ln.gross
        acc[1] += ln.net
        acc[2] += ln.vat
        acc[3] += ln.excise
    vat = tuple(VatLine(g, rate, *a) for (g, rate), a in sorted(groups.items()))
    disc = _disc(h[12], h[13])
    f = conn.execute("SELECT document_id, fiscal_number, fiscal_date, recorded_at, "
                     "verification_url, device_id, extra FROM fiscal_results "
                     "WHERE document_id = ?", (rid,)).fetchone()
    return Receipt(
        id=rid, number=h[2], kind=ReceiptKind(h[1]), store_code=store_code, till_code=till_code,
        shift_id=h[3], shift_no=h[4], seq=h[5], cashier_id=h[6], cashier_name=h[7],
        opened_at=datetime.fromisoformat(h[8]), completed_at=datetime.fromisoformat(h[9]),
        country=h[10], currency=h[11], lines=lines, vat=vat, subtotal=h[14],
        discount_total=h[15], total=h[16], rounding=h[17], paid=h[18], change=h[19],
        payments=_payments(conn, rid),
        receipt_discount=f"{disc.kind.value}:{disc.value}" if disc else None,
        header=tuple(json.loads(h[20] or "[]")), footer=tuple(json.loads(h[21] or "[]")),
        original_receipt_id=h[22], original_number=h[23], approved_by=h[24],
        voided_lines=voided, fiscal=fiscal_from_row(f) if f else None)


def fiscal_from_row(f: tuple[Any, ...]) -> FiscalResult:
    return FiscalResult(f[0], f[1], datetime.fromisoformat(f[2]), datetime.fromisoformat(f[3]),
                        f[4], f[5], json.loads(f[6]) if f[6] else {})


def returned_amounts(conn: sqlite3.Connection, original_id: str) -> dict[int, ReturnedAmounts]:
    rows = conn.execute(
        "SELECT l.original_line_no, sum(l.quantity), sum(l.base), sum(l.line_discount), "
        "sum(l.receipt_discount), sum(l.gross), sum(l.net), sum(l.vat), sum(l.excise) "
        "FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.id "
        "WHERE r.original_id = ? AND r.status = 'completed' GROUP BY l.original_line_no",
        (original_id,))
    return {r[0]: ReturnedAmounts(from_milli(r[1]), *r[2:]) for r in rows}


def refunded_by_kind(conn: sqlite3.Connection, original_id: str) -> dict[str, int]:
    rows = conn.execute(
        "SELECT p.kind, sum(p.amount) FROM receipts r JOIN payments p ON p.receipt_id = r.id "
        "WHERE r.original_id = ? AND r.status = 'completed' GROUP BY p.kind", (original_id,))
    return {r[0]: int(r[1]) for r in rows}
