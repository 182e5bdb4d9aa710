"""Versioned sync messages shared by the till (``sync.client``) and the cloud
(``cloud.services.sync.push``).

Every message carries ``version``. A side reads the version *before* anything else and refuses
a version it does not know with ``SYNC_VERSION_UNSUPPORTED`` (:func:`check_version`), so a newer
till is never misread by an older cloud or the other way round. Requests refuse unknown fields;
responses and till event payloads ignore them (a newer till may add fields to a receipt).

Wire shapes (JSON, snake_case; request and response bodies may be gzip-encoded):

* ``POST /api/v1/sync/enroll``   :class:`EnrollRequest` → :class:`EnrollResponse`
* ``POST /api/v1/sync/push``     :class:`PushRequest` → :class:`PushResponse`
* ``GET  /api/v1/sync/pull``     ``?cursor=&limit=`` → :class:`PullResponse`
* ``GET  /api/v1/sync/snapshot`` gzip NDJSON: :class:`SnapshotHeader`, till users as
  :class:`Change` objects, products as arrays (:data:`PRODUCT_FIELDS`), :class:`SnapshotEnd`
* ``GET  /api/v1/sync/status``   :class:`DeviceStatus`

An event's identity is ``(device, seq)`` and ``event_id``; its content hash
(:func:`content_hash`) is what the cloud compares when an event is sent again.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal, Protocol, TypeVar

import msgspec
from pydantic import BaseModel, ConfigDict, Field, field_validator

from sync.errors import BatchInvalid, VersionUnsupported

__all__ = [
    "MAX_BATCH",
    "PRODUCT_FIELDS",
    "PROTOCOL_VERSION",
    "SUPPORTED_VERSIONS",
    "VERSION_HEADER",
    "CashMovementDoc",
    "Change",
    "DeviceStatus",
    "EnrollRequest",
    "EnrollResponse",
    "Event",
    "FiscalDoc",
    "LineDoc",
    "PaymentDoc",
    "PullResponse",
    "PushRequest",
    "PushResponse",
    "ReceiptDoc",
    "ShiftClosedDoc",
    "ShiftOpenedDoc",
    "SnapshotEnd",
    "SnapshotHeader",
    "canonical_payload",
    "check_version",
    "content_hash",
    "parse_message",
    "product_from_row",
    "product_row",
]

PROTOCOL_VERSION = 1
SUPPORTED_VERSIONS = frozenset({1})
VERSION_HEADER = "X-Tillbridge-Sync-Version"
MAX_BATCH = 1000
M = TypeVar("M", bound="BaseModel")


def check_version(version: object) -> int:
    """The version as an int, or ``VersionUnsupported`` naming what this side speaks."""
    if isinstance(version, bool) or not isinstance(version, int | str):
        raise VersionUnsupported("the message has no protocol version",
                                 details={"supported": sorted(SUPPORTED_VERSIONS)})
    try:
        v = int(version)
    except ValueError:
        v = -1
    if v not in SUPPORTED_VERSIONS:
        newer = v > max(SUPPORTED_VERSIONS)
        raise VersionUnsupported(
            f"sync protocol version {version} is {'newer than' if newer else 'not'} "
            f"supported (this side speaks {sorted(SUPPORTED_VERSIONS)})",
            details={"received": str(version), "supported": sorted(SUPPORTED_VERSIONS)})
    return v


def parse_message(cls: type[M], data: object) -> M:
    """Validate ``data`` as ``cls`` after checking its version first."""
    if not isinstance(data, Mapping):
        raise BatchInvalid("the message is not a JSON object")
    check_version(data.get("version"))
    try:
        return cls.model_validate(data)
    except ValueError as exc:  # pydantic.ValidationError is a ValueError
        errors = getattr(exc, "errors", None)
        detail = [{"loc": ".".join(str(p) for p in e.get("loc", ())), "msg": e.get("msg")}
                  for e in (errors() if callable(errors) else [])][:20]
        raise BatchInvalid(f"invalid {cls.__name__}", details={"errors": detail}) from exc


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = PROTOCOL_VERSION


class _Response(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    version: int = PROTOCOL_VERSION


class _Doc(BaseModel):
    """A till event payload part: unknown fields are ignored (newer tills may add some)."""

    model_config = ConfigDict(extra="ignore", frozen=True)


# -- events (till → cloud) -----------------------------------------------------------------------

class Event(BaseModel):
    """One outbox event as it travels."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_id: uuid.UUID
    seq: int = Field(ge=1, le=2**62)
    type: str = Field(min_length=1, max_length=64)
    aggregate_id: str = Field(max_length=100)
    created_at: datetime
    payload: dict[str, Any]

    @field_validator("created_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("created_at must carry a time zone")
        return value


def canonical_payload(payload: bytes | Mapping[str, Any]) -> bytes:
    """A payload as compact JSON, keys in the order sent: what is hashed and stored.

    A till sends an event's payload from the same stored text every time, so its key order is
    stable; another order is another content (and refused as a conflict if the id is known).
    Raw bytes are only stripped of whitespace (no re-encode); a mapping is encoded compactly.
    """
    if isinstance(payload, bytes | bytearray | memoryview):
        return msgspec.json.format(bytes(payload), indent=-1)
    return msgspec.json.encode(payload)


class _Identified(Protocol):
    seq: int
    event_id: uuid.UUID
    type: str
    aggregate_id: str
    created_at: datetime


def content_hash(event: _Identified, payload_json: bytes | None = None) -> str:
    """SHA-256 over everything that makes the event what it is (``payload_json``: its
    :func:`canonical_payload`; taken from ``event.payload`` when not given)."""
    head = (f"{event.seq}|{event.event_id}|{event.type}|{event.aggregate_id}|"
            f"{event.created_at.isoformat()}|")
    if payload_json is None:
        payload_json = canonical_payload(event.payload)  # type: ignore[attr-defined]
    return hashlib.sha256(head.encode() + payload_json).hexdigest()


class PushRequest(_Request):
    device_id: uuid.UUID
    batch_id: uuid.UUID = Field(description="correlation id of this batch (logs)")
    events: list[Event] = Field(min_length=1, max_length=MAX_BATCH)


class PushResponse(_Response):
    device_id: uuid.UUID
    acked_through: int = Field(description="highest seq up to which the cloud holds every event")
    stored: int = Field(description="events of this batch stored now")
    duplicates: int = Field(description="events of this batch the cloud already held")
    gaps: list[tuple[int, int]] = Field(
        default_factory=list, description="missing seq ranges [first, last] after acked_through")
    max_seq: int = 0


# -- payload documents the cloud projects ------------------------------------------------------

class CardDoc(_Doc):
    rrn: str | None = None
    auth_code: str | None = None
    masked_pan: str | None = None
    terminal_id: str | None = None
    brand: str | None = None


class PaymentDoc(_Doc):
    id: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    amount: int
    tendered: int | None = None
    change: int = 0
    rounding: int = 0
    card: CardDoc | None = None


class LineDoc(_Doc):
    line_no: int = Field(ge=0)
    sku: str = Field(max_length=64)
    name: str = Field(max_length=300)
    unit: str = Field(max_length=8)
    quantity: Decimal
    unit_price: int
    list_price: int
    base: int
    line_discount: int = 0
    receipt_discount: int = 0
    gross: int
    net: int
    vat: int
    excise: int = 0
    vat_group: str = Field(max_length=32)
    vat_rate: Decimal
    barcode: str | None = Field(default=None, max_length=64)
    original_line_no: int | None = None


class FiscalDoc(_Doc):
    document_id: str = Field(max_length=64)
    fiscal_number: str = Field(max_length=64)
    fiscal_date: datetime
    verification_url: str | None = Field(default=None, max_length=1000)
    device_id: str | None = Field(default=None, max_length=100)
    extra: dict[str, Any] = Field(default_factory=dict)
    recorded_at: datetime | None = None
    document_type: str | None = Field(default=None, max_length=32)
    receipt_number: str | None = Field(default=None, max_length=64)


class Cashier(_Doc):
    id: str = Field(max_length=64)
    name: str = Field(max_length=200)


class ReceiptDoc(_Doc):
    id: uuid.UUID
    number: str = Field(max_length=64)
    kind: Literal["sale", "return"]
    store_code: str = Field(max_length=32)
    till_code: str = Field(max_length=32)
    shift_id: uuid.UUID
    shift_no: int
    seq: int
    cashier: Cashier
    opened_at: datetime
    completed_at: datetime
    country: str = Field(max_length=2)
    currency: str = Field(max_length=3)
    lines: list[LineDoc] = Field(max_length=5000)
    subtotal: int
    discount_total: int = 0
    total: int
    rounding: int = 0
    payable: int
    paid: int
    change: int = 0
    vat_total: int = 0
    excise_total: int = 0
    payments: list[PaymentDoc] = Field(max_length=100)
    original_receipt_id: uuid.UUID | None = None
    original_number: str | None = Field(default=None, max_length=64)
    approved_by: str | None = Field(default=None, max_length=64)
    voided_lines: int = 0


class ShiftOpenedDoc(_Doc):
    shift_id: uuid.UUID
    shift_no: int
    opened_at: datetime
    opened_by: str = Field(max_length=64)
    opened_by_name: str = Field(default="", max_length=200)
    opening_float: int = 0
    currency: str = Field(max_length=3)


class ShiftClosedDoc(_Doc):
    shift_id: uuid.UUID
    shift_no: int
    opened_at: datetime
    opened_by: str = Field(max_length=64)
    closed_at: datetime | None = None
    closed_by: str | None = Field(default=None, max_length=64)
    currency: str = Field(max_length=3)
    opening_float: int = 0
    sales_count: int = 0
    returns_count: int = 0
    sales_total: int = 0
    returns_total: int = 0
    expected_cash: int = 0
    counted_cash: int | None = None
    cash_difference: int | None = None


class CashMovementDoc(_Doc):
    movement_id: uuid.UUID
    shift_id: uuid.UUID
    shift_no: int
    kind: Literal["in", "out"]
    amount: int
    reason: str = Field(default="", max_length=500)
    user_id: str = Field(max_length=64)
    approved_by: str | None = Field(default=None, max_length=64)
    currency: str = Field(max_length=3)
    at: datetime


# -- enrollment ----------------------------------------------------------------------------------

class EnrollRequest(_Request):
    code: str = Field(min_length=6, max_length=64)
    device_uid: str = Field(min_length=8, max_length=64,
                            description="the till installation's own id (kept across restarts)")
    app_version: str = Field(default="", max_length=32)
    outbox_first_seq: int = Field(default=1, ge=1, description="oldest seq still in the outbox")


class EnrollResponse(_Response):
    device_id: uuid.UUID
    device_token: str
    tenant_id: uuid.UUID
    store: dict[str, Any]
    till: dict[str, Any]
    acked_through: int
    jwks: dict[str, Any] = Field(default_factory=dict)


class DeviceStatus(_Response):
    device_id: uuid.UUID
    status: str
    acked_through: int
    max_seq: int
    gaps: list[tuple[int, int]] = Field(default_factory=list)
    events: int = 0
    last_push_at: datetime | None = None
    last_pull_at: datetime | None = None
    feed_head: str | None = None


# -- pull and snapshot (cloud → till) -----------------------------------------------------------

ChangeKind = Literal["product", "till_user", "store", "till"]


class Change(_Response):
    """One thing a till must upsert or delete. ``key`` is the SKU (products) or the id."""

    kind: str
    op: Literal["upsert", "delete"]
    key: str
    data: dict[str, Any] | None = None


class PullResponse(_Response):
    cursor: str
    has_more: bool
    changes: list[Change]


PRODUCT_FIELDS = ("sku", "name", "price", "vat_group", "unit", "barcodes", "excise", "code",
                  "age_restricted", "active", "category", "names")
"""Order of a product array in a snapshot (v1)."""


def product_row(data: Mapping[str, Any]) -> list[Any]:
    """A product record as its snapshot array."""
    return [data.get(f) for f in PRODUCT_FIELDS]


def product_from_row(row: Sequence[Any], fields: Sequence[str] = PRODUCT_FIELDS
                     ) -> dict[str, Any]:
    """A snapshot array back into a product record (fields as named in the header)."""
    return dict(zip(fields, row, strict=False))


class SnapshotHeader(_Response):
    kind: Literal["header"] = "header"
    cursor: str
    generated_at: datetime
    counts: dict[str, int]
    product_fields: list[str] = Field(default_factory=lambda: list(PRODUCT_FIELDS))


class SnapshotEnd(_Response):
    kind: Literal["end"] = "end"
    count: int
