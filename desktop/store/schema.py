"""Versioned schema migrations of the till store (``PRAGMA user_version`` holds the version).

Each migration is one SQL script applied in one transaction. Never edit a released migration:
append a new one. Amounts are integer minor units, quantities integer thousandths, timestamps
ISO-8601 UTC text, ids UUIDv7 text.
"""

from __future__ import annotations

__all__ = ["FTS_TOKENIZER", "MIGRATIONS", "NAME_KEY_FUNCTION", "SCHEMA_VERSION",
           "SECONDARY_INDEXES"]

FTS_TOKENIZER = "unicode61 remove_diacritics 2"

# SQL function the writer registers (``desktop.core.search_rank.name_key``) so that a migration
# can fill ``products.name_key`` for an existing catalog.
NAME_KEY_FUNCTION = "tillbridge_name_key"

_V1_INDEXES = (
    "CREATE UNIQUE INDEX IF NOT EXISTS products_sku ON products(sku)",
    "CREATE INDEX IF NOT EXISTS products_plu ON products(plu) WHERE plu IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS barcodes_product ON barcodes(product_id)",
)

# Catalog indexes dropped during a bulk load and rebuilt after it (sorting once is faster).
SECONDARY_INDEXES: dict[str, str] = {
    "products_sku": _V1_INDEXES[0],
    "products_plu": _V1_INDEXES[1],
    "barcodes_product": _V1_INDEXES[2],
    # search: active names in folded order, so "names starting with the query" is one range
    # read (the query must say ``active = 1`` for SQLite to use it)
    "products_name_key": "CREATE INDEX IF NOT EXISTS products_name_key "
                         "ON products(name_key, sku) WHERE active = 1",
}

