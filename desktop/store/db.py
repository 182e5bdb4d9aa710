"""SQLite connections of the till store: one writer, per-thread readers, WAL, migrations.

Opened and migrated through ``desktop.store.sqlite`` (the rules shared with the fiscal journal
and the print queue); this module adds the store's own pragmas and connection discipline:

* WAL journal, so readers never block the writer nor each other.
* ``synchronous=FULL`` for durable commits (a sale the cashier saw completed survives power
  loss); ``NORMAL`` for cart edits, which stay atomic and are fsynced by the next durable
  commit. The pragma is switched per transaction on the single writer connection.
* One writer connection guarded by a lock; every write is ``BEGIN IMMEDIATE … COMMIT``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop.core.search_rank import name_key
from desktop.store.errors import SchemaTooNew, StoreError, map_sqlite_errors
from desktop.store.schema import FTS_TOKENIZER, MIGRATIONS, NAME_KEY_FUNCTION, SCHEMA_VERSION
from desktop.store.sqlite import Pragmas, connect, migrate, user_version

__all__ = ["Database", "fts_folds_natively"]

_PRAGMAS = Pragmas(
    busy_timeout=10.0, journal_mode="WAL", synchronous="FULL", foreign_keys=True,
    extra=("PRAGMA cache_size=-65536", "PRAGMA temp_store=MEMORY",
           "PRAGMA mmap_size=268435456"),
)
"""Every store connection's settings (``synchronous`` is then switched per write, see above)."""


def fts_folds_natively() -> bool:
    """Does this SQLite's FTS5 tokenizer fold Cyrillic case and strip Latin diacritics?"""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{FTS_TOKENIZER}')")
        conn.execute("INSERT INTO t VALUES ('ХЛІБ ҐАНОК Șosete ЄВРО')")
        probes = ("хліб", "ґанок", "sosete", "євро")
        return all(conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (f'"{p}"',))
                   .fetchone()[0] == 1 for p in probes)
    except sqlite3.OperationalError:  # no FTS5 at all
        raise StoreError("this SQLite build has no FTS5") from None
    finally:
        conn.close()


class Database:
    """Owns the connections to one store file."""

    def __init__(self, path: Path | str, *, fold: bool | None = None) -> None:
        """Open (creating and migrating) the store at ``path``.

        ``fold`` forces how a new store indexes search text: ``True`` = case-fold in Python
        (for SQLite builds whose tokenizer cannot), ``None`` = probe this SQLite.
        """
        self.path = Path(path)
        self._fold_request = fold
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._sync_full = True
        self._closed = False
        with map_sqlite_errors("open store"):
            self._writer = self._connect(check_same_thread=False)
            self._migrate()

    # -- connections -------------------------------------------------------------------------

    def _connect(self, *, check_same_thread: bool) -> sqlite3.Connection:
        return connect(self.path, _PRAGMAS, check_same_thread=check_same_thread)

    def reader(self) -> sqlite3.Connection:
        """This thread's read-only connection (sees every committed write)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise StoreError("the store is closed")
            with map_sqlite_errors("open reader"):
                # used by this thread only; closed by ``close()`` from any thread
                conn = self._connect(check_same_thread=False)
                conn.execute("PRAGMA query_only=1")
            self._local.conn = conn
            with self._readers_lock:
                self._readers.append(conn)
        return conn

    @contextmanager
    def primary(self) -> Iterator[sqlite3.Connection]:
        """The writer connection for a short read on the sale's hot path.

        A reader connection drops its page cache whenever another connection commits, and
        the till commits on every scan; the writer's cache stays warm across its own commits.
        """
        with self._lock:
            if self._closed:
                raise StoreError("the store is closed")
            yield self._writer

    @contextmanager
    def write(self, *, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction on the writer; rolled back on any exception."""
        with self._lock:
            if self._closed:
                raise StoreError("the store is closed")
            conn = self._writer
            with map_sqlite_errors("write"):
                if durable != self._sync_full:
                    conn.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
                    self._sync_full = durable
                conn.execute("BEGIN IMMEDIATE")
            try:
                with map_sqlite_errors("write"):
                    yield conn
                    conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    @contextmanager
    def bulk(self) -> Iterator[sqlite3.Connection]:
        """The writer with a big cache for a bulk load (caller manages transactions)."""
        with self._lock:
            conn = self._writer
            with map_sqlite_errors("bulk"):
                conn.execute("PRAGMA cache_size=-524288")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                conn.execute("PRAGMA cache_size=-65536")

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            with self._readers_lock:
                for conn in self._readers:
                    conn.close()
                self._readers.clear()
            try:
                self._writer.execute("PRAGMA optimize")
            except sqlite3.Error:
                pass
            self._writer.close()

    # -- schema ------------------------------------------------------------------------------

    def _migrate(self) -> None:
        conn = self._writer
        version = user_version(conn)
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(f"store schema {version} is newer than this till's "
                               f"{SCHEMA_VERSION}")
        conn.create_function(NAME_KEY_FUNCTION, 1, name_key, deterministic=True)
        migrate(conn, MIGRATIONS)
        if version == 0:
            native = (fts_folds_natively() if self._fold_request is None
                      else not self._fold_request)
            with self.write() as w:
                w.execute("INSERT OR REPLACE INTO meta VALUES ('fts_fold', ?)",
                          ("native" if native else "python",))

    @property
    def schema_version(self) -> int:
        return user_version(self.reader())
