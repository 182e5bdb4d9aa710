"""What sync needs from a till, as ``typing.Protocol`` ports; the till implements them.

Sync owns the protocol logic — which event to send next and what the cloud's answer
acknowledges, how a feed page or snapshot decodes, what of a page to apply and in which order
(:mod:`sync.feed`) — and reaches the till only through these ports. The till's adapter is
``desktop.sync_ports.TillSyncPorts`` (over its ``Till`` façade); tests may pass any object with
the same methods. The cloud side has no port here: its services (``cloud.services.sync``) call
the protocol's codec directly.

Ports (each one role, all together :class:`TillPorts`):

* :class:`TillOutbox` — the journal the client pushes: read after a seq, acknowledge through
  a seq, count what waits;
* :class:`TillCatalog` — the feed cursor, a :class:`ProductReader` that turns feed products
  into the till's own checked records, one page or one snapshot applied atomically with its
  cursor;
* :class:`TillUsers` — the cloud's users (:class:`UserUpdate`) applied in one transaction;
* :class:`TillSetup` — the cloud's store and till rows turned into the till's settings.

Product records are opaque to sync (:data:`Record`): it only carries them from the reader back
to the same till's ``apply_products``/``load_snapshot``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeAlias

__all__ = [
    "REVOKED_PIN",
    "OutboxCounts",
    "OutboxEntry",
    "ProductReader",
    "Record",
    "TillCatalog",
    "TillOutbox",
    "TillPorts",
    "TillSetup",
    "TillUsers",
    "UserUpdate",
]

Record: TypeAlias = Any
"""A product as the till stores it (made by its :class:`ProductReader`; opaque to sync)."""

REVOKED_PIN = "!revoked-by-cloud"
"""Stored instead of a PIN hash for a user the cloud removed (or sent without one): no PIN can
match it."""


class OutboxEntry(Protocol):
    """One journal event as the till hands it to sync."""

    @property
    def seq(self) -> int: ...
    @property
    def event_id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def aggregate_id(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def payload(self) -> dict[str, Any]: ...


class OutboxCounts(Protocol):
    """Where the till's journal stands."""

    @property
    def last_seq(self) -> int: ...
    @property
    def acked_through(self) -> int: ...
    @property
    def pending(self) -> int: ...


class TillOutbox(Protocol):
    """The journal the client pushes, in ``seq`` order."""

    def outbox_after(self, seq: int, limit: int) -> Sequence[OutboxEntry]:
        """Up to ``limit`` events with a seq above ``seq``, in order."""
        ...

    def ack_outbox(self, up_to_seq: int) -> int:
        """Mark events through ``up_to_seq`` acknowledged by the cloud; returns how many."""
        ...

    def outbox_stats(self) -> OutboxCounts: ...


class ProductReader(Protocol):
    """Feed products into the till's records, checked against its settings as they were when
    the reader was made. A product the till refuses raises ``ValueError``, ``KeyError`` or
    ``TypeError``; sync skips and counts it."""

    def from_data(self, data: Mapping[str, Any]) -> Record:
        """A product from its feed object (``Change.data``)."""
        ...

    def from_row(self, row: Sequence[Any]) -> Record:
        """A product from a snapshot row in :data:`sync.protocol.PRODUCT_FIELDS` order."""
        ...


class TillCatalog(Protocol):
    """The till's catalog as the feed writes it; the cursor moves only with what it covers."""

    def catalog_cursor(self) -> str | None:
        """The cursor stored with the last applied page (``None``: never pulled)."""
        ...

    def product_reader(self) -> ProductReader: ...

    def apply_products(self, upserts: Sequence[Record], deletes: Sequence[str], *,
                       cursor: str | None) -> tuple[int, int]:
        """Upsert and delete by SKU and store ``cursor``, in one transaction; returns
        (products written, products deleted)."""
        ...

    def load_snapshot(self, products: Iterable[Record]) -> int:
        """Replace the whole catalog in one transaction (rolled back if ``products`` raises);
        returns how many were loaded. The cursor is stored afterwards by ``apply_products``."""
        ...


@dataclass(frozen=True)
class UserUpdate:
    """One till user as the cloud sends it (``till_user`` change)."""

    login: str
    removed: bool
    """The cloud deleted or deactivated the user: lock it out (inactive, no PIN matches)."""
    user_id: str = ""
    name: str = ""
    role: str = ""
    """The till decides whether it knows the role; a user with an unknown one is skipped."""
    pin_hash: str = REVOKED_PIN


class TillUsers(Protocol):
    def apply_users(self, users: Sequence[UserUpdate]) -> int:
        """Create, update or lock out ``users`` in one durable transaction, so the next login
        and the next permission check use them; returns how many changed."""
        ...


class TillSetup(Protocol):
    def apply_cloud_settings(self, store: Mapping[str, Any],
                             till: Mapping[str, Any]) -> tuple[bool, bool]:
        """Take the store and till rows (snake_case keys, see :func:`sync.settings.cloud_rows`)
        into the till's settings; returns (changed, waiting): ``waiting`` when part of the
        change (country, currency) must wait for the open shift to close."""
        ...


class TillPorts(TillOutbox, TillCatalog, TillUsers, TillSetup, Protocol):
    """Everything the sync client and runner use; ``close`` releases what the ports hold."""

    def close(self) -> None: ...