_V1 = f"""
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- catalog ------------------------------------------------------------------------------------
CREATE TABLE categories (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    parent TEXT
) WITHOUT ROWID;

CREATE TABLE products (
    id             INTEGER PRIMARY KEY,
    sku            TEXT NOT NULL,
    name           TEXT NOT NULL,
    alt            TEXT,             -- extra search text: translations, apostrophe-free names
    names          TEXT,             -- JSON {{lang: name}}
    unit           TEXT NOT NULL CHECK (unit IN ('pcs', 'kg', 'l', 'm')),
    price          INTEGER NOT NULL CHECK (price >= 0),
    vat_group      TEXT NOT NULL,
    excise         INTEGER NOT NULL DEFAULT 0,
    code           TEXT,             -- UKTZED / NC
    age_restricted INTEGER NOT NULL DEFAULT 0,
    active         INTEGER NOT NULL DEFAULT 1,
    category       TEXT,
    plu            TEXT
);

CREATE TABLE barcodes (
    code       TEXT PRIMARY KEY,
    product_id INTEGER NOT NULL
) WITHOUT ROWID;
{";".join(_V1_INDEXES)};

CREATE VIRTUAL TABLE products_fts USING fts5(
    name, alt, content='products', content_rowid='id',
    tokenize='{FTS_TOKENIZER}', prefix='2 3 4'
);

-- users --------------------------------------------------------------------------------------
CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    login           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('cashier', 'store_manager')),
    pin_hash        TEXT NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    created_at      TEXT NOT NULL
) WITHOUT ROWID;

-- shifts -------------------------------------------------------------------------------------
CREATE TABLE shifts (
    id             TEXT PRIMARY KEY,
    number         INTEGER NOT NULL UNIQUE,
    status         TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    opened_at      TEXT NOT NULL,
    opened_by      TEXT NOT NULL,
    opened_by_name TEXT NOT NULL,
    opening_float  INTEGER NOT NULL CHECK (opening_float >= 0),
    documents      INTEGER NOT NULL DEFAULT 0,
    closed_at      TEXT,
    closed_by      TEXT,
    counted_cash   INTEGER,
    z_report       TEXT
) WITHOUT ROWID;
CREATE UNIQUE INDEX shifts_one_open ON shifts(status) WHERE status = 'open';

CREATE TABLE cash_movements (
    id          TEXT PRIMARY KEY,
    shift_id    TEXT NOT NULL REFERENCES shifts(id),
    kind        TEXT NOT NULL CHECK (kind IN ('in', 'out')),
    amount      INTEGER NOT NULL CHECK (amount > 0),
    reason      TEXT NOT NULL DEFAULT '',
    user_id     TEXT NOT NULL,
    approved_by TEXT,
    created_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX cash_movements_shift ON cash_movements(shift_id);

-- receipts (open carts are receipts with status 'open') ---------------------------------------
CREATE TABLE receipts (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('sale', 'return')),
    status           TEXT NOT NULL CHECK (status IN ('open', 'completed', 'cancelled')),
    number           TEXT UNIQUE,
    shift_id         TEXT REFERENCES shifts(id),
    shift_no         INTEGER,
    seq              INTEGER,
    cashier_id       TEXT NOT NULL,
    cashier_name     TEXT NOT NULL,
    opened_at        TEXT NOT NULL,
    completed_at     TEXT,
    country          TEXT NOT NULL,
    currency         TEXT NOT NULL,
    discount_kind    TEXT,
    discount_value   TEXT,
    discount_by      TEXT,
    subtotal         INTEGER,
    discount_total   INTEGER,
    total            INTEGER,
    rounding         INTEGER,
    paid             INTEGER,
    change           INTEGER,
    header           TEXT,
    footer           TEXT,
    original_id      TEXT REFERENCES receipts(id),
    original_number  TEXT,
    approved_by      TEXT,
    cancelled_by     TEXT,
    CHECK (status <> 'completed' OR (number IS NOT NULL AND total IS NOT NULL))
) WITHOUT ROWID;
CREATE INDEX receipts_open ON receipts(status) WHERE status = 'open';
CREATE INDEX receipts_shift ON receipts(shift_id, kind) WHERE status = 'completed';
CREATE INDEX receipts_original ON receipts(original_id) WHERE original_id IS NOT NULL;

CREATE TABLE receipt_lines (
    receipt_id        TEXT NOT NULL REFERENCES receipts(id),
    line_no           INTEGER NOT NULL,
    product_id        INTEGER,
    sku               TEXT NOT NULL,
    name              TEXT NOT NULL,
    unit              TEXT NOT NULL,
    vat_group         TEXT NOT NULL,
    excise_flag       INTEGER NOT NULL DEFAULT 0,
    code              TEXT,
    barcode           TEXT,
    age_restricted    INTEGER NOT NULL DEFAULT 0,
    quantity          INTEGER NOT NULL CHECK (quantity > 0),   -- thousandths
    list_price        INTEGER NOT NULL,
    unit_price        INTEGER NOT NULL CHECK (unit_price >= 0),
    fixed_gross       INTEGER,
    discount_kind     TEXT,
    discount_value    TEXT,
    discount_by       TEXT,
    price_override_by TEXT,
    voided            INTEGER NOT NULL DEFAULT 0,
    voided_by         TEXT,
    excise_stamps     TEXT,
    added_at          TEXT NOT NULL,
    original_line_no  INTEGER,
    -- final amounts, written when the receipt completes
    base              INTEGER,
    line_discount     INTEGER,
    receipt_discount  INTEGER,
    gross             INTEGER CHECK (gross IS NULL OR gross >= 0),
    net               INTEGER,
    vat               INTEGER,
    excise            INTEGER,
    vat_rate          TEXT,
    excise_rate       TEXT,
    PRIMARY KEY (receipt_id, line_no)
) WITHOUT ROWID;

CREATE TABLE payments (
    id          TEXT PRIMARY KEY,
    receipt_id  TEXT NOT NULL REFERENCES receipts(id),
    kind        TEXT NOT NULL CHECK (kind IN ('cash', 'card')),
    amount      INTEGER NOT NULL CHECK (amount >= 0),
    tendered    INTEGER,
    change      INTEGER NOT NULL DEFAULT 0,
    rounding    INTEGER NOT NULL DEFAULT 0,
    rrn         TEXT,
    auth_code   TEXT,
    masked_pan  TEXT,
    terminal_id TEXT,
    brand       TEXT,
    created_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX payments_receipt ON payments(receipt_id);

CREATE TABLE fiscal_results (
    document_id      TEXT PRIMARY KEY,
    document_type    TEXT NOT NULL,
    fiscal_number    TEXT NOT NULL,
    fiscal_date      TEXT NOT NULL,
    verification_url TEXT,
    device_id        TEXT,
    extra            TEXT,
    recorded_at      TEXT NOT NULL
) WITHOUT ROWID;

-- journal / outbox ---------------------------------------------------------------------------
CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY,
    event_id     TEXT NOT NULL UNIQUE,
    type         TEXT NOT NULL,
    aggregate_id TEXT NOT NULL,
    payload      TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    acked        INTEGER NOT NULL DEFAULT 0 CHECK (acked IN (0, 1))
);
CREATE INDEX outbox_pending ON outbox(seq) WHERE acked = 0;
CREATE INDEX outbox_aggregate ON outbox(aggregate_id);

-- immutability: completed documents and journal entries never change -------------------------
CREATE TRIGGER receipts_immutable BEFORE UPDATE ON receipts
WHEN OLD.status <> 'open'
BEGIN SELECT RAISE(ABORT, 'receipt is immutable once completed or cancelled'); END;

CREATE TRIGGER receipts_keep BEFORE DELETE ON receipts
WHEN OLD.status <> 'open'
BEGIN SELECT RAISE(ABORT, 'receipt is immutable once completed or cancelled'); END;

CREATE TRIGGER lines_insert_open BEFORE INSERT ON receipt_lines
WHEN (SELECT status FROM receipts WHERE id = NEW.receipt_id) IS NOT 'open'
BEGIN SELECT RAISE(ABORT, 'receipt lines are immutable once completed'); END;

CREATE TRIGGER lines_immutable BEFORE UPDATE ON receipt_lines
WHEN (SELECT status FROM receipts WHERE id = OLD.receipt_id) IS NOT 'open'
BEGIN SELECT RAISE(ABORT, 'receipt lines are immutable once completed'); END;

CREATE TRIGGER lines_keep BEFORE DELETE ON receipt_lines
WHEN (SELECT status FROM receipts WHERE id = OLD.receipt_id) IS NOT 'open'
BEGIN SELECT RAISE(ABORT, 'receipt lines are immutable once completed'); END;

CREATE TRIGGER payments_insert_open BEFORE INSERT ON payments
WHEN (SELECT status FROM receipts WHERE id = NEW.receipt_id) IS NOT 'open'
BEGIN SELECT RAISE(ABORT, 'payments are immutable once completed'); END;

CREATE TRIGGER payments_immutable BEFORE UPDATE ON payments
WHEN (SELECT status FROM receipts WHERE id = OLD.receipt_id) IS NOT 'open'
BEGIN SELECT RAISE(ABORT, 'payments are immutable once completed'); END;

CREATE TRIGGER payments_keep BEFORE DELETE ON payments
WHEN (SELECT status FROM receipts WHERE id = OLD.receipt_id) IS NOT 'open'
BEGIN SELECT RAISE(ABORT, 'payments are immutable once completed'); END;

CREATE TRIGGER shifts_closed_immutable BEFORE UPDATE ON shifts
WHEN OLD.status = 'closed'
BEGIN SELECT RAISE(ABORT, 'a closed shift is immutable'); END;

CREATE TRIGGER cash_movements_immutable BEFORE UPDATE ON cash_movements
BEGIN SELECT RAISE(ABORT, 'cash movements are immutable'); END;

CREATE TRIGGER fiscal_results_immutable BEFORE UPDATE ON fiscal_results
BEGIN SELECT RAISE(ABORT, 'fiscal results are immutable'); END;

CREATE TRIGGER outbox_append_only BEFORE UPDATE ON outbox
WHEN NEW.seq IS NOT OLD.seq OR NEW.event_id IS NOT OLD.event_id OR NEW.type IS NOT OLD.type
  OR NEW.payload IS NOT OLD.payload OR NEW.created_at IS NOT OLD.created_at
  OR NEW.aggregate_id IS NOT OLD.aggregate_id OR (OLD.acked = 1 AND NEW.acked = 0)
BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;

CREATE TRIGGER outbox_keep_pending BEFORE DELETE ON outbox
WHEN OLD.acked = 0
BEGIN SELECT RAISE(ABORT, 'the outbox is append-only: pending events cannot be deleted'); END;
"""

# v2: the folded name key search ranks by (``desktop.core.search_rank``), indexed.
_V2 = f"""
ALTER TABLE products ADD COLUMN name_key TEXT;
UPDATE products SET name_key = {NAME_KEY_FUNCTION}(name);
{SECONDARY_INDEXES["products_name_key"]};
"""

MIGRATIONS: tuple[tuple[int, str], ...] = ((1, _V1), (2, _V2))
SCHEMA_VERSION = MIGRATIONS[-1][0]
