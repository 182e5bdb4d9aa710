"""The till's side of sync's ports (:mod:`sync.ports`), over the ``Till`` façade.

Sync decides what to send and what of a feed page to apply; this adapter says how the till
does it: its outbox, its product records checked against its VAT groups, its users in the
store's user table, its settings (:mod:`desktop.sync_settings`). Wrap the till the cashier is
using (``TillSyncPorts(till)``) so what the feed changes applies to it without a restart.

A feed product the till refuses (``InvalidCatalogData``) surfaces as ``ValueError``, which is
what the port promises sync; the message is the till's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import structlog

from desktop.core import Category, ProductRecord, Role, Till, Unit, User
from desktop.core.errors import InvalidCatalogData
from desktop.core.outbox import OutboxEvent, OutboxStats
from desktop.sync_settings import settings_from_cloud
from sync.ports import REVOKED_PIN, UserUpdate

__all__ = ["TillProductReader", "TillSyncPorts", "product_record"]

log = structlog.get_logger(__name__)

_UNITS = {u.value: u for u in Unit}


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


class TillProductReader:
    """Feed products as :class:`ProductRecord`, validated against ``groups`` (the till's VAT
    groups when the reader was made)."""

    def __init__(self, groups: frozenset[str]) -> None:
        self.groups = groups

    def from_data(self, data: Mapping[str, Any]) -> ProductRecord:
        rec = product_record(data)
        return self._valid(rec)

    def from_row(self, row: Sequence[Any]) -> ProductRecord:
        """The snapshot's fast path (a million rows): positional, in ``PRODUCT_FIELDS`` order."""
        sku, name, price, group, unit, codes, excise, code, age, active, category, names = row
        rec = ProductRecord(sku, name, price, group, _UNITS[unit or "pcs"],
                            tuple(codes) if codes else (), bool(excise), code, bool(age),
                            bool(active), category, None, names or {})
        try:  # inline rather than _valid(): one call less per row
            rec.validate(self.groups)
        except InvalidCatalogData as exc:
            raise ValueError(str(exc)) from exc
        return rec

    def _valid(self, rec: ProductRecord) -> ProductRecord:
        try:
            rec.validate(self.groups)
        except InvalidCatalogData as exc:
            raise ValueError(str(exc)) from exc
        return rec


class TillSyncPorts:
    """One till as :class:`sync.ports.TillPorts` (the sync client's and runner's view of it)."""

    def __init__(self, till: Till) -> None:
        self.till = till

    # -- TillOutbox ------------------------------------------------------------------------------

    def outbox_after(self, seq: int, limit: int) -> list[OutboxEvent]:
        return self.till.outbox_after(seq, limit)

    def ack_outbox(self, up_to_seq: int) -> int:
        return self.till.ack_outbox(up_to_seq)

    def outbox_stats(self) -> OutboxStats:
        return self.till.outbox_stats()

    # -- TillCatalog -----------------------------------------------------------------------------

    def catalog_cursor(self) -> str | None:
        return self.till.catalog_cursor()

    def product_reader(self) -> TillProductReader:
        return TillProductReader(self.till.settings.vat_groups)

    def apply_products(self, upserts: Sequence[ProductRecord], deletes: Sequence[str], *,
                       cursor: str | None) -> tuple[int, int]:
        """One page: products, the categories they name, and the cursor in one transaction."""
        categories: dict[str, Category] = {}
        for rec in upserts:
            if rec.category:
                categories.setdefault(rec.category, Category(rec.category, rec.category))
        res = self.till.apply_catalog_changes(upserts, deletes, cursor=cursor,
                                              categories=list(categories.values()))
        return res.inserted + res.updated, res.deleted

    def load_snapshot(self, products: Iterable[ProductRecord]) -> int:
        """The store's bulk load: one transaction, indexes and search built at the end."""
        return self.till.storage.load_catalog(products, replace=True).inserted

    # -- TillUsers -------------------------------------------------------------------------------

    def apply_users(self, users: Sequence[UserUpdate]) -> int:
        """Create/update till users (name, role, PIN hash, active); a removed user is locked
        out: inactive, failed attempts cleared, and a PIN hash no PIN matches."""
        storage = self.till.storage
        now = self.till.clock.now()
        done = 0
        with storage.transaction(durable=True) as tx:
            for u in users:
                found = storage.user_by_login(u.login)
                if u.removed:
                    if found is not None and (found[1] != REVOKED_PIN or found[0].active):
                        user = found[0]
                        tx.update_user_auth(user.id, failed_attempts=0, locked_until=None,
                                            pin_hash=REVOKED_PIN)
                        tx.update_user_profile(user.id, name=user.name, role=user.role,
                                               active=False)
                        done += 1
                    continue
                try:
                    role = Role(u.role)
                except ValueError:
                    log.warning("sync_user_skipped", login=u.login, role=u.role)
                    continue
                if found is None:
                    tx.insert_user(User(u.user_id, u.login, u.name, role), u.pin_hash, now)
                    done += 1
                    continue
                user, stored_hash = found
                changed = False
                if stored_hash != u.pin_hash:
                    tx.update_user_auth(user.id, failed_attempts=0, locked_until=None,
                                        pin_hash=u.pin_hash)
                    changed = True
                if (user.name, user.role, user.active) != (u.name, role, True):
                    tx.update_user_profile(user.id, name=u.name, role=role, active=True)
                    changed = True
                done += int(changed)
        return done

    # -- TillSetup -------------------------------------------------------------------------------

    def apply_cloud_settings(self, store: Mapping[str, Any],
                             till: Mapping[str, Any]) -> tuple[bool, bool]:
        """The settings the rows ask for, journalled like a manager's change; a country or
        currency change waits while a shift is open (:func:`settings_from_cloud`)."""
        wanted, waiting = settings_from_cloud(self.till.settings, store, till,
                                              shift_open=self.till.current_shift() is not None)
        return self.till.apply_settings(wanted, source="cloud"), waiting

    def close(self) -> None:
        self.till.close()
