"""Till side of the pull: decide what of the cloud's changes to apply, and in which order.

A page is applied through the till's ports (:mod:`sync.ports`) in this order, each step
idempotent, so a crash anywhere repeats at most the page and never skips it:

1. till users (name, role, PIN hash, active flag; :class:`~sync.ports.UserUpdate`), one
   durable transaction (:meth:`~sync.ports.TillUsers.apply_users`): the next login uses them,
   and a logged-in user's next permission check reads the new role;
2. store/till settings: into the till's settings
   (:meth:`~sync.ports.TillSetup.apply_cloud_settings`, so the next receipt and a restart use
   them), then into the enrollment file
   (``cloud_config``); a change that must wait for the shift to close is tried again with
   every later page;
3. products (upserts by SKU, deletes by SKU) with the page's cursor, in one transaction
   (:meth:`~sync.ports.TillCatalog.apply_products`): the cursor moves only with the products it
   covers.

The changes reach whichever till the ports wrap: the cashier window hands the runner its own,
so they apply to the running till without a restart.

Within a page the last change of a SKU wins. A product a till cannot accept (its
:class:`~sync.ports.ProductReader` refuses it) is skipped and counted — and deleted, so a stale
copy does not linger — so one bad row cannot stall the feed forever.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pydantic_core
import structlog

from sync import state
from sync.errors import BadResponse
from sync.ports import (
    REVOKED_PIN,
    ProductReader,
    Record,
    TillCatalog,
    TillPorts,
    TillSetup,
    TillUsers,
    UserUpdate,
)
from sync.protocol import (
    PRODUCT_FIELDS,
    Change,
    SnapshotEnd,
    SnapshotHeader,
    check_version,
    product_from_row,
)
from sync.settings import WAITING, cloud_rows

__all__ = [
    "Applied",
    "apply_changes",
    "apply_users",
    "snapshot_reader",
    "user_update",
]

log = structlog.get_logger(__name__)


@dataclass
class Applied:
    upserts: int = 0
    deletes: int = 0
    users: int = 0
    config: int = 0
    skipped: list[str] = field(default_factory=list)


def _from_row(reader: ProductReader, row: list[Any], skipped: list[str]) -> Record | None:
    """The snapshot's fast path: a product array in :data:`PRODUCT_FIELDS` order."""
    try:
        return reader.from_row(row)
    except (KeyError, ValueError, TypeError) as exc:
        sku = str(row[0]) if row else "?"
        skipped.append(sku)
        log.warning("sync_product_skipped", sku=sku, error=str(exc)[:200])
        return None


def _checked(reader: ProductReader, data: Mapping[str, Any] | None,
             skipped: list[str]) -> Record | None:
    try:
        return reader.from_data(data or {})
    except (KeyError, ValueError, TypeError) as exc:
        sku = str((data or {}).get("sku", "?"))
        skipped.append(sku)
        log.warning("sync_product_skipped", sku=sku, error=str(exc)[:200])
        return None


def user_update(change: Change) -> UserUpdate | None:
    """A ``till_user`` change as the till applies it (``None``: no login, nothing to do). A user
    the cloud removed is locked out; one sent without a PIN hash gets :data:`REVOKED_PIN`."""
    data = change.data or {}
    login = str(data.get("login") or "")
    if not login:
        return None
    if change.op == "delete":
        return UserUpdate(login, removed=True)
    return UserUpdate(login, removed=False, user_id=str(data.get("id") or change.key),
                      name=str(data.get("name") or login), role=str(data.get("role")),
                      pin_hash=str(data.get("pin_hash") or REVOKED_PIN))


def apply_users(till: TillUsers, changes: Sequence[Change]) -> int:
    """Create/update till users from the cloud (name, role, PIN hash, active); a user the cloud
    removed or deactivated is locked out (inactive, and no PIN matches)."""
    updates = [u for u in map(user_update, changes) if u is not None]
    return till.apply_users(updates)


