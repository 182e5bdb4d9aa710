"""``/api/v1/clients``: clients, and the users and invites of each (seed 002 §1-2)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from cloud.api.deps import ClockDep, SessionDep, SettingsDep
from cloud.api.reconciliation._deps import (
    RECON_ERRORS,
    ClientScoped,
    Reader,
    Writer,
    ensure_client_admin,
)
from cloud.errors import PermissionDenied
from cloud.schemas.reconciliation import (
    AcceptInvite,
    ClientCreate,
    ClientOut,
    ClientUpdate,
    ClientUserOut,
    InviteCreate,
    InviteOut,
)
from cloud.services.reconciliation import clients, members

router = APIRouter(prefix="/api/v1", tags=["reconciliation: clients"],
                   responses=RECON_ERRORS)

Skip = Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip")]
Limit = Annotated[int, Query(ge=1, le=500, description="rows to return (max 500)")]


@router.get("/clients", response_model=list[ClientOut])
def list_clients(session: SessionDep, principal: Reader, response: Response, skip: Skip = 0,
                 limit: Limit = 100) -> Any:
    """All clients of the tenant, by name; the total is in ``X-Total-Count``."""
    rows, total = clients.list_clients(session, tenant_id=principal.tenant_id, skip=skip,
                                       limit=limit)
    response.headers["X-Total-Count"] = str(total)
    return [ClientOut.model_validate(r) for r in rows]


@router.post("/clients", response_model=ClientOut, status_code=201)
def create_client(body: ClientCreate, session: SessionDep, principal: Writer) -> Any:
    """A new client (the slug is derived from the name when not given; needs ``recon:write``,
    which every role but ``viewer`` has)."""
    return ClientOut.model_validate(
        clients.create_client(session, tenant_id=principal.tenant_id, data=body))


@router.get("/clients/{client_id}", response_model=ClientOut)
def get_client(client_id: uuid.UUID, session: SessionDep, principal: Reader) -> Any:
    return ClientOut.model_validate(
        clients.get_client(session, tenant_id=principal.tenant_id, client_id=client_id))


@router.put("/clients/{client_id}", response_model=ClientOut)
def update_client(client_id: uuid.UUID, body: ClientUpdate, session: SessionDep,
                  principal: ClientScoped) -> Any:
    """Change name, slug, logo or activity (admin)."""
    clients.get_client(session, tenant_id=principal.tenant_id, client_id=client_id)
    ensure_client_admin(session, principal, client_id)
    return ClientOut.model_validate(clients.update_client(
        session, tenant_id=principal.tenant_id, client_id=client_id, data=body))


@router.delete("/clients/{client_id}", status_code=204)
def delete_client(client_id: uuid.UUID, session: SessionDep, principal: ClientScoped) -> None:
    """Delete the client with its users, connectors, jobs and schedule (admin)."""
    clients.get_client(session, tenant_id=principal.tenant_id, client_id=client_id)
    ensure_client_admin(session, principal, client_id)
    clients.delete_client(session, tenant_id=principal.tenant_id, client_id=client_id)


@router.post("/clients/{client_id}/invite", response_model=InviteOut, status_code=201)
def invite_user(client_id: uuid.UUID, body: InviteCreate, session: SessionDep,
                principal: ClientScoped, clock: ClockDep, settings: SettingsDep) -> Any:
    """Invite an e-mail to this client; refused when it already has access or an open invite.

    The token is shown once; the invitee accepts it at ``/clients/{client_id}/invite/accept``.
    """
    clients.get_client(session, tenant_id=principal.tenant_id, client_id=client_id)
    ensure_client_admin(session, principal, client_id)
    now = clock.now()
    row, token = members.invite(
        session, tenant_id=principal.tenant_id, client_id=client_id, data=body,
        invited_by=principal.id if principal.kind == "user" else principal.user_id, now=now,
        ttl=timedelta(seconds=settings.invite_ttl_s))
    base = members.member_out(row, now=now).model_dump()
    link = (f"{settings.public_url.rstrip('/')}/api/v1/clients/{client_id}/invite/accept"
            f"?token={token}")
    return InviteOut(**base, invite_token=token, invite_link=link)


@router.post("/clients/{client_id}/invite/accept", response_model=ClientUserOut)
def accept_invite(client_id: uuid.UUID, body: AcceptInvite, session: SessionDep,
                  principal: ClientScoped, clock: ClockDep) -> Any:
    """The logged-in user named by the invite takes up access to the client."""
    if principal.kind != "user" or not principal.email:
        raise PermissionDenied("Accepting an invite needs a user login")
    row = members.accept_invite(session, tenant_id=principal.tenant_id, client_id=client_id,
                                token=body.token, user_id=principal.id, email=principal.email,
                                now=clock.now())
    return members.member_out(row, now=clock.now())


@router.get("/clients/{client_id}/users", response_model=list[ClientUserOut])
def list_users(client_id: uuid.UUID, session: SessionDep, principal: ClientScoped,
               clock: ClockDep) -> Any:
    """Invitations and active users of the client (admin)."""
    clients.get_client(session, tenant_id=principal.tenant_id, client_id=client_id)
    ensure_client_admin(session, principal, client_id)
    now = clock.now()
    return [members.member_out(r, now=now) for r in members.list_members(
        session, tenant_id=principal.tenant_id, client_id=client_id)]


@router.delete("/users/{user_client_id}", status_code=204)
def revoke_user(user_client_id: uuid.UUID, session: SessionDep,
                principal: ClientScoped) -> None:
    """Revoke a user's access to a client, or withdraw an invite (admin)."""
    row = members.get_member(session, tenant_id=principal.tenant_id,
                             user_client_id=user_client_id)
    ensure_client_admin(session, principal, row.client_id)
    members.revoke(session, tenant_id=principal.tenant_id, user_client_id=user_client_id)
