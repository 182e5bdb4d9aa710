"""Push batches decoded at wire speed, with :mod:`sync.protocol`'s pydantic models as the rules.

Why: a push batch is up to a thousand receipts (~2.5 KB of JSON each). Building Python dicts
for every value and validating them again with pydantic cost more CPU than the database
spends storing them. msgspec decodes straight from bytes into typed structs, and keeps each
event's payload as the raw bytes it arrived as (stored and hashed without a re-encode).

The structs are *derived* from the pydantic models (:func:`struct_of`), so the protocol has one
definition: field names, types, defaults, ``max_length``/``ge``/``le`` bounds and
``extra="forbid"``. msgspec is stricter than pydantic's lax mode, so when the fast decoder
refuses a batch the pydantic models decide (:func:`decode_push`): they either accept it with
their coercions or produce the detailed ``SYNC_BATCH_INVALID`` error the till gets.

:func:`from_request` turns an already validated :class:`~sync.protocol.PushRequest` (tests,
in-process callers) into the same :class:`Batch`.
"""

from __future__ import annotations

import types
import typing
import uuid
from datetime import datetime
from functools import cache
from typing import Annotated, Any, Literal, TypeVar, Union

import annotated_types as at
import msgspec
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from shared.events import EventType
from sync.errors import BatchInvalid
from sync.protocol import (
    MAX_BATCH,
    Event,
    PushRequest,
    ReceiptDoc,
    canonical_payload,
    check_version,
    parse_message,
)

__all__ = ["Batch", "Incoming", "decode_push", "from_request", "struct_of", "validated_doc"]

D = TypeVar("D", bound=BaseModel)
_RECEIPT_TYPES = frozenset({EventType.SALE_COMPLETED, EventType.RETURN_COMPLETED})
_BOUNDS = {at.MaxLen: "max_length", at.MinLen: "min_length", at.Ge: "ge", at.Le: "le",
           at.Gt: "gt", at.Lt: "lt"}


def _meta(metadata: list[Any]) -> msgspec.Meta | None:
    kwargs: dict[str, Any] = {}
    for m in metadata:
        name = _BOUNDS.get(type(m))
        if name is None:
            raise TypeError(f"no msgspec equivalent for the constraint {m!r}")
        kwargs[name] = getattr(m, name)
    return msgspec.Meta(**kwargs) if kwargs else None


