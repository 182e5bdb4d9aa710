"""People's access to a client: invites (token, expiry) and active memberships.

An invite names an e-mail and a client role (admin, manager, viewer). If the e-mail already
belongs to a platform user of the tenant, the membership points at that user at once; the
invitee accepts with the token while logged in as that e-mail, which makes it active. Tokens
are random (256 bits), stored only as SHA-256, and expire after ``invite_ttl``.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from cloud.errors import AlreadyExists, CloudError, NotFound, PermissionDenied
from cloud.models.identity import User
from cloud.models.reconciliation import ClientUser, ClientUserStatus
from cloud.schemas.reconciliation import ClientUserOut, InviteCreate
from cloud.services.reconciliation.clients import get_client

__all__ = [
    "InviteExpired",
    "accept_invite",
    "client_role",
    "get_member",
    "invite",
    "list_members",
    "member_out",
    "revoke",
]


class InviteExpired(CloudError):
    """This invite has expired; ask for a new one."""

    code = "BIZ_APPROVAL_EXPIRED"


class MembershipNotFound(NotFound):
    """User access not found."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _platform_user(session: Session, tenant_id: uuid.UUID, email: str) -> User | None:
    return session.scalar(select(User).where(User.tenant_id == tenant_id,
                                             User.email == email.lower(),
                                             User.deleted_at.is_(None)))


def invite(session: Session, *, tenant_id: uuid.UUID, client_id: uuid.UUID, data: InviteCreate,
           invited_by: uuid.UUID | None, now: datetime,
           ttl: timedelta) -> tuple[ClientUser, str]:
    """A new invite and its token (shown once). Refuses an e-mail that already has access or
    an unexpired invite; an expired invite is renewed with a new token."""
    client = get_client(session, tenant_id=tenant_id, client_id=client_id)
    row = session.scalar(select(ClientUser).where(ClientUser.tenant_id == tenant_id,
                                                  ClientUser.client_id == client.id,
                                                  ClientUser.email == data.email))
    if row is not None:
        if row.status == ClientUserStatus.ACTIVE.value:
            raise AlreadyExists(f"{data.email} already has access to this client",
                                field="email")
        if row.invite_expires_at is not None and row.invite_expires_at > now:
            raise AlreadyExists(f"{data.email} is already invited (until "
                                f"{row.invite_expires_at.isoformat()})", field="email")
    else:
        row = ClientUser(tenant_id=tenant_id, client_id=client.id, email=data.email,
                         created_at=now)
        session.add(row)
    token = secrets.token_urlsafe(32)
    user = _platform_user(session, tenant_id, data.email)
    row.role = data.role
    row.status = ClientUserStatus.INVITED.value
    row.user_id = user.id if user is not None else None
    row.invited_by = invited_by
    row.invite_token_hash = _hash(token)
    row.invite_expires_at = now + ttl
    row.updated_at = now
    session.flush()
    return row, token


def list_members(session: Session, *, tenant_id: uuid.UUID,
                 client_id: uuid.UUID) -> list[ClientUser]:
    get_client(session, tenant_id=tenant_id, client_id=client_id)
    return list(session.scalars(select(ClientUser).where(
        ClientUser.tenant_id == tenant_id, ClientUser.client_id == client_id,
    ).order_by(ClientUser.created_at, ClientUser.id)))


def member_out(row: ClientUser, *, now: datetime) -> ClientUserOut:
    """As the API shows it: an invite past its expiry reads ``expired``."""
    status = row.status
    if status == ClientUserStatus.INVITED.value and row.invite_expires_at is not None \
            and row.invite_expires_at <= now:
        status = "expired"
    return ClientUserOut(id=row.id, client_id=row.client_id, email=row.email, role=row.role,
                         status=status, user_id=row.user_id,
                         invite_expires_at=row.invite_expires_at, accepted_at=row.accepted_at,
                         created_at=row.created_at)


def get_member(session: Session, *, tenant_id: uuid.UUID,
               user_client_id: uuid.UUID) -> ClientUser:
    row = session.scalar(select(ClientUser).where(ClientUser.id == user_client_id,
                                                  ClientUser.tenant_id == tenant_id))
    if row is None:
        raise MembershipNotFound("User access not found", field="user_client_id")
    return row


def revoke(session: Session, *, tenant_id: uuid.UUID, user_client_id: uuid.UUID) -> None:
    session.delete(get_member(session, tenant_id=tenant_id, user_client_id=user_client_id))
    session.flush()


def accept_invite(session: Session, *, tenant_id: uuid.UUID, client_id: uuid.UUID, token: str,
                  user_id: uuid.UUID, email: str, now: datetime) -> ClientUser:
    """Turn an invite into access for the logged-in user whose e-mail it names."""
    row = session.scalar(select(ClientUser).where(ClientUser.tenant_id == tenant_id,
                                                  ClientUser.client_id == client_id,
                                                  ClientUser.invite_token_hash == _hash(token)))
    if row is None or row.status != ClientUserStatus.INVITED.value:
        raise MembershipNotFound("Invite not found", field="token")
    if row.invite_expires_at is None or row.invite_expires_at <= now:
        raise InviteExpired("This invite has expired; ask for a new one")
    if row.email != email.lower():
        raise PermissionDenied("this invite was sent to another e-mail address")
    row.status = ClientUserStatus.ACTIVE.value
    row.user_id = user_id
    row.accepted_at = now
    row.invite_token_hash = None
    row.updated_at = now
    session.flush()
    return row


def client_role(session: Session, *, tenant_id: uuid.UUID, client_id: uuid.UUID,
                user_id: uuid.UUID) -> str | None:
    """The user's active role on the client, or None."""
    return session.scalar(select(ClientUser.role).where(
        ClientUser.tenant_id == tenant_id, ClientUser.client_id == client_id,
        ClientUser.user_id == user_id, ClientUser.status == ClientUserStatus.ACTIVE.value))
