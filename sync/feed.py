"""Till side of the pull: apply the cloud's changes through the ``Till`` façade.

A page is applied in this order, each step idempotent, so a crash anywhere repeats at most the
page and never skips it:

1. till users (name, role, PIN hash, active flag) through the storage port, one durable
   transaction: the next login uses them, and a logged-in user's next permission check reads
   the new role (``Till`` re-reads the user at each check);
2. store/till settings: into the till's settings (``Till.apply_settings``, journalled and
   stored, so the next receipt and a restart use them; see :mod:`sync.settings`), then into the
   enrollment file (``cloud_config``);
3. products (upserts by SKU, deletes by SKU) with the page's cursor, in one transaction
   (``Till.apply_catalog_changes``): the cursor moves only with the products it covers.

The changes reach whichever ``Till`` the runner was given: the cashier window hands it its own
(:func:`desktop.sync_runtime.attach`), so they apply to the running till without a restart.

Within a page the last change of a SKU wins. A product a till cannot accept (its data fails the
till's own validation) is skipped and counted, so one bad row cannot stall the feed forever.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pydantic_core
import structlog

from desktop.core import Category, ProductRecord, Role, Till, Unit, User
from desktop.core.errors import InvalidCatalogData
from sync import state
from sync.errors import BadResponse
from sync.protocol import (
    PRODUCT_FIELDS,
    Change,
    SnapshotEnd,
    SnapshotHeader,
    check_version,
    product_from_row,
)
from sync.settings import WAITING, cloud_rows, settings_from_cloud

__all__ = [
    "REVOKED_PIN",
    "Applied",
    "apply_changes",
    "apply_users",
    "product_record",
    "snapshot_reader",
]

log = structlog.get_logger(__name__)

REVOKED_PIN = "!revoked-by-cloud"
"""Stored instead of a PIN hash for a user the cloud removed: no PIN can match it."""
_UNITS = {u.value: u for u in Unit}


@dataclass
class Applied:
    upserts: int = 0
    deletes: int = 0
    users: int = 0
    config: int = 0
    skipped: list[str] = field(default_factory=list)


def product_record(data: Mapping[str, Any]) -> ProductRecord:
    """A feed product as the till's write shape (``KeyError``/``ValueError`` if malformed)."""
    return ProductRecord(
        sku=str(data["sku"]), name=str(data["name"]), price=int(data["price"]),
        vat_group=str(data["vat_group"]), unit=_UNITS[str(data.get("unit") or "pcs")],
        barcodes=tuple(str(c) for c in data.get("barcodes") or ()),
        excise=bool(data.get("excise")), code=data.get("code"),
        age_restricted=bool(data.get("age_restricted")), active=bool(data.get("active", True)),
        category=data.get("category"), plu=data.get("plu"),
        names={str(k): str(v) for k, v in (data.get("names") or {}).items()})


def _from_row(row: list[Any], groups: frozenset[str], skipped: list[str]
              ) -> ProductRecord | None:
    """The snapshot's fast path: a product array in :data:`PRODUCT_FIELDS` order."""
    try:
        sku, name, price, group, unit, codes, excise, code, age, active, category, names = row
        rec = ProductRecord(sku, name, price, group, _UNITS[unit or "pcs"],
                            tuple(codes) if codes else (), bool(excise), code, bool(age),
                            bool(active), category, None, names or {})
        rec.validate(groups)
        return rec
    except (KeyError, ValueError, TypeError, InvalidCatalogData) as exc:
        sku = str(row[0]) if row else "?"
        skipped.append(sku)
        log.warning("sync_product_skipped", sku=sku, error=str(exc)[:200])
        return None


def _checked(data: Mapping[str, Any] | None, groups: frozenset[str],
             skipped: list[str]) -> ProductRecord | None:
    try:
        rec = product_record(data or {})
        rec.validate(groups)
        return rec
    except (KeyError, ValueError, TypeError, InvalidCatalogData) as exc:
        sku = str((data or {}).get("sku", "?"))
        skipped.append(sku)
        log.warning("sync_product_skipped", sku=sku, error=str(exc)[:200])
        return None


