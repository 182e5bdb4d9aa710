"""``/api/v1/sync``: enrollment, device tokens, push, pull, snapshot and status for tills, plus
the back office's enrollment codes, device list/revocation and till users.

Till endpoints speak the versioned messages of :mod:`sync.protocol` (bodies as they are, no
envelope; gzip accepted and answered) and authenticate with the device token
(``Authorization: Bearer tbd_…``). Back-office endpoints use the usual user/API-key auth and
the seed-001 envelope. Errors use the seed-001 error body with ``SYNC_*`` codes.
"""

from __future__ import annotations

import gzip
import uuid
import zlib
from datetime import timedelta
from typing import Annotated, Any

import pydantic_core
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy import select

from cloud import audit
from cloud.api.deps import ClockDep, RuntimeDep, SessionDep, require_scopes
from cloud.api.responses import PageDep, error_responses, ok, paginated
from cloud.auth import rbac
from cloud.auth.principal import Principal
from cloud.models.stores import Store
from cloud.models.sync import SyncDevice, TillUser
from cloud.schemas.common import Envelope, Paginated
from cloud.schemas.sync import (
    CodeIn,
    CodeOut,
    DeviceOut,
    TillUserIn,
    TillUserOut,
    TillUserPatch,
)
from cloud.services.catalog.stores import get_store
from cloud.services.pagination import paginate
from cloud.services.sync import devices, enrollment, pull, snapshot, till_users
from cloud.services.sync import push as push_service
from sync.errors import BatchInvalid, DeviceMismatch
from sync.protocol import (
    VERSION_HEADER,
    DeviceStatus,
    EnrollRequest,
    EnrollResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    check_version,
    parse_message,
)
from sync.wire import decode_push

__all__ = ["router"]

rbac.register_scopes("sync:manage", roles=(rbac.Role.STORE_MANAGER,))
router = APIRouter(prefix="/api/v1/sync", tags=["sync"], responses=error_responses())
stores_router = APIRouter(prefix="/api/v1/stores", tags=["sync"], responses=error_responses())
routers = (router, stores_router)

Manager = Annotated[Principal, require_scopes("sync:manage")]
MAX_INFLATED = 32 * 1024 * 1024


# -- till side ------------------------------------------------------------------------------------

async def _raw_body(request: Request) -> bytes:
    return await request.body()


def _inflate(request: Request, raw: bytes) -> bytes:
    """The body, gunzipped when sent with ``Content-Encoding: gzip`` (bounded)."""
    if request.headers.get(VERSION_HEADER):
        check_version(request.headers[VERSION_HEADER])
    if "gzip" in request.headers.get("content-encoding", "").lower():
        try:
            d = zlib.decompressobj(31)
            raw = d.decompress(raw, MAX_INFLATED)
            if d.unconsumed_tail:
                raise BatchInvalid("the inflated body is too large",
                                   details={"limit": MAX_INFLATED})
        except zlib.error as exc:
            raise BatchInvalid("the body is not valid gzip") from exc
    return raw


def _decode(request: Request, raw: bytes) -> Any:
    """The JSON body (see :func:`_inflate`)."""
    raw = _inflate(request, raw)
    try:
        return pydantic_core.from_json(raw)
    except ValueError as exc:
        raise BatchInvalid("the body is not valid JSON") from exc


def _answer(request: Request, message: Any, status: int = 200) -> Response:
    body = message.model_dump_json().encode()
    headers = {VERSION_HEADER: str(message.version)}
    if len(body) > 1024 and "gzip" in request.headers.get("accept-encoding", ""):
        body = gzip.compress(body, compresslevel=5)
        headers["Content-Encoding"] = "gzip"
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def _device(request: Request, session: SessionDep, clock: ClockDep) -> SyncDevice:
    """The enrolled device the bearer token belongs to (tenant-scoped session from here on)."""
    auth = request.headers.get("authorization", "")
    token = auth[7:].strip() if auth[:7].lower() == "bearer " else None
    if request.headers.get(VERSION_HEADER):
        check_version(request.headers[VERSION_HEADER])
    device = devices.authenticate(session, token, clock.now())
    audit.set_context(session, audit.AuditContext(actor_type="system",
                                                  actor_name=f"till device {device.id}"))
    return device


