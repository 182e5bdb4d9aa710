"""Till users managed in the back office: cashiers and store managers with a PIN.

The PIN is hashed here with argon2id (the till verifies with the same library, offline) and
never stored or returned in clear. Every change appends a ``till_user`` entry to the change
feed, so tills pick it up on their next pull; a delete is soft (the till gets a tombstone).
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cloud.errors import AlreadyExists, InvalidInput, NotFound
from cloud.models.sync import TillUser
from cloud.services import feed
from cloud.services.catalog.stores import get_store

__all__ = ["ROLES", "create_user", "delete_user", "get_user", "list_users", "update_user"]

ROLES = ("cashier", "store_manager")
_PIN = re.compile(r"[0-9]{4,12}")  # ASCII digits only, whole string (fullmatch)
_LOGIN = re.compile(r"^[\w.\-@]{1,64}$")
_hasher = PasswordHasher()


def _check_pin(pin: str) -> str:
    if not _PIN.fullmatch(pin):
        raise InvalidInput("a PIN is 4-12 digits", field="pin")
    return _hasher.hash(pin)


def _publish(session: Session, user: TillUser, now: datetime) -> None:
    op = "delete" if user.deleted_at is not None else "upsert"
    feed.append(session, tenant_id=user.tenant_id, entity_type="till_user", entity_id=user.id,
                op=op, payload={"id": str(user.id), "login": user.login,
                                "storeId": str(user.store_id) if user.store_id else None},
                at=now)


def get_user(session: Session, tenant_id: uuid.UUID, user_id: uuid.UUID) -> TillUser:
    user = session.scalar(select(TillUser).where(TillUser.tenant_id == tenant_id,
                                                 TillUser.id == user_id,
                                                 TillUser.deleted_at.is_(None)))
    if user is None:
        raise NotFound("till user not found")
    return user


def list_users(session: Session, tenant_id: uuid.UUID,
               store_id: uuid.UUID | None = None) -> list[TillUser]:
    stmt = select(TillUser).where(TillUser.tenant_id == tenant_id, TillUser.deleted_at.is_(None))
    if store_id is not None:
        stmt = stmt.where(TillUser.store_id == store_id)
    return list(session.scalars(stmt.order_by(TillUser.login)))


def create_user(session: Session, *, tenant_id: uuid.UUID, login: str, name: str, role: str,
                pin: str, store_id: uuid.UUID | None, now: datetime) -> TillUser:
    if not _LOGIN.match(login):
        raise InvalidInput("a login is 1-64 letters, digits or . - _ @", field="login")
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}", field="role")
    if store_id is not None:
        get_store(session, tenant_id, store_id)
    existing = session.scalar(select(TillUser).where(TillUser.tenant_id == tenant_id,
                                                     TillUser.login == login))
    if existing is not None and existing.deleted_at is None:
        raise AlreadyExists(f"a till user {login!r} already exists", field="login")
    if existing is not None:
        session.delete(existing)
        session.flush()
    user = TillUser(tenant_id=tenant_id, store_id=store_id, login=login, name=name.strip(),
                    role=role, pin_hash=_check_pin(pin), active=True, created_at=now,
                    updated_at=now)
    try:
        with session.begin_nested():
            session.add(user)
            session.flush()
    except IntegrityError as exc:
        raise AlreadyExists(f"a till user {login!r} already exists", field="login") from exc
    _publish(session, user, now)
    return user


def update_user(session: Session, *, tenant_id: uuid.UUID, user_id: uuid.UUID,
                name: str | None = None, role: str | None = None, pin: str | None = None,
                active: bool | None = None, now: datetime) -> TillUser:
    user = get_user(session, tenant_id, user_id)
    if role is not None and role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}", field="role")
    if name is not None:
        user.name = name.strip()
    if role is not None:
        user.role = role
    if pin is not None:
        user.pin_hash = _check_pin(pin)
    if active is not None:
        user.active = active
    user.updated_at = now
    session.flush()
    _publish(session, user, now)
    return user


def delete_user(session: Session, *, tenant_id: uuid.UUID, user_id: uuid.UUID,
                now: datetime) -> None:
    user = get_user(session, tenant_id, user_id)
    user.deleted_at = now
    user.active = False
    user.updated_at = now
    session.flush()
    _publish(session, user, now)