def apply_users(till: Till, changes: Sequence[Change]) -> int:
    """Create/update till users from the cloud (name, role, PIN hash, active); a user the cloud
    removed or deactivated is locked out (inactive, and no PIN matches)."""
    storage = till.storage
    now = till.clock.now()
    done = 0
    with storage.transaction(durable=True) as tx:
        for ch in changes:
            data = ch.data or {}
            login = str(data.get("login") or "")
            if not login:
                continue
            found = storage.user_by_login(login)
            if ch.op == "delete":
                if found is not None and (found[1] != REVOKED_PIN or found[0].active):
                    user = found[0]
                    tx.update_user_auth(user.id, failed_attempts=0, locked_until=None,
                                        pin_hash=REVOKED_PIN)
                    tx.update_user_profile(user.id, name=user.name, role=user.role,
                                           active=False)
                    done += 1
                continue
            try:
                role = Role(str(data.get("role")))
            except ValueError:
                log.warning("sync_user_skipped", login=login, role=data.get("role"))
                continue
            pin_hash = str(data.get("pin_hash") or REVOKED_PIN)
            name = str(data.get("name") or login)
            if found is None:
                tx.insert_user(User(str(data.get("id") or ch.key), login, name, role), pin_hash,
                               now)
                done += 1
                continue
            user, stored_hash = found
            changed = False
            if stored_hash != pin_hash:
                tx.update_user_auth(user.id, failed_attempts=0, locked_until=None,
                                    pin_hash=pin_hash)
                changed = True
            if (user.name, user.role, user.active) != (name, role, True):
                tx.update_user_profile(user.id, name=name, role=role, active=True)
                changed = True
            done += int(changed)
    return done


def _apply_config(till: Till, home: Path | None, config: Sequence[Change]) -> int:
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
    wanted, waiting = settings_from_cloud(till.settings, store, till_row,
                                          shift_open=till.current_shift() is not None)
    if till.apply_settings(wanted, source="cloud"):
        log.info("sync_settings_applied", waiting=waiting)
    merged[WAITING] = waiting
    if merged != current.cloud_config:
        state.save(home, replace(current, cloud_config=merged))
    return len(config)


def apply_changes(till: Till, changes: Iterable[Change], *, cursor: str | None,
                  home: Path | None = None) -> Applied:
    """Apply one pull page and store ``cursor`` with its products (see the module doc)."""
    out = Applied()
    groups = till.settings.vat_groups
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
    upserts: list[ProductRecord] = []
    deletes: list[str] = []
    categories: dict[str, Category] = {}
    for sku, ch in last.items():
        if ch.op == "delete":
            deletes.append(sku)
            continue
        rec = _checked(ch.data, groups, out.skipped)
        if rec is None:
            deletes.append(sku)
            continue
        upserts.append(rec)
        if rec.category:
            categories.setdefault(rec.category, Category(rec.category, rec.category))
    res = till.apply_catalog_changes(upserts, deletes, cursor=cursor,
                                     categories=list(categories.values()))
    out.upserts, out.deletes = res.inserted + res.updated, res.deleted
    return out


def snapshot_reader(lines: Iterator[bytes], *, groups: frozenset[str],
                    progress: Callable[[int, int], None] | None = None,
                    ) -> tuple[SnapshotHeader, Iterator[ProductRecord], list[Change],
                               list[str]]:
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

    def products() -> Iterator[ProductRecord]:
        n = 0
        for raw in lines:
            try:
                obj = pydantic_core.from_json(raw)
                if isinstance(obj, list):  # a product, the bulk of a snapshot
                    n += 1
                    if progress is not None and n % 5000 == 0:
                        progress(n, expected)
                    rec = (_from_row(obj, groups, skipped) if standard
                           else _checked(product_from_row(obj, fields), groups, skipped))
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
                rec = _checked(change.data, groups, skipped)
                if rec is not None:
                    yield rec
        raise BadResponse("the snapshot stream was cut short", details={"read": n})

    return header, products(), users, skipped
