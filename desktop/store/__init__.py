"""The till store: SQLite (WAL) schema, versioned migrations and repositories.

Only this package touches SQL. ``SqliteStorage`` implements the core's ``Storage`` port; see
``desktop/core/__init__.py`` for the durability rules and ``desktop.store.schema`` for tables.
"""

from __future__ import annotations

from desktop.store.errors import (
    ImmutableRecord,
    SchemaTooNew,
    StoreBusy,
    StoreCorrupt,
    StoreError,
)
from desktop.store.storage import SqliteStorage, SqliteTx

__all__ = [
    "ImmutableRecord",
    "SchemaTooNew",
    "SqliteStorage",
    "SqliteTx",
    "StoreBusy",
    "StoreCorrupt",
    "StoreError",
]
