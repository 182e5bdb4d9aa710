"""Enrollment: the back office issues a one-time code for a till; the till trades it for a
device token.

Codes are 12 characters from an alphabet without look-alikes (``XXXX-XXXX-XXXX``, ~59 bits),
valid for a day by default, stored hashed, and usable once (the row is locked while it is
exchanged) — except by the installation that used it, whose answer may have been lost: it may
exchange it again (until it expires) and gets a new token, the first one stops working.
A till that enrolls again with the same installation id (``device_uid``) keeps
its device and event stream with a new token; a new installation gets a new device, and the
till's previous device is revoked (one active device per till).
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cloud import tenancy
from cloud.models.stores import Store, Till
from cloud.models.sync import SyncDevice, SyncEnrollmentCode
from cloud.services.catalog.stores import get_till
from cloud.services.sync.devices import hash_secret, new_token
from sync.errors import EnrollmentInvalid
from sync.protocol import EnrollRequest

__all__ = ["ALPHABET", "Enrolled", "create_code", "exchange", "normalize_code"]

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_LENGTH = 12
DEFAULT_TTL = timedelta(hours=24)


def normalize_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _format(raw: str) -> str:
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def create_code(session: Session, *, tenant_id: uuid.UUID, store_id: uuid.UUID,
                till_id: uuid.UUID, created_by: str, now: datetime,
                ttl: timedelta = DEFAULT_TTL) -> tuple[SyncEnrollmentCode, str]:
    """A new one-time code for the till (the plain code is returned once, never stored)."""
    get_till(session, tenant_id, store_id, till_id)
    raw = "".join(secrets.choice(ALPHABET) for _ in range(_LENGTH))
    row = SyncEnrollmentCode(tenant_id=tenant_id, store_id=store_id, till_id=till_id,
                             code_hash=hash_secret(raw), created_at=now, expires_at=now + ttl,
                             created_by=created_by[:200])
    session.add(row)
    session.flush()
    return row, _format(raw)


@dataclass(frozen=True)
class Enrolled:
    device: SyncDevice
    token: str
    store: dict[str, Any]
    till: dict[str, Any]


def _store_info(s: Store) -> dict[str, Any]:
    return {"id": str(s.id), "code": s.code, "name": s.name, "country": s.country,
            "currency": s.currency, "timezone": s.timezone, "address": s.address,
            "fiscal_ids": s.fiscal_ids, "settings": s.settings}


def _till_info(t: Till) -> dict[str, Any]:
    return {"id": str(t.id), "code": t.code, "name": t.name, "settings": t.settings,
            "printers": t.printers, "fiscal_device": t.fiscal_device}


def exchange(session: Session, request: EnrollRequest, now: datetime) -> Enrolled:
    """Trade a code for a device token; ``SYNC_ENROLLMENT_INVALID`` if unknown/used/expired."""
    digest = hash_secret(normalize_code(request.code))
    with tenancy.unscoped(session):
        code = session.scalar(select(SyncEnrollmentCode)
                              .where(SyncEnrollmentCode.code_hash == digest).with_for_update())
    if code is None or code.expires_at <= now:
        why = "unknown" if code is None else "expired"
        raise EnrollmentInvalid(f"the enrollment code is {why}")
    tenancy.scope(session, code.tenant_id)
    if code.used_at is not None:
        # The same installation asking again (its first answer was lost on the way) gets a
        # fresh token for its device; anyone else is refused.
        prior = session.get(SyncDevice, code.device_id) if code.device_id else None
        if prior is None or prior.device_uid != request.device_uid:
            raise EnrollmentInvalid("the enrollment code is already used")
    till = session.scalar(select(Till).where(Till.id == code.till_id,
                                             Till.deleted_at.is_(None)))
    store = session.get(Store, code.store_id)
    if till is None or store is None or store.deleted_at is not None:
        raise EnrollmentInvalid("the till of this code no longer exists")
    token = new_token()
    device = session.scalar(select(SyncDevice).where(
        SyncDevice.till_id == till.id, SyncDevice.device_uid == request.device_uid))
    if device is None:
        base = request.outbox_first_seq - 1
        device = SyncDevice(tenant_id=code.tenant_id, store_id=store.id, till_id=till.id,
                            device_uid=request.device_uid, name=till.name,
                            token_hash=hash_secret(token), status="active",
                            app_version=request.app_version, enrolled_at=now, base_seq=base,
                            acked_through=base, max_seq=base, events_count=0)
        session.add(device)
    else:
        device.token_hash = hash_secret(token)
        device.status, device.revoked_at, device.revoked_by = "active", None, None
        device.app_version, device.enrolled_at = request.app_version, now
    session.flush()
    for other in session.scalars(select(SyncDevice).where(
            SyncDevice.till_id == till.id, SyncDevice.id != device.id,
            SyncDevice.status == "active")):
        other.status, other.revoked_at = "revoked", now
        other.revoked_by = "replaced by a new enrollment"
    till.device_id = device.id
    code.used_at, code.device_id = now, device.id
    session.flush()
    return Enrolled(device, token, _store_info(store), _till_info(till))
