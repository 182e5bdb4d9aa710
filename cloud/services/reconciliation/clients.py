"""Clients: the shops a tenant reconciles. Every query is filtered by ``tenant_id``.

Another tenant's client is answered exactly like a missing one (404), so ids leak nothing.
"""

from __future__ import annotations

import re
import unicodedata
import uuid

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cloud.errors import AlreadyExists, NotFound
from cloud.models.reconciliation import ClientUser, Connector, ReconClient, ReconJob
from cloud.models.schedules import Schedule
from cloud.schemas.reconciliation import ClientCreate, ClientUpdate

__all__ = [
    "SCHEDULE_ENTITY",
    "create_client",
    "delete_client",
    "get_client",
    "list_clients",
    "slugify",
    "update_client",
]


# A client's schedule is a jobs-package schedule row with this entity type (see .schedules).
SCHEDULE_ENTITY = "recon_client"


class ClientNotFound(NotFound):
    """Client not found."""


def slugify(name: str) -> str:
    """ASCII, lowercase, dashes: "Magazinul Ăsta!" -> "magazinul-asta"."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100].strip("-")
    return slug or "client"


def get_client(session: Session, *, tenant_id: uuid.UUID, client_id: uuid.UUID) -> ReconClient:
    client = session.scalar(select(ReconClient).where(
        ReconClient.id == client_id, ReconClient.tenant_id == tenant_id))
    if client is None:
        raise ClientNotFound("Client not found", field="client_id")
    return client


def list_clients(session: Session, *, tenant_id: uuid.UUID, skip: int = 0,
                 limit: int = 100) -> tuple[list[ReconClient], int]:
    where = ReconClient.tenant_id == tenant_id
    total = session.scalar(select(func.count()).select_from(ReconClient).where(where)) or 0
    rows = session.scalars(select(ReconClient).where(where)
                           .order_by(ReconClient.name, ReconClient.id)
                           .offset(skip).limit(limit)).all()
    return list(rows), int(total)


def _slug_taken(session: Session, tenant_id: uuid.UUID, slug: str,
                except_id: uuid.UUID | None = None) -> bool:
    stmt = select(ReconClient.id).where(ReconClient.tenant_id == tenant_id,
                                        ReconClient.slug == slug)
    if except_id is not None:
        stmt = stmt.where(ReconClient.id != except_id)
    return session.scalar(stmt) is not None


def create_client(session: Session, *, tenant_id: uuid.UUID, data: ClientCreate) -> ReconClient:
    """A new client; an explicit slug must be free, a derived one gets ``-2``, ``-3``..."""
    if data.slug:
        if _slug_taken(session, tenant_id, data.slug):
            raise AlreadyExists(f"slug {data.slug!r} is already used", field="slug")
        slug = data.slug
    else:
        base = slugify(data.name)
        slug, n = base, 1
        while _slug_taken(session, tenant_id, slug):
            n += 1
            slug = f"{base[:95]}-{n}"
    client = ReconClient(tenant_id=tenant_id, name=data.name, slug=slug,
                         logo_url=data.logo_url, is_active=data.is_active)
    session.add(client)
    session.flush()
    return client


def update_client(session: Session, *, tenant_id: uuid.UUID, client_id: uuid.UUID,
                  data: ClientUpdate) -> ReconClient:
    client = get_client(session, tenant_id=tenant_id, client_id=client_id)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("slug") and _slug_taken(session, tenant_id, changes["slug"], client.id):
        raise AlreadyExists(f"slug {changes['slug']!r} is already used", field="slug")
    for key in ("name", "slug", "is_active"):
        if changes.get(key) is not None:
            setattr(client, key, changes[key])
    if "logo_url" in changes:
        client.logo_url = changes["logo_url"]
    session.flush()
    return client


def delete_client(session: Session, *, tenant_id: uuid.UUID, client_id: uuid.UUID) -> None:
    """Remove the client with its users, connectors and jobs (foreign keys cascade)."""
    client = get_client(session, tenant_id=tenant_id, client_id=client_id)
    session.execute(delete(Schedule).where(
        Schedule.tenant_id == tenant_id, Schedule.entity_type == SCHEDULE_ENTITY,
        Schedule.entity_id == str(client.id)))
    # Explicit child deletes, so the result does not hang on the database's FK settings.
    session.execute(delete(ReconJob).where(ReconJob.client_id == client.id))
    session.execute(delete(Connector).where(Connector.client_id == client.id))
    session.execute(delete(ClientUser).where(ClientUser.client_id == client.id))
    session.delete(client)
    session.flush()
