"""Till core: the till's one application service layer (pure Python: no Qt, HTTP or SQL).

The PySide6 UI, the local HTTP API, printers, fiscal devices, the CLI and the sync client all
call :class:`desktop.core.till.Till`. Build it with ``desktop.app.build_till(TillConfig())``
(or ``open_till()`` as a context manager). Every method raises a
:class:`desktop.core.errors.TillError` subclass with a stable ``code`` (tree in
``desktop/core/errors.py``); storage failures raise ``desktop.store.StoreError``. Both are
``shared.errors.TillbridgeError``, so the local API renders them with one handler.

Money is int minor units, quantities ``Decimal`` (≤ 3 decimals for kg/l/m), times aware UTC.

Public API of ``Till`` (keyword-only arguments after ``*``)::

    # session and users
    login(login, pin) -> User                       # InvalidPin / AccountLocked (5 tries → 15 min)
    logout() ; current_user -> User | None
    authorize(login, pin, permission) -> Approval   # manager PIN → single-use, 2 min
    create_user(login, name, role, pin, *, approval=None) -> User   # first user: no login
    unlock_user(login, *, approval=None) ; users() -> list[User]
    settings -> TillSettings ; update_settings(*, approval=None, **changes) -> TillSettings
    apply_settings(settings, *, source) -> bool     # decided elsewhere (cloud): no approval

    # catalog
    lookup(code) -> ScanResult                      # barcode, or scale label 20–29
    product(sku) -> Product ; barcodes(sku) -> list[str]
    search(query, limit=20) -> list[Product]        # ranked: code, name prefix, word prefix
    catalog_size() -> int ; categories() -> list[Category]
    import_catalog(records, *, replace=False) -> ImportResult
    import_catalog_csv(path, *, replace=False) -> ImportResult
    apply_catalog_changes(upserts, deletes=(), *, cursor=None, categories=()) -> ImportResult
    catalog_cursor() -> str | None

    # cart (every call returns the new immutable Cart)
    new_cart() -> Cart ; cart(cart_id) -> Cart ; open_carts() -> list[Cart]
    scan(cart_id, code, quantity=None, *, age_verified=False, excise_stamps=()) -> Cart
    add_product(cart_id, sku, quantity=None, *, age_verified=False, excise_stamps=()) -> Cart
    set_quantity(cart_id, line_no, quantity, *, approval=None) -> Cart    # lower = void
    void_line(cart_id, line_no, *, approval=None, reason="") -> Cart      # manager
    override_price(cart_id, line_no, unit_price, *, approval=None, reason="") -> Cart
    discount_line(cart_id, line_no, Discount | None, *, approval=None) -> Cart
    discount_cart(cart_id, Discount | None, *, approval=None) -> Cart
    cancel_cart(cart_id, *, approval=None, reason="") -> None

    # payment and sale
    add_payment(cart_id, CashTender(tendered) | CardTender(amount, CardDetails(...))) -> Cart
    remove_payment(cart_id, payment_id) -> Cart
    complete_sale(cart_id, tenders=()) -> Receipt   # InsufficientPayment leaves it open

    # returns (manager)
    returnable(receipt_number_or_id) -> Returnable
    complete_return(receipt, [ReturnItem(line_no, qty)], refunds=None, *, approval=None,
                    reason="") -> Receipt           # refunds default: all cash

    # shifts and cash
    open_shift(opening_float=0) -> Shift ; current_shift() -> Shift | None
    cash_in(amount, reason="", *, approval=None) -> CashMovement
    cash_out(amount, reason="", *, approval=None) -> CashMovement
    drawer_balance() -> int ; cash_movements(shift_number=None) -> list[CashMovement]
    x_report() -> ShiftReport ; close_shift(counted_cash) -> ShiftReport (Z)
    z_report(shift_number=None) -> ShiftReport

    # receipts, fiscal, journal
    receipt(receipt_id) -> Receipt ; receipt_by_number(number) -> Receipt
    receipts(*, shift_number=None, limit=50, offset=0) -> list[Receipt]
    record_fiscal_result(document_id, *, fiscal_number, fiscal_date, verification_url=None,
                         device_id=None, extra=None) -> FiscalResult
    fiscal_result(document_id) -> FiscalResult | None
    outbox_after(seq=0, limit=500) -> list[OutboxEvent] ; ack_outbox(up_to_seq) -> int
    outbox_stats() -> OutboxStats
    doctor(*, quick=False) -> DoctorReport ; close()

Rules worth knowing
-------------------
* **Permissions.** ``cashier``: sell, shifts, cash in/out. ``store_manager``: also voids,
  lowering quantities, price overrides, discounts above ``cashier_max_discount_percent``,
  cancelling carts with lines, returns, users and settings. When the logged-in user lacks a
  permission, pass ``approval=till.authorize(manager_login, pin, Permission.X)``; the approver
  is recorded on the fact and in its event.
* **Shifts.** Sales, returns and cash movements need an open shift younger than
  ``shift_max_hours`` (24 h by default, per country; ``ShiftExpired`` until closed). Receipts
  are numbered ``<store>-<till>-<shift:04>-<seq:04>`` with ``seq`` gap-free per shift.
* **Cash rounding.** With ``cash_rounding`` 10 (Ukraine) a cash payment settles the amount due
  rounded half-up to 0.10; the difference is ``Payment.rounding`` / ``Receipt.rounding``
  (``payable = total + rounding``). Card payments are exact and never exceed the amount due.
* **Catalog loads.** ``import_catalog(replace=True)`` (or into an empty catalog) replaces all
  products in one transaction and builds indexes and the FTS5 index once; a big update of a
  live catalog upserts by SKU in one transaction with one FTS rebuild; small updates and sync
  pages maintain the index row by row. Invalid data (``InvalidCatalogData``) changes nothing.
  Search is diacritics-, case- (Latin and Cyrillic) and apostrophe-insensitive, best match
  first: exact barcode/SKU/PLU, names starting with the query, names with a word starting
  with it, then FTS5 relevance; ties by name, then SKU (``desktop.core.search_rank``).
* **Durability.** Cart edits commit with ``synchronous=NORMAL`` (atomic; a power cut may lose
  the last scans). Everything journalled — sale and return completion, payments, voids, price
  overrides, cancellations, shifts, cash movements, fiscal results, lockouts — commits with
  ``synchronous=FULL`` together with its outbox event. Open carts survive restarts.

Receipt model (for printers and fiscal devices)
-----------------------------------------------
``Receipt``: ``id`` (UUIDv7), ``number``, ``kind`` (sale/return), ``store_code``,
``till_code``, ``shift_no``, ``seq``, ``cashier_id``/``cashier_name``, ``opened_at``,
``completed_at``, ``country``, ``currency``, ``lines``, ``vat`` (``VatLine`` per group and
rate: gross, net, vat, excise), ``subtotal``, ``discount_total``, ``receipt_discount``,
``total``, ``rounding``, ``payable``, ``paid``, ``change``, ``payments``, ``header``,
``footer``, ``original_receipt_id``/``original_number`` (returns), ``approved_by``, ``fiscal``.
``ReceiptLine``: ``line_no``, ``sku``, ``name`` (in the till's language), ``unit``,
``quantity`` (Decimal), ``unit_price``, ``list_price``, ``base``, ``line_discount``,
``receipt_discount``, ``gross`` (what the line costs), ``net``, ``vat``, ``excise``,
``vat_group``, ``vat_rate``, ``excise_rate``, ``barcode``, ``code`` (UKTZED/NC),
``excise_stamps``, ``original_line_no``. ``Payment``: ``kind`` (cash/card), ``amount``,
``tendered``, ``change``, ``rounding``, ``card`` (``rrn``, ``auth_code``, ``masked_pan``,
``terminal_id``, ``brand``). ``Receipt.to_payload()`` is the JSON form.

Fiscal devices: after printing, call ``record_fiscal_result(receipt.id, fiscal_number=...,
fiscal_date=..., verification_url=..., device_id=...)``; it also accepts a cash movement id or
a shift id (Z report). It is idempotent for equal values and writes a ``fiscal.recorded``
outbox event in the same transaction.

Outbox events (``OutboxEvent.type`` → ``payload``; every payload has ``till``)
---------------------------------------------------------------------------------
``sale.completed`` / ``return.completed`` → ``{"receipt": Receipt.to_payload()}`` (+ reason);
``shift.opened`` → shift fields; ``shift.closed`` → ``{"z_report": ShiftReport.to_payload()}``;
``cash.deposited`` / ``cash.withdrawn``; ``line.voided``; ``price.overridden``;
``sale.cancelled``; ``fiscal.recorded``; ``user.created``; ``user.locked``;
``settings.changed``. ``seq`` is gap-free per till; ``event_id`` is a UUIDv7. Sync reads with
``outbox_after(seq, limit)`` and acknowledges with ``ack_outbox(up_to_seq)``; catalog pages
arrive through ``apply_catalog_changes(upserts, deletes, cursor=...)``, which stores the
cursor in the same transaction (``catalog_cursor()`` reads it back).
"""

