"""The store's error tree; ``sqlite3`` errors never leave the store package.

::

    StoreError                  SYS_DATABASE_ERROR   503
    ├── StoreBusy               another process holds the write lock too long
    ├── StoreCorrupt            the file is not a sound SQLite database
    ├── SchemaTooNew            the store was written by a newer till version
    └── ImmutableRecord         a completed receipt or journal entry cannot change
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from shared.errors import TillbridgeError

__all__ = [
    "ImmutableRecord",
    "SchemaTooNew",
    "StoreBusy",
    "StoreCorrupt",
    "StoreError",
    "map_sqlite_errors",
]


class StoreError(TillbridgeError):
    """The till store failed."""

    code = "SYS_DATABASE_ERROR"


class StoreBusy(StoreError):
    """The till store is busy (locked by another writer); try again."""


class StoreCorrupt(StoreError):
    """The till store file is damaged or not a database."""


class SchemaTooNew(StoreError):
    """The till store was written by a newer version of Tillbridge."""


class ImmutableRecord(StoreError):
    """Completed receipts and journal entries cannot be changed."""

    code = "BIZ_DOCUMENT_FINALIZED"


@contextmanager
def map_sqlite_errors(what: str) -> Iterator[None]:
    """Turn ``sqlite3`` exceptions into the store tree, keeping the cause."""
    try:
        yield
    except sqlite3.IntegrityError as exc:
        if "immutable" in str(exc) or "append-only" in str(exc):
            raise ImmutableRecord(f"{what}: {exc}") from exc
        raise StoreError(f"{what}: {exc}") from exc
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if "locked" in text or "busy" in text:
            raise StoreBusy(f"{what}: {text}") from exc
        raise StoreError(f"{what}: {text}") from exc
    except sqlite3.DatabaseError as exc:
        raise StoreCorrupt(f"{what}: {exc}") from exc