DeviceDep = Annotated[SyncDevice, Depends(_device)]
RawBody = Annotated[bytes, Depends(_raw_body)]


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(defs[ref.rsplit("/", 1)[1]], defs)
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def _doc(model: type[Any]) -> dict[str, Any]:
    """OpenAPI request body of a message the route parses itself (version first, gzip)."""
    schema = model.model_json_schema()
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": _inline(schema, schema.get("$defs", {}))}}}}


@router.post("/enroll", response_model=EnrollResponse, status_code=201,
             openapi_extra=_doc(EnrollRequest))
def enroll(request: Request, raw: RawBody, session: SessionDep, clock: ClockDep,
           runtime: RuntimeDep) -> Response:
    """Trade a one-time enrollment code for a device token (shown once)."""
    body = parse_message(EnrollRequest, _decode(request, raw))
    audit.set_context(session, audit.AuditContext(actor_type="system",
                                                  actor_name="till enrollment"))
    done = enrollment.exchange(session, body, clock.now())
    return _answer(request, EnrollResponse(
        device_id=done.device.id, device_token=done.token, tenant_id=done.device.tenant_id,
        store=done.store, till=done.till, acked_through=done.device.acked_through,
        jwks=runtime.keyring.jwks()), status=201)


@router.post("/push", response_model=PushResponse, openapi_extra=_doc(PushRequest))
def push(request: Request, raw: RawBody, device: DeviceDep, session: SessionDep,
         clock: ClockDep) -> Response:
    """Store a batch of the till's events exactly once and project them (all or nothing)."""
    body = decode_push(_inflate(request, raw))
    if body.device_id != device.id:
        raise DeviceMismatch(details={"device_id": str(body.device_id)})
    outcome = push_service.push(session, devices.origin_of(session, device), body, clock.now())
    return _answer(request, outcome.response)


def _store(session: SessionDep, device: SyncDevice) -> Store:
    return get_store(session, device.tenant_id, device.store_id)


@router.get("/pull", response_model=PullResponse)
def pull_page(request: Request, device: DeviceDep, session: SessionDep, clock: ClockDep,
              cursor: Annotated[str | None, Query(max_length=64)] = None,
              limit: Annotated[int, Query(ge=1, le=5000)] = 1000) -> Response:
    """Changes for this till after ``cursor`` (catalog, prices, till users, settings)."""
    now = clock.now()
    store = _store(session, device)
    page = pull.pull(session, tenant_id=device.tenant_id, store_id=device.store_id,
                     till_id=device.till_id, country=store.country, cursor=cursor,
                     limit=limit, now=now)
    devices.touch_pull(session, device.id, page.cursor, now)
    return _answer(request, page)


@router.get("/snapshot", response_class=StreamingResponse,
            responses={200: {"content": {snapshot.MEDIA_TYPE: {}},
                             "description": "gzip NDJSON: header, changes, end"}})
def bootstrap(device: DeviceDep, session: SessionDep, clock: ClockDep,
              runtime: RuntimeDep) -> StreamingResponse:
    """Everything a new till needs, streamed and compressed; then follow the feed from the
    header's cursor."""
    store = _store(session, device)
    stream = snapshot.snapshot_stream(runtime.sessions, tenant_id=device.tenant_id,
                                      store_id=device.store_id, country=store.country,
                                      now=clock.now())
    return StreamingResponse(stream, media_type=snapshot.MEDIA_TYPE,
                             headers={"Content-Encoding": "gzip", VERSION_HEADER: "1"})


@router.get("/status", response_model=DeviceStatus)
def device_status(request: Request, device: DeviceDep, session: SessionDep) -> Response:
    """Where this till's event stream stands in the cloud (acknowledged seq, gaps)."""
    acked, max_seq, gaps = push_service.stream_state(session, device.id)
    return _answer(request, DeviceStatus(
        device_id=device.id, status=device.status, acked_through=acked, max_seq=max_seq,
        gaps=gaps, events=device.events_count, last_push_at=device.last_push_at,
        last_pull_at=device.last_pull_at, feed_head=pull.head(session, device.tenant_id)))


