"""Device tokens: how a till proves which enrolled device it is, and revocation.

A device token (``tbd_`` + 43 random characters) is shown once, at enrollment; only its SHA-256
is stored. :func:`authenticate` finds the device by that hash (across tenants: the token is the
only credential), refuses revoked devices with ``SYNC_DEVICE_REVOKED``, and binds the session
to the device's tenant so every later ORM query stays inside it.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cloud import tenancy
from cloud.errors import NotFound
from cloud.models.stock import StockLocation
from cloud.models.stores import Store, Till
from cloud.models.sync import SyncDevice
from cloud.services.sales.projector import Origin
from sync.errors import DeviceRevoked, DeviceUnauthorized

__all__ = ["TOKEN_PREFIX", "authenticate", "hash_secret", "new_token", "origin_of", "revoke"]

TOKEN_PREFIX = "tbd_"
_D = SyncDevice.__table__


def hash_secret(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def origin_of(session: Session, device: SyncDevice | None = None, *,
              device_id: uuid.UUID | None = None) -> Origin:
    """What projection needs about a device: tenant, store, till, time zone, stock location."""
    if device is None:
        device = session.get(SyncDevice, device_id)
        if device is None:
            raise NotFound("device not found")
    location = (select(StockLocation.id).where(
        StockLocation.tenant_id == device.tenant_id, StockLocation.store_id == device.store_id)
        .order_by(StockLocation.created_at).limit(1).scalar_subquery())
    till_code = select(Till.code).where(Till.id == device.till_id).scalar_subquery()
    row = session.execute(select(Store.timezone, till_code, location)
                          .where(Store.id == device.store_id)).one_or_none()
    tz, code, location_id = row if row is not None else (None, None, None)
    return Origin(device.tenant_id, device.store_id, device.till_id, device.id,
                  tz or "UTC", location_id, code or "")


def authenticate(session: Session, token: str | None, now: datetime) -> SyncDevice:
    """The active device owning ``token``; binds ``session`` to its tenant."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise DeviceUnauthorized()
    with tenancy.unscoped(session):
        device = session.scalar(select(SyncDevice).where(
            SyncDevice.token_hash == hash_secret(token)))
    if device is None:
        raise DeviceUnauthorized()
    if device.status != "active":
        raise DeviceRevoked(details={"revoked_at": device.revoked_at.isoformat()
                                     if device.revoked_at else None})
    tenancy.scope(session, device.tenant_id)
    return device


def revoke(session: Session, *, tenant_id: uuid.UUID, device_id: uuid.UUID, by: str,
           now: datetime) -> SyncDevice:
    """Revoke a device: its token stops working at once (pushes, pulls, snapshots)."""
    device = session.scalar(select(SyncDevice).where(SyncDevice.tenant_id == tenant_id,
                                                     SyncDevice.id == device_id))
    if device is None:
        raise NotFound("device not found")
    if device.status != "revoked":
        device.status = "revoked"
        device.revoked_at = now
        device.revoked_by = by[:200]
        session.flush()
    return device


def touch_pull(session: Session, device_id: uuid.UUID, cursor: str, now: datetime) -> None:
    session.execute(update(_D).where(_D.c.id == device_id).values(last_pull_at=now,
                                                                   feed_cursor=cursor))
