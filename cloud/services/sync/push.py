"""The push path: store a till's events exactly once and project them, atomically.

:func:`push` runs inside the request's transaction:

1. the batch must be well formed: seqs strictly increasing, event ids distinct, payloads of
   the projected types valid (else ``SYNC_BATCH_INVALID``);
2. the device row is locked (``FOR UPDATE``), so two pushes of one till — a retry racing the
   request it repeats — run one after the other;
3. each event is compared with what the device already holds at its seq: the same id and
   content hash is a harmless duplicate, the same id with other content is
   ``SYNC_EVENT_CONFLICT``, another id is ``SYNC_SEQ_CONFLICT`` (the till's seq went backwards);
4. new events are inserted (``PRIMARY KEY (device_id, seq)``, ``UNIQUE (event_id)``) and
   projected into the sales tables in a savepoint; a unique violation there means the id was
   used by another event and becomes ``SYNC_EVENT_CONFLICT``;
5. the device's ``acked_through`` (highest contiguous seq) and gaps are recomputed.

An event that names another tenant's or another till's document (a shift, a cash movement, a
fiscal result, a receipt or payment, the original of a return) is stored with the reason in
``refused`` and never projected (:mod:`cloud.services.sales.claims`); the answer is the same as
for any stored event, so a device cannot probe for ids it does not own.

Any error leaves nothing from the batch: the caller rolls the transaction back. Events after a
gap are stored too (they are facts) but only the contiguous prefix is acknowledged, so the till
re-sends from the gap and the duplicates are skipped.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import psycopg.errors
import structlog
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cloud.models.sync import SyncDevice, SyncEvent
from cloud.services.sales.bulk import RawJson, insert_rows
from cloud.services.sales.claims import Owner, foreign_claims
from cloud.services.sales.projector import Origin, Projection, project
from sync.errors import BatchInvalid, DeviceMismatch, DeviceRevoked, EventConflict, SeqConflict
from sync.protocol import PushRequest, PushResponse, content_hash
from sync.wire import Batch, Incoming, from_request

__all__ = ["Origin", "PushOutcome", "gaps_of", "push", "stream_state"]

log = structlog.get_logger(__name__)

_E = SyncEvent.__table__
_D = SyncDevice.__table__
_EVENT_COLUMNS = ("device_id", "seq", "event_id", "tenant_id", "type", "aggregate_id",
                  "created_at", "received_at", "content_hash", "batch_id", "payload", "refused")
_MAX_GAPS = 100
_WALK_LIMIT = 100_000


@dataclass(frozen=True)
class PushOutcome:
    response: PushResponse
    projection: Projection


def _check_batch(events: Sequence[Incoming]) -> None:
    seen: set[uuid.UUID] = set()
    prev = 0
    for ev in events:
        if ev.seq <= prev:
            raise BatchInvalid("seqs in a batch must be strictly increasing",
                               details={"seq": ev.seq, "after": prev})
        if ev.event_id in seen:
            raise BatchInvalid("an event id appears twice in the batch",
                               details={"event_id": str(ev.event_id)})
        seen.add(ev.event_id)
        prev = ev.seq


def gaps_of(session: Session, device_id: uuid.UUID, after: int,
            max_seq: int) -> tuple[int, list[tuple[int, int]]]:
    """Walk the stored seqs above ``after``: (new contiguous seq, missing ranges)."""
    if max_seq <= after:
        return after, []
    seqs = session.scalars(select(_E.c.seq).where(_E.c.device_id == device_id, _E.c.seq > after)
                           .order_by(_E.c.seq).limit(_WALK_LIMIT)).all()
    contiguous = after
    gaps: list[tuple[int, int]] = []
    expected = after + 1
    for s in seqs:
        if s == expected and not gaps:
            contiguous = s
        elif s > expected and len(gaps) < _MAX_GAPS:
            gaps.append((expected, s - 1))
        expected = s + 1
    return contiguous, gaps


def stream_state(session: Session, device_id: uuid.UUID) -> tuple[int, int, list[tuple[int, int]]]:
    """(acked_through, max_seq, gaps) of a device, for status answers."""
    row = session.execute(select(_D.c.acked_through, _D.c.max_seq)
                          .where(_D.c.id == device_id)).one()
    _c, gaps = gaps_of(session, device_id, row.acked_through, row.max_seq)
    return row.acked_through, row.max_seq, gaps


def _store(session: Session, origin: Origin, batch_id: uuid.UUID,
           new: Sequence[tuple[Incoming, str]], now: datetime) -> Projection:
    """Insert the new events and project those that claim nothing foreign.

    Receipt and payment ids are checked for foreign owners only when the database refuses the
    batch with a unique violation; if that finds nothing to refuse, the violation is the till
    re-using one of its own ids (``SYNC_EVENT_CONFLICT``).
    """
    owner = Owner(origin.tenant_id, origin.till_id)
    fresh = [ev for ev, _ in new]
    refused = foreign_claims(session, owner, fresh)
    for attempt in (1, 2):
        try:
            with session.begin_nested():
                insert_rows(session, _E, _event_rows(origin, batch_id, new, now, refused),
                            columns=_EVENT_COLUMNS)
                projection = project(session, origin,
                                     [ev for ev in fresh if ev.seq not in refused], now)
        except (IntegrityError, psycopg.errors.IntegrityError) as exc:
            more = foreign_claims(session, owner, fresh, receipts=True) if attempt == 1 else {}
            if not more.keys() - refused.keys():
                raise EventConflict("an id in the batch already belongs to another event or "
                                    "document", details={"error": type(exc).__name__}) from exc
            refused = {**more, **refused}
            continue
        for ev in fresh:
            if ev.seq in refused:
                log.warning("sync_event_refused", device=str(origin.device_id),
                            tenant=str(origin.tenant_id), seq=ev.seq, type=ev.type,
                            reason=refused[ev.seq])
        return projection
    raise AssertionError("unreachable")  # pragma: no cover


def _event_rows(origin: Origin, batch_id: uuid.UUID, new: Sequence[tuple[Incoming, str]],
                now: datetime, refused: dict[int, str]) -> list[tuple[object, ...]]:
    device, tenant, batch = str(origin.device_id), str(origin.tenant_id), str(batch_id)
    return [(device, ev.seq, ev.event_id, tenant, ev.type, ev.aggregate_id, ev.created_at, now,
             digest, batch, RawJson(ev.payload_json.decode()), refused.get(ev.seq))
            for ev, digest in new]


def push(session: Session, origin: Origin, request: Batch | PushRequest,
         now: datetime) -> PushOutcome:
    """Store and project one batch; see the module docstring for the rules.

    ``request`` is what :func:`sync.wire.decode_push` made of the body (or a validated
    :class:`PushRequest`, as in-process callers have it).
    """
    if isinstance(request, PushRequest):
        request = from_request(request)
    if request.device_id != origin.device_id:
        raise DeviceMismatch(details={"device_id": str(request.device_id)})
    events = request.events
    _check_batch(events)
    dev = session.execute(
        select(_D.c.status, _D.c.acked_through, _D.c.max_seq)
        .where(_D.c.id == origin.device_id).with_for_update()).one()
    if dev.status != "active":
        raise DeviceRevoked()
    lo, hi = events[0].seq, events[-1].seq
    stored: dict[int, tuple[uuid.UUID, str]] = {}
    if lo <= dev.max_seq:
        stored = {r.seq: (r.event_id, r.content_hash) for r in session.execute(
            select(_E.c.seq, _E.c.event_id, _E.c.content_hash)
            .where(_E.c.device_id == origin.device_id, _E.c.seq.between(lo, hi)))}
    new: list[tuple[Incoming, str]] = []
    for ev in events:
        digest = content_hash(ev, ev.payload_json)
        held = stored.get(ev.seq)
        if held is None:
            new.append((ev, digest))
        elif held[0] != ev.event_id:
            raise SeqConflict(f"seq {ev.seq} already holds another event: the till's journal "
                              "went backwards (restored or replaced?)",
                              details={"seq": ev.seq, "event_id": str(ev.event_id)})
        elif held[1] != digest:
            raise EventConflict(f"event {ev.event_id} was already received with other content",
                                details={"seq": ev.seq, "event_id": str(ev.event_id)})
    projection = Projection()
    if new:
        projection = _store(session, origin, request.batch_id, new, now)
    max_seq = max(dev.max_seq, hi)
    contiguous = dev.acked_through
    if len(events) == hi - lo + 1 and lo <= contiguous + 1:
        contiguous = max(contiguous, hi)
    contiguous, gaps = gaps_of(session, origin.device_id, contiguous, max_seq)
    session.execute(update(_D).where(_D.c.id == origin.device_id).values(
        acked_through=contiguous, max_seq=max_seq, events_count=_D.c.events_count + len(new),
        last_push_at=now))
    log.info("sync_push", device=str(origin.device_id), batch=str(request.batch_id),
             first=lo, last=hi, stored=len(new), duplicates=len(events) - len(new),
             acked_through=contiguous, gaps=len(gaps), sales=projection.sales,
             returns=projection.returns, flagged=projection.flagged_lines)
    return PushOutcome(PushResponse(device_id=origin.device_id, acked_through=contiguous,
                                    stored=len(new), duplicates=len(events) - len(new),
                                    gaps=gaps, max_seq=max_seq), projection)
