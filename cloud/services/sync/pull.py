"""One page of the change feed, turned into what one till must change.

The raw feed (:mod:`cloud.services.feed`) gives the cursor guarantees: its per-tenant ``seq``
is handed out in commit order, so reading after a cursor never skips a row that commits late.
This module only translates: product and store-price entries become the product's *current*
till record (or a delete), till-user entries the user with its PIN hash, and the till's own
store/till rows their settings. Entries for other stores are consumed without output. Because
each change is the current state, re-applying a page, or a page the snapshot already covered,
changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from cloud.services import feed
from cloud.services.sync.catalog import StoreView, load_products, users_for
from sync.errors import CursorInvalid
from sync.protocol import Change, PullResponse

__all__ = ["FEED_TYPES", "head", "pull"]

FEED_TYPES = ("product", "store_price", "till_user", "store", "till")


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def head(session: Session, tenant_id: uuid.UUID) -> str:
    return feed.head(session, tenant_id=tenant_id).encode()


def pull(session: Session, *, tenant_id: uuid.UUID, store_id: uuid.UUID, till_id: uuid.UUID,
         country: str, cursor: str | None, limit: int, now: datetime) -> PullResponse:
    try:
        after = feed.Cursor.decode(cursor)
    except feed.InvalidCursor as exc:
        raise CursorInvalid(details={"cursor": (cursor or "")[:64]}) from exc
    page = feed.read(session, tenant_id=tenant_id, after=after, limit=limit,
                     entity_types=FEED_TYPES)
    products: dict[uuid.UUID, str | None] = {}  # id -> sku from a tombstone
    users: list[uuid.UUID] = []
    config: list[Change] = []
    for e in page.entries:
        p = e.payload
        if e.entity_type == "product":  # the last entry of a product decides its place
            products.pop(e.entity_id, None)
            products[e.entity_id] = p.get("sku") if e.op == "delete" else None
        elif e.entity_type == "store_price" and _uuid(p.get("storeId")) == store_id:
            pid = _uuid(p.get("productId"))
            if pid is not None:
                products.setdefault(pid, None)
        elif e.entity_type == "till_user":
            users.append(e.entity_id)
        elif e.entity_type == "store" and e.entity_id == store_id:
            config.append(Change(kind="store", op=e.op if e.op == "delete" else "upsert",
                                 key=str(store_id), data=p))
        elif e.entity_type == "till" and e.entity_id == till_id:
            config.append(Change(kind="till", op=e.op if e.op == "delete" else "upsert",
                                 key=str(till_id), data=p))
    changes: list[Change] = []
    if products:
        view = StoreView.load(session, tenant_id=tenant_id, store_id=store_id, country=country,
                              now=now, product_ids=list(products))
        current = load_products(session, view, list(products))
        for pid, tomb_sku in products.items():
            if pid in current:
                changes.append(current[pid])
            elif tomb_sku:  # removed for good: only the tombstone knows the SKU
                changes.append(Change(kind="product", op="delete", key=str(tomb_sku)))
    if users:
        changes.extend(users_for(session, tenant_id=tenant_id, store_id=store_id,
                                 ids=list(dict.fromkeys(users))))
    changes.extend(config)
    return PullResponse(cursor=page.cursor.encode(), has_more=page.has_more, changes=changes)