# -- back office ---------------------------------------------------------------------------------

@stores_router.post("/{store_id}/tills/{till_id}/enrollment-codes",
                    response_model=Envelope[CodeOut], status_code=201)
def create_code(store_id: uuid.UUID, till_id: uuid.UUID, request: Request, session: SessionDep,
                clock: ClockDep, p: Manager, body: CodeIn | None = None) -> Any:
    """A one-time code that enrolls a till installation (shown once)."""
    row, code = enrollment.create_code(
        session, tenant_id=p.tenant_id, store_id=store_id, till_id=till_id,
        created_by=p.email or str(p.id), now=clock.now(),
        ttl=timedelta(hours=(body.ttl_hours if body else 24)))
    return ok(request, CodeOut(code=code, store_id=row.store_id, till_id=row.till_id,
                               expires_at=row.expires_at))


@router.get("/devices", response_model=Paginated[DeviceOut])
def list_devices(request: Request, session: SessionDep, p: Manager, page: PageDep,
                 store_id: Annotated[uuid.UUID | None, Query(alias="storeId")] = None,
                 till_id: Annotated[uuid.UUID | None, Query(alias="tillId")] = None) -> Any:
    stmt = select(SyncDevice).where(SyncDevice.tenant_id == p.tenant_id)
    if store_id is not None:
        stmt = stmt.where(SyncDevice.store_id == store_id)
    if till_id is not None:
        stmt = stmt.where(SyncDevice.till_id == till_id)
    rows, pagination = paginate(session, stmt.order_by(SyncDevice.enrolled_at.desc()), page)
    return paginated(request, [DeviceOut.model_validate(d) for d in rows], pagination)


@router.post("/devices/{device_id}/revoke", response_model=Envelope[DeviceOut])
def revoke_device(device_id: uuid.UUID, request: Request, session: SessionDep,
                  clock: ClockDep, p: Manager) -> Any:
    """Revoke a till's device token: it can no longer push, pull or download snapshots."""
    device = devices.revoke(session, tenant_id=p.tenant_id, device_id=device_id,
                            by=p.email or str(p.id), now=clock.now())
    return ok(request, DeviceOut.model_validate(device))


@router.get("/till-users", response_model=Envelope[list[TillUserOut]])
def list_till_users(request: Request, session: SessionDep, p: Manager,
                    store_id: Annotated[uuid.UUID | None, Query(alias="storeId")] = None) -> Any:
    rows: list[TillUser] = till_users.list_users(session, p.tenant_id, store_id)
    return ok(request, [TillUserOut.model_validate(u) for u in rows])


@router.post("/till-users", response_model=Envelope[TillUserOut], status_code=201)
def create_till_user(body: TillUserIn, request: Request, session: SessionDep, clock: ClockDep,
                     p: Manager) -> Any:
    """A cashier or store manager for tills; tills receive it (PIN hash only) on next pull."""
    user = till_users.create_user(session, tenant_id=p.tenant_id, login=body.login,
                                  name=body.name, role=body.role, pin=body.pin,
                                  store_id=body.store_id, now=clock.now())
    return ok(request, TillUserOut.model_validate(user))


@router.patch("/till-users/{user_id}", response_model=Envelope[TillUserOut])
def update_till_user(user_id: uuid.UUID, body: TillUserPatch, request: Request,
                     session: SessionDep, clock: ClockDep, p: Manager) -> Any:
    user = till_users.update_user(session, tenant_id=p.tenant_id, user_id=user_id,
                                  name=body.name, role=body.role, pin=body.pin,
                                  active=body.active, now=clock.now())
    return ok(request, TillUserOut.model_validate(user))


@router.delete("/till-users/{user_id}", status_code=204, response_class=Response)
def delete_till_user(user_id: uuid.UUID, session: SessionDep, clock: ClockDep,
                     p: Manager) -> Response:
    till_users.delete_user(session, tenant_id=p.tenant_id, user_id=user_id, now=clock.now())
    return Response(status_code=204)