from __future__ import annotations

from desktop.core.barcodes import ScaleValue, WeightedLayout
from desktop.core.cart import Cart, CartLine, Discount, DiscountKind
from desktop.core.catalog import Category, ImportResult, Product, ProductRecord, ScanResult
from desktop.core.outbox import OutboxEvent, OutboxStats
from desktop.core.payments import CardDetails, CardTender, CashTender, Payment, PaymentKind
from desktop.core.quantity import Unit
from desktop.core.receipt import FiscalResult, Receipt, ReceiptKind, ReceiptLine, VatLine
from desktop.core.returns import Returnable, ReturnItem
from desktop.core.settings import TillSettings
from desktop.core.shifts import CashMovement, Shift, ShiftReport
from desktop.core.till import Till
from desktop.core.users import Approval, Permission, PinHasher, Role, User
from shared.events import EventType

__all__ = [
    "Approval",
    "CardDetails",
    "CardTender",
    "Cart",
    "CartLine",
    "CashMovement",
    "CashTender",
    "Category",
    "Discount",
    "DiscountKind",
    "EventType",
    "FiscalResult",
    "ImportResult",
    "OutboxEvent",
    "OutboxStats",
    "Payment",
    "PaymentKind",
    "Permission",
    "PinHasher",
    "Product",
    "ProductRecord",
    "Receipt",
    "ReceiptKind",
    "ReceiptLine",
    "ReturnItem",
    "Returnable",
    "Role",
    "ScaleValue",
    "ScanResult",
    "Shift",
    "ShiftReport",
    "Till",
    "TillSettings",
    "Unit",
    "User",
    "VatLine",
    "WeightedLayout",
]