def _translate(annotation: Any) -> Any:
    """A pydantic field annotation as msgspec understands it (nested models become structs)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return struct_of(annotation)
    origin = typing.get_origin(annotation)
    if origin is None:
        return annotation
    args = typing.get_args(annotation)
    if origin in (Union, types.UnionType):
        return Union[tuple(_translate(a) for a in args)]  # noqa: UP007 (built at runtime)
    if origin is Literal:
        return annotation
    return origin[tuple(_translate(a) for a in args)] if len(args) > 1 \
        else origin[_translate(args[0])]


def _constrained(annotation: Any, meta: msgspec.Meta) -> Any:
    """Bounds go on the non-``None`` member of an optional, as pydantic applies them."""
    if typing.get_origin(annotation) in (Union, types.UnionType):
        args = typing.get_args(annotation)
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1 and len(args) == 2:
            return Union[Annotated[inner[0], meta], None]  # noqa: UP007
    return Annotated[annotation, meta]


@cache
def struct_of(model: type[BaseModel]) -> type[msgspec.Struct]:
    """A msgspec struct with ``model``'s fields, defaults, bounds and unknown-field rule.

    Only plain annotations and ``annotated_types`` bounds are translated; a model using
    anything else (validators run on the pydantic fallback only) raises ``TypeError`` here,
    at import time, rather than decoding differently.
    """
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    for name, info in model.model_fields.items():
        annotation = _translate(info.annotation)
        meta = _meta(list(info.metadata))
        if meta is not None:
            annotation = _constrained(annotation, meta)
        if info.default_factory is not None:
            fields.append((name, annotation, msgspec.field(
                default_factory=info.default_factory)))  # type: ignore[arg-type]
        elif info.default is not PydanticUndefined:
            fields.append((name, annotation, info.default))
        else:
            fields.append((name, annotation))
    # Required fields first, as msgspec (like dataclasses) wants; decoding is by name.
    fields.sort(key=lambda f: len(f) == 3)
    return msgspec.defstruct(model.__name__, fields,
                             forbid_unknown_fields=model.model_config.get("extra") == "forbid",
                             module=__name__)


class Incoming(msgspec.Struct):
    """One event as the cloud stores it: envelope fields, its payload as compact JSON, and
    for receipts the validated :class:`~sync.protocol.ReceiptDoc` (or its struct twin)."""

    event_id: uuid.UUID
    seq: int
    type: str
    aggregate_id: str
    created_at: datetime
    payload_json: bytes
    receipt: Any = None
    reason: str | None = None

    @property
    def payload(self) -> dict[str, Any]:
        """The payload as a dict (for the rarer event types; receipts are already typed)."""
        value = msgspec.json.decode(self.payload_json)
        return value if isinstance(value, dict) else {}


class Batch(msgspec.Struct):
    device_id: uuid.UUID
    batch_id: uuid.UUID
    events: list[Incoming]


# -- the fast path -------------------------------------------------------------------------------

class _WireEvent(msgspec.Struct, forbid_unknown_fields=True):
    event_id: uuid.UUID
    seq: Annotated[int, msgspec.Meta(ge=1, le=2**62)]
    type: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    aggregate_id: Annotated[str, msgspec.Meta(max_length=100)]
    created_at: Annotated[datetime, msgspec.Meta(tz=True)]
    payload: msgspec.Raw


class _WirePush(msgspec.Struct, forbid_unknown_fields=True):
    device_id: uuid.UUID
    batch_id: uuid.UUID
    events: Annotated[list[_WireEvent], msgspec.Meta(min_length=1, max_length=MAX_BATCH)]
    version: int = 1


class _Versioned(msgspec.Struct):
    version: Any = None


class _ReceiptPayload(msgspec.Struct):
    receipt: struct_of(ReceiptDoc)  # type: ignore[valid-type]
    reason: Any = None


_push_decoder = msgspec.json.Decoder(_WirePush)
_version_decoder = msgspec.json.Decoder(_Versioned)
_receipt_decoder = msgspec.json.Decoder(_ReceiptPayload)
_OBJECT_START = b"{"


def _reason(value: Any) -> str | None:
    return str(value or "")[:500] or None


def _incoming(ev: _WireEvent) -> Incoming:
    raw = bytes(ev.payload)
    if not raw.lstrip().startswith(_OBJECT_START):
        raise msgspec.ValidationError("payload must be an object")
    compact = canonical_payload(raw)
    receipt = reason = None
    if ev.type in _RECEIPT_TYPES:
        doc = _receipt_decoder.decode(compact)
        receipt, reason = doc.receipt, _reason(doc.reason)
    return Incoming(ev.event_id, ev.seq, ev.type, ev.aggregate_id, ev.created_at, compact,
                    receipt, reason)


def decode_push(raw: bytes) -> Batch:
    """A push body (JSON bytes) as a :class:`Batch`; ``BatchInvalid`` / ``VersionUnsupported``
    exactly as the pydantic models would answer."""
    try:
        head = _version_decoder.decode(raw)
    except msgspec.DecodeError as exc:
        raise BatchInvalid("the body is not valid JSON") from exc
    except msgspec.ValidationError as exc:
        raise BatchInvalid("the message is not a JSON object") from exc
    check_version(head.version)
    try:
        wire = _push_decoder.decode(raw)
        return Batch(wire.device_id, wire.batch_id, [_incoming(ev) for ev in wire.events])
    except msgspec.ValidationError:
        pass  # the pydantic models decide, with their coercions and their error details
    return _slow_decode(raw)


class _LooseEvent(msgspec.Struct):
    payload: msgspec.Raw


class _LoosePush(msgspec.Struct):
    events: list[_LooseEvent]


_loose_decoder = msgspec.json.Decoder(_LoosePush)


def _slow_decode(raw: bytes) -> Batch:
    request = parse_message(PushRequest, msgspec.json.decode(raw))
    payloads = _loose_decoder.decode(raw).events  # valid now: pydantic accepted the batch
    return _batch(request, [canonical_payload(bytes(e.payload)) for e in payloads])


def from_request(request: PushRequest) -> Batch:
    """An already validated request as a batch (its payloads re-encoded compactly)."""
    return _batch(request, [canonical_payload(e.payload) for e in request.events])


def _batch(request: PushRequest, payloads: list[bytes]) -> Batch:
    events = []
    for ev, payload in zip(request.events, payloads, strict=True):
        events.append(_validated(ev, payload))
    return Batch(request.device_id, request.batch_id, events)


def _validated(ev: Event, payload: bytes) -> Incoming:
    receipt = reason = None
    if ev.type in _RECEIPT_TYPES:
        receipt = validated_doc(ReceiptDoc, ev.payload.get("receipt"), ev)
        reason = _reason(ev.payload.get("reason"))
    return Incoming(ev.event_id, ev.seq, ev.type, ev.aggregate_id, ev.created_at, payload,
                    receipt, reason)


def validated_doc(cls: type[D], data: Any, event: Event | Incoming) -> D:
    """``data`` as the payload document ``cls``, or ``SYNC_BATCH_INVALID`` naming the event
    and the first pydantic errors."""
    try:
        return cls.model_validate(data)
    except ValueError as exc:  # pydantic.ValidationError is a ValueError
        errors = getattr(exc, "errors", None)
        detail = [{"loc": ".".join(str(p) for p in e.get("loc", ())), "msg": e.get("msg")}
                  for e in (errors() if callable(errors) else [])][:10]
        raise BatchInvalid(f"event seq {event.seq} ({event.type}) has an invalid payload",
                           details={"seq": event.seq, "event_id": str(event.event_id),
                                    "errors": detail}) from exc