def _apply_config(till: TillSetup, home: Path | None, config: Sequence[Change]) -> int:
    """Store/till changes into the till's settings and ``cloud_config`` (see the module doc);
    a change that waits for the shift to close is tried again with every later page."""
    if home is None:
        return 0
    current = state.load(home)
    if current is None or not (config or current.cloud_config.get(WAITING)):
        return 0
    merged = dict(current.cloud_config)
    for ch in config:  # a tombstone (store closed, till retired) keeps the last known row
        prev = merged.get(ch.kind)
        last: dict[str, Any] = dict(prev) if isinstance(prev, Mapping) else {}
        merged[ch.kind] = {**last, "deleted": True} if ch.op == "delete" else ch.data
    store, till_row = cloud_rows(replace(current, cloud_config=merged))
    applied, waiting = till.apply_cloud_settings(store, till_row)
    if applied:
        log.info("sync_settings_applied", waiting=waiting)
    merged[WAITING] = waiting
    if merged != current.cloud_config:
        state.save(home, replace(current, cloud_config=merged))
    return len(config)


def _apply_products(till: TillCatalog, reader: ProductReader, last: Mapping[str, Change],
                    cursor: str | None, out: Applied) -> None:
    upserts: list[Record] = []
    deletes: list[str] = []
    for sku, ch in last.items():
        if ch.op == "delete":
            deletes.append(sku)
            continue
        rec = _checked(reader, ch.data, out.skipped)
        if rec is None:
            deletes.append(sku)
            continue
        upserts.append(rec)
    out.upserts, out.deletes = till.apply_products(upserts, deletes, cursor=cursor)


def apply_changes(till: TillPorts, changes: Iterable[Change], *, cursor: str | None,
                  home: Path | None = None) -> Applied:
    """Apply one pull page and store ``cursor`` with its products (see the module doc)."""
    out = Applied()
    reader = till.product_reader()  # checks against the settings before this page's own
    last: dict[str, Change] = {}
    users: list[Change] = []
    config: list[Change] = []
    for ch in changes:
        if ch.kind == "product":
            last.pop(ch.key, None)
            last[ch.key] = ch
        elif ch.kind == "till_user":
            users.append(ch)
        elif ch.kind in ("store", "till"):
            config.append(ch)
    if users:
        out.users = apply_users(till, users)
    out.config = _apply_config(till, home, config)
    _apply_products(till, reader, last, cursor, out)
    return out


def snapshot_reader(lines: Iterator[bytes], *, reader: ProductReader,
                    progress: Callable[[int, int], None] | None = None,
                    ) -> tuple[SnapshotHeader, Iterator[Record], list[Change], list[str]]:
    """Parse a snapshot: its header now; products lazily; users and skipped SKUs filled as the
    products are read. The products iterator raises ``BadResponse`` if the end line is missing
    or its count disagrees (a cut stream), so a bulk load consuming it rolls back."""
    try:
        first = json.loads(next(lines))
        check_version(first.get("version"))
        header = SnapshotHeader.model_validate(first)
    except (StopIteration, ValueError, AttributeError) as exc:
        raise BadResponse("the snapshot has no valid header") from exc
    users: list[Change] = []
    skipped: list[str] = []
    expected = sum(header.counts.values())
    fields = header.product_fields
    standard = tuple(fields) == PRODUCT_FIELDS

    def products() -> Iterator[Record]:
        n = 0
        for raw in lines:
            try:
                obj = pydantic_core.from_json(raw)
                if isinstance(obj, list):  # a product, the bulk of a snapshot
                    n += 1
                    if progress is not None and n % 5000 == 0:
                        progress(n, expected)
                    rec = (_from_row(reader, obj, skipped) if standard
                           else _checked(reader, product_from_row(obj, fields), skipped))
                    if rec is not None:
                        yield rec
                    continue
                kind = obj.get("kind")
                change = None if kind == "end" else Change.model_validate(obj)
            except (ValueError, AttributeError) as exc:
                raise BadResponse("the snapshot has a damaged line", details={"read": n}) from exc
            if change is None:
                end = SnapshotEnd.model_validate(obj)
                if end.count != n:
                    raise BadResponse("the snapshot's end line does not match its content",
                                      details={"expected": end.count, "got": n})
                return
            n += 1
            if change.kind == "till_user":
                users.append(change)
            elif change.kind == "product" and change.op == "upsert":
                rec = _checked(reader, change.data, skipped)
                if rec is not None:
                    yield rec
        raise BadResponse("the snapshot stream was cut short", details={"read": n})

    return header, products(), users, skipped
