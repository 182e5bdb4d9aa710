"""Connectors: validated, encrypted at rest, masked on the way out, testable.

A config is validated by its type's pydantic model before anything is stored, encrypted with
the :class:`~cloud.crypto.SecretBox` (Fernet, ``ENCRYPTION_KEY``), and re-encrypted
whenever it changes or was written under an older key. Updates may send back the masked form
of a secret unchanged; the stored secret is kept in that case.

Every URL in a config must pass the outbound policy (no private, loopback or link-local
address unless ``OUTBOUND_ALLOWED_TARGETS`` allows it) when it is stored, and again on every
request. A test reports a classified reason and the upstream status, never the upstream body.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from cloud.crypto import SecretBox
from cloud.errors import InvalidInput, NotFound
from cloud.integrations.configs import (
    CONFIG_MODELS,
    ConnectorConfig,
    ConnectorType,
    GA4Config,
    ShopifyConfig,
    TillbridgeConfig,
    WooCommerceConfig,
    mask_config,
    parse_config,
    restore_masked,
)
from cloud.integrations.orders import IntegrationError
from cloud.integrations.outbound import OutboundPolicy
from cloud.integrations.tillbridge import SalesReader
from cloud.models.reconciliation import Connector
from cloud.models.stores import Store
from cloud.schemas.reconciliation import (
    ConnectorCreate,
    ConnectorOut,
    ConnectorTestOut,
    ConnectorUpdate,
)
from cloud.services.reconciliation.clients import get_client
from cloud.services.reconciliation.sources import build_source

__all__ = [
    "check_references",
    "check_targets",
    "config_urls",
    "connector_out",
    "create_connector",
    "decrypt_config",
    "delete_connector",
    "get_connector",
    "list_connectors",
    "rotate_keys",
    "test_connector",
    "update_connector",
    "validate_config",
]


class ConnectorNotFound(NotFound):
    """Connector not found."""


def validate_config(connector_type: ConnectorType, data: Any) -> ConnectorConfig:
    """The typed config, or :class:`InvalidInput` listing each bad field (nothing stored)."""
    try:
        return parse_config(connector_type, data)
    except ValidationError as exc:
        errors = [{"field": "config." + ".".join(str(p) for p in e["loc"]),
                   "message": e["msg"]} for e in exc.errors()]
        first = errors[0] if errors else {"field": "config", "message": "invalid"}
        raise InvalidInput(f"invalid {connector_type.value} config: {first['field']}: "
                           f"{first['message']}", field=first["field"],
                           details={"errors": errors}) from None
    except ValueError as exc:
        raise InvalidInput(str(exc), field="connector_type") from None


def check_references(session: Session, *, tenant_id: uuid.UUID, config: ConnectorConfig) -> None:
    """A Tillbridge connector may only name the tenant's own (not deleted) stores."""
    if not isinstance(config, TillbridgeConfig):
        return
    known = set(session.scalars(select(Store.id).where(
        Store.tenant_id == tenant_id, Store.id.in_(config.store_ids),
        Store.deleted_at.is_(None))))
    unknown = [str(s) for s in config.store_ids if s not in known]
    if unknown:
        raise InvalidInput(f"config.store_ids: unknown store(s) {', '.join(unknown)}",
                           field="config.store_ids", code="VAL_REFERENCE_INVALID")


def config_urls(config: ConnectorConfig) -> list[tuple[str, str]]:
    """Each URL the connector will call, with the config field that holds it."""
    if isinstance(config, ShopifyConfig):
        return [("config.shop_url", config.shop_url)]
    if isinstance(config, WooCommerceConfig):
        return [("config.url", config.url)]
    if isinstance(config, GA4Config):
        return [("config.api_base", config.api_base),
                ("config.credentials_json.token_uri", config.credentials_json.token_uri)]
    return []


def check_targets(config: ConnectorConfig, policy: OutboundPolicy) -> None:
    """Refuse a config whose URLs reach a private, loopback or link-local address.

    Raises ``TargetRefused`` (``VAL_INVALID_FORMAT``, the field named) and stores nothing. A
    host that does not resolve yet is accepted: each request is checked again when it is made.
    """
    for field, url in config_urls(config):
        policy.vet(url, field=field, what=field)


def decrypt_config(connector: Connector, box: SecretBox) -> ConnectorConfig:
    """The stored config, decrypted and typed (``DecryptionFailed`` on a wrong key)."""
    data = box.decrypt_json(connector.config_encrypted)
    return parse_config(connector.connector_type, data)


def connector_out(connector: Connector, box: SecretBox) -> ConnectorOut:
    config = decrypt_config(connector, box)
    kind = ConnectorType(connector.connector_type)
    return ConnectorOut(
        id=connector.id, client_id=connector.client_id, name=connector.name,
        connector_type=kind, role=CONFIG_MODELS[kind].role.value, config=mask_config(config),
        is_active=connector.is_active, last_tested_at=connector.last_tested_at,
        last_test_ok=connector.last_test_ok, last_test_message=connector.last_test_message,
        created_at=connector.created_at, updated_at=connector.updated_at)


