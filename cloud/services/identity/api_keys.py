"""API keys: issued with scopes no wider than the issuer's, stored as a SHA-256, shown once.

A key acts for the user who made it and dies with them: deleting or suspending that user
revokes it (:func:`revoke_keys_of`), and authentication refuses a key whose creator is no
longer active. A service key (``service``, made by an admin on purpose) belongs to the tenant
and outlives its creator.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cloud.auth.hashing import hash_api_key, new_api_key
from cloud.auth.principal import Principal
from cloud.auth.rbac import Role, all_scopes
from cloud.errors import InvalidInput, NotFound, PermissionDenied
from cloud.models.identity import ApiKey
from cloud.schemas.common import OffsetPagination, PageParams
from cloud.services.pagination import paginate
from shared.ids import uuid7

__all__ = ["create_api_key", "list_api_keys", "revoke_api_key", "revoke_keys_of"]


def create_api_key(*, session: Session, principal: Principal | None, name: str,
                   scopes: list[str],
                   expires_at: datetime | None, rate_limit: int | None,
                   mode: Literal["live", "test"], now: datetime,
                   service: bool = False) -> tuple[ApiKey, str]:
    """The new row and the plaintext key (the only time it exists outside the caller).

    ``principal`` None means the operator (CLI), who may grant any scope and whose keys are
    service keys. Only a signed-in admin user may make a service key.
    """
    if service and principal is not None and not (
            principal.kind == "user" and Role.ADMIN.value in principal.roles):
        raise PermissionDenied("Only an administrator can create a service key",
                               field="service", details={"required": "role admin"})
    known = set(all_scopes())
    unknown = sorted(set(scopes) - known)
    if unknown:
        raise InvalidInput(f"Unknown scope(s): {', '.join(unknown)}", field="scopes",
                           code="VAL_INVALID_ENUM", details={"allowed": sorted(known)})
    beyond = sorted(set(scopes) - principal.permissions) if principal else []
    if beyond:
        raise PermissionDenied("An API key cannot have scopes its creator lacks",
                               details={"missing": beyond})
    if expires_at is not None:
        if expires_at.tzinfo is None:
            raise InvalidInput("expiresAt needs a timezone (e.g. Z)", field="expiresAt")
        if expires_at <= now:
            raise InvalidInput("expiresAt must be in the future", field="expiresAt",
                               code="VAL_OUT_OF_RANGE")
    key = new_api_key(mode)
    row = ApiKey(id=uuid7(), name=name, prefix=key[:8], hint=key[-4:],
                 key_hash=hash_api_key(key), scopes=sorted(set(scopes)),
                 rate_limit=rate_limit, expires_at=expires_at, created_at=now, updated_at=now,
                 created_by=principal.user_id if principal else None,
                 service=service or principal is None)
    session.add(row)
    session.flush()
    return row, key


def list_api_keys(*, session: Session, params: PageParams,
                  ) -> tuple[list[ApiKey], OffsetPagination]:
    return paginate(session, select(ApiKey).order_by(ApiKey.created_at.desc(), ApiKey.id),
                    params)


def revoke_api_key(*, session: Session, key_id: uuid.UUID, now: datetime) -> ApiKey:
    row = session.get(ApiKey, key_id)
    if row is None:
        raise NotFound("API key not found")
    if row.revoked_at is None:
        row.revoked_at = now
        session.flush()
    return row


def revoke_keys_of(session: Session, user_id: uuid.UUID, now: datetime) -> int:
    """Revoke every personal (non-service) key ``user_id`` made; returns how many."""
    result = session.execute(
        update(ApiKey).where(ApiKey.created_by == user_id, ApiKey.service.is_(False),
                             ApiKey.revoked_at.is_(None))
        .values(revoked_at=now).execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
