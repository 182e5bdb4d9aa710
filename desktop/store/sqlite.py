"""How the till opens its SQLite files and brings their schema up to date.

The till keeps three SQLite files: the store (sales journal and outbox, ``desktop.store``), the
fiscal journal (``desktop.devices.fiscal.journal``) and the device database with the print queue
(``desktop.devices.printers.store``). All three open through :func:`connect` and migrate through
:func:`migrate`, so the rules below hold in one place:

* **Crash safety is part of opening.** WAL plus ``synchronous=FULL`` is what makes a committed
  sale, a fiscal intent or a ``sending`` print job survive a crash or a power cut: the "no sale is
  lost" promise. WAL also lets readers run while the single writer commits. Each file states its
  own :class:`Pragmas` next to its schema, because each has its own needs (the store adds foreign
  keys and cache sizes; the device database sets WAL once, when it is created, and then opens a
  short-lived connection per call).
* **The busy timeout** is the ``timeout`` of :func:`sqlite3.connect` (the same setting as
  ``PRAGMA busy_timeout``): a connection waits that long for another one's lock before failing.
* **Transactions are explicit**: connections are opened with ``isolation_level=None``, and
  callers write ``BEGIN IMMEDIATE … COMMIT`` themselves.
* **Migrations are versioned by ``PRAGMA user_version``.** A file at version *n* gets every step
  numbered above *n*, in order, each in its own ``BEGIN IMMEDIATE`` transaction that also sets
  ``user_version``, so a crash mid-upgrade leaves the file at the last finished step. The version
  is read again inside the transaction: when two connections open a new file at once, the second
  finds the step done and skips it. A file newer than every step is left alone; a caller that
  must refuse it (the store does) checks :func:`user_version` first. Never edit a released step:
  append one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Migration", "Pragmas", "connect", "migrate", "user_version"]

Migration = tuple[int, str | Sequence[str]]
"""``(version, step)``: the step is one SQL script, or a sequence of single statements."""


@dataclass(frozen=True)
class Pragmas:
    """What every connection to one file sets when it opens (``None``: leave SQLite's value)."""

    busy_timeout: float
    """Seconds to wait for another connection's lock (``sqlite3.connect(timeout=…)``)."""
    journal_mode: str | None = "WAL"
    synchronous: str | None = "FULL"
    foreign_keys: bool | None = None
    extra: tuple[str, ...] = ()
    """Further ``PRAGMA`` statements (cache sizes, memory maps), run last, in order."""

    def statements(self) -> Iterator[str]:
        if self.journal_mode is not None:
            yield f"PRAGMA journal_mode={self.journal_mode}"
        if self.synchronous is not None:
            yield f"PRAGMA synchronous={self.synchronous}"
        if self.foreign_keys is not None:
            yield f"PRAGMA foreign_keys={'ON' if self.foreign_keys else 'OFF'}"
        yield from self.extra


def connect(path: Path | str, pragmas: Pragmas, *,
            check_same_thread: bool = True) -> sqlite3.Connection:
    """A connection to ``path`` in explicit-transaction mode with ``pragmas`` applied."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=pragmas.busy_timeout,
                           check_same_thread=check_same_thread)
    try:
        for statement in pragmas.statements():
            conn.execute(statement)
    except BaseException:
        conn.close()
        raise
    return conn


def user_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in the file (0 for a new file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration]) -> int:
    """Apply each step numbered above the file's version; return the version found first.

    ``migrations`` is in ascending version order. A file already at the last version takes no
    write lock.
    """
    found = user_version(conn)
    for target, step in migrations:
        if target <= found:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if user_version(conn) < target:  # not done meanwhile by another connection
                for statement in _statements(step):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version={int(target)}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return found


def _statements(step: str | Sequence[str]) -> Iterator[str]:
    """The single statements of a step.

    A script is cut at each ``;`` that ends a complete statement (``sqlite3.complete_statement``
    knows string literals, comments and trigger bodies), because ``executescript`` would commit
    the step's transaction before running it.
    """
    if not isinstance(step, str):
        yield from step
        return
    start = 0
    for end, char in enumerate(step):
        if char == ";" and sqlite3.complete_statement(step[start:end + 1]):
            yield step[start:end + 1]
            start = end + 1
    rest = step[start:]
    if rest.strip():
        yield rest  # a last statement without ``;``, or trailing comments (a no-op)