def get_connector(session: Session, *, tenant_id: uuid.UUID,
                  connector_id: uuid.UUID) -> Connector:
    found = session.scalar(select(Connector).where(
        Connector.id == connector_id, Connector.tenant_id == tenant_id))
    if found is None:
        raise ConnectorNotFound("Connector not found", field="connector_id")
    return found


def list_connectors(session: Session, *, tenant_id: uuid.UUID,
                    client_id: uuid.UUID) -> list[Connector]:
    get_client(session, tenant_id=tenant_id, client_id=client_id)
    return list(session.scalars(select(Connector).where(
        Connector.tenant_id == tenant_id, Connector.client_id == client_id,
    ).order_by(Connector.created_at, Connector.id)))


def create_connector(session: Session, *, tenant_id: uuid.UUID, client_id: uuid.UUID,
                     data: ConnectorCreate, box: SecretBox,
                     policy: OutboundPolicy) -> Connector:
    client = get_client(session, tenant_id=tenant_id, client_id=client_id)
    config = validate_config(data.connector_type, data.config)
    check_references(session, tenant_id=tenant_id, config=config)
    check_targets(config, policy)
    connector = Connector(
        tenant_id=tenant_id, client_id=client.id,
        name=data.name or f"{client.name} {data.connector_type.value}",
        connector_type=data.connector_type.value, is_active=data.is_active,
        config_encrypted=box.encrypt_json(config.model_dump(mode="json")))
    session.add(connector)
    session.flush()
    return connector


def update_connector(session: Session, *, tenant_id: uuid.UUID, connector_id: uuid.UUID,
                     data: ConnectorUpdate, box: SecretBox,
                     policy: OutboundPolicy) -> Connector:
    """Change name, activity, type or config; a new type needs a full config of that type."""
    connector = get_connector(session, tenant_id=tenant_id, connector_id=connector_id)
    old_type = ConnectorType(connector.connector_type)
    new_type = data.connector_type or old_type
    if new_type is not old_type and data.config is None:
        raise InvalidInput(f"changing the type to {new_type.value} needs its config",
                           field="config")
    if data.config is not None:
        old = decrypt_config(connector, box)
        merged = restore_masked(new_type, data.config, old) if new_type is old_type \
            else data.config
        config = validate_config(new_type, merged)
        check_references(session, tenant_id=tenant_id, config=config)
        check_targets(config, policy)
        if config != old or new_type is not old_type or \
                not box.is_current(connector.config_encrypted):
            connector.config_encrypted = box.encrypt_json(config.model_dump(mode="json"))
        connector.connector_type = new_type.value
    if data.name:
        connector.name = data.name
    if data.is_active is not None:
        connector.is_active = data.is_active
    session.flush()
    return connector


def delete_connector(session: Session, *, tenant_id: uuid.UUID, connector_id: uuid.UUID) -> None:
    session.delete(get_connector(session, tenant_id=tenant_id, connector_id=connector_id))
    session.flush()


def test_connector(session: Session, *, tenant_id: uuid.UUID, connector_id: uuid.UUID,
                   box: SecretBox, sales_reader: SalesReader, policy: OutboundPolicy,
                   today: date, now: datetime, timeout: float = 15.0) -> ConnectorTestOut:
    """Decrypt, connect and fetch one day; the outcome is reported and remembered.

    A failure is reported as a short reason (``unreachable``, ``auth_failed``, ``http_500``,
    ``target_refused``...) with the upstream status: never what the upstream sent.
    """
    connector = get_connector(session, tenant_id=tenant_id, connector_id=connector_id)
    kind = ConnectorType(connector.connector_type)
    config = decrypt_config(connector, box)
    rng = {"start_date": today.isoformat(), "end_date": today.isoformat()}
    source = build_source(config, tenant_id=tenant_id, sales_reader=sales_reader,
                          policy=policy, timeout=timeout)
    try:
        records = source.fetch(today, today)
    except IntegrationError as exc:
        result = ConnectorTestOut(ok=False, connector_type=kind, date_range=rng,
                                  message=exc.message[:500], reason=exc.reason,
                                  upstream_status=exc.upstream_status)
    else:
        result = ConnectorTestOut(ok=True, connector_type=kind, records=len(records),
                                  date_range=rng,
                                  message=f"connected; {len(records)} record(s) for {today}")
    finally:
        source.close()
    connector.last_tested_at = now
    connector.last_test_ok = result.ok
    connector.last_test_message = result.message[:500]
    session.flush()
    return result


def rotate_keys(session: Session, *, box: SecretBox, tenant_id: uuid.UUID | None = None) -> int:
    """Re-encrypt every config not written under the primary key; returns how many.

    Run after putting a new key first in ``ENCRYPTION_KEY`` (old keys after it); once it
    returns, the old keys can be dropped from the setting.
    """
    stmt = select(Connector)
    if tenant_id is not None:
        stmt = stmt.where(Connector.tenant_id == tenant_id)
    changed = 0
    for connector in session.scalars(stmt):
        if not box.is_current(connector.config_encrypted):
            connector.config_encrypted = box.rotate(connector.config_encrypted)
            changed += 1
    session.flush()
    return changed
