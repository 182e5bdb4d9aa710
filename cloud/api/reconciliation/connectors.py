"""``/api/v1/clients/{id}/connectors`` and ``/api/v1/connectors/{id}`` (seed 002 §3).

Configs are validated per type, encrypted before they are stored and masked on the way out.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter

from cloud.api.deps import ClockDep, RuntimeDep, SessionDep
from cloud.api.reconciliation._deps import (
    RECON_ERRORS,
    BoxDep,
    ClientScoped,
    Reader,
    ensure_client_admin,
)
from cloud.integrations.configs import CONFIG_MODELS, ConnectorType, config_example
from cloud.integrations.outbound import OutboundPolicy
from cloud.schemas.reconciliation import (
    ConnectorCreate,
    ConnectorOut,
    ConnectorTestOut,
    ConnectorUpdate,
)
from cloud.services.reconciliation import clients, connectors
from cloud.services.reconciliation.tillbridge_sales import reader_for

router = APIRouter(prefix="/api/v1", tags=["reconciliation: connectors"],
                   responses=RECON_ERRORS)


@router.get("/clients/{client_id}/connectors", response_model=list[ConnectorOut])
def list_connectors(client_id: uuid.UUID, session: SessionDep, principal: Reader,
                    box: BoxDep) -> Any:
    """The client's connectors, secrets masked."""
    rows = connectors.list_connectors(session, tenant_id=principal.tenant_id,
                                      client_id=client_id)
    return [connectors.connector_out(r, box) for r in rows]


@router.post("/clients/{client_id}/connectors", response_model=ConnectorOut, status_code=201)
def create_connector(client_id: uuid.UUID, body: ConnectorCreate, session: SessionDep,
                     principal: ClientScoped, box: BoxDep, runtime: RuntimeDep) -> Any:
    """A connector whose config is validated for its type and stored encrypted (admin)."""
    clients.get_client(session, tenant_id=principal.tenant_id, client_id=client_id)
    ensure_client_admin(session, principal, client_id)
    row = connectors.create_connector(session, tenant_id=principal.tenant_id,
                                      client_id=client_id, data=body, box=box,
                                      policy=OutboundPolicy.from_settings(runtime.settings))
    return connectors.connector_out(row, box)


@router.get("/clients/{client_id}/connectors/config-examples/{connector_type}")
def config_examples(client_id: uuid.UUID, connector_type: ConnectorType, session: SessionDep,
                    principal: ClientScoped) -> dict[str, Any]:
    """An example config for the type, and its JSON schema (admin)."""
    clients.get_client(session, tenant_id=principal.tenant_id, client_id=client_id)
    ensure_client_admin(session, principal, client_id)
    model = CONFIG_MODELS[connector_type]
    return {"connector_type": connector_type.value, "role": model.role.value,
            "config": config_example(connector_type),
            "secret_fields": list(model.secret_fields), "schema": model.model_json_schema()}


@router.get("/connectors/{connector_id}", response_model=ConnectorOut)
def get_connector(connector_id: uuid.UUID, session: SessionDep, principal: Reader,
                  box: BoxDep) -> Any:
    row = connectors.get_connector(session, tenant_id=principal.tenant_id,
                                   connector_id=connector_id)
    return connectors.connector_out(row, box)


@router.put("/connectors/{connector_id}", response_model=ConnectorOut)
def update_connector(connector_id: uuid.UUID, body: ConnectorUpdate, session: SessionDep,
                     principal: ClientScoped, box: BoxDep, runtime: RuntimeDep) -> Any:
    """Change name, activity, type or config; a changed config is re-encrypted (admin).

    Secrets sent back in their masked form (``****abcd``) keep their stored value.
    """
    row = connectors.get_connector(session, tenant_id=principal.tenant_id,
                                   connector_id=connector_id)
    ensure_client_admin(session, principal, row.client_id)
    row = connectors.update_connector(session, tenant_id=principal.tenant_id,
                                      connector_id=connector_id, data=body, box=box,
                                      policy=OutboundPolicy.from_settings(runtime.settings))
    return connectors.connector_out(row, box)


@router.delete("/connectors/{connector_id}", status_code=204)
def delete_connector(connector_id: uuid.UUID, session: SessionDep,
                     principal: ClientScoped) -> None:
    row = connectors.get_connector(session, tenant_id=principal.tenant_id,
                                   connector_id=connector_id)
    ensure_client_admin(session, principal, row.client_id)
    connectors.delete_connector(session, tenant_id=principal.tenant_id,
                                connector_id=connector_id)


@router.post("/connectors/{connector_id}/test", response_model=ConnectorTestOut)
def test_connector(connector_id: uuid.UUID, session: SessionDep, principal: ClientScoped,
                   box: BoxDep, clock: ClockDep, runtime: RuntimeDep) -> Any:
    """Decrypt the config and fetch one day (today, UTC); ``ok`` says whether it worked."""
    row = connectors.get_connector(session, tenant_id=principal.tenant_id,
                                   connector_id=connector_id)
    ensure_client_admin(session, principal, row.client_id)
    now = clock.now()
    return connectors.test_connector(
        session, tenant_id=principal.tenant_id, connector_id=connector_id, box=box,
        sales_reader=reader_for(runtime.sessions),
        policy=OutboundPolicy.from_settings(runtime.settings), today=now.date(), now=now)
