"""The till half of sync over HTTP (httpx): enroll, push the outbox, pull the feed, bootstrap.

Every call is resumable because the state lives in the till store, not here: the next push
starts after the highest seq the cloud acknowledged, the next pull after the cursor stored
with the last applied page. Requests are gzip-compressed; failures are mapped at this boundary
to :mod:`sync.errors` (no httpx error escapes): transport problems and 5xx/429 are
``TransientSyncError`` (retry with backoff), the cloud's refusals ``PermanentSyncError``.

The till is reached only through its ports (:class:`sync.ports.TillPorts`). The background
loop that calls this is :class:`sync.runner.SyncRunner`.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import structlog
from pydantic import BaseModel

from shared.ids import uuid7
from sync import state
from sync.errors import BadResponse, Offline, ServerBusy, SyncError, error_for_code
from sync.feed import Applied, apply_changes, apply_users, snapshot_reader
from sync.ports import TillOutbox, TillPorts
from sync.protocol import (
    PROTOCOL_VERSION,
    VERSION_HEADER,
    DeviceStatus,
    EnrollRequest,
    EnrollResponse,
    Event,
    PullResponse,
    PushRequest,
    PushResponse,
    check_version,
)

__all__ = ["BootstrapResult", "PushResult", "SyncClient", "enroll"]

log = structlog.get_logger(__name__)
M = TypeVar("M", bound=BaseModel)

_APP_VERSION = "1"


def _timeout(seconds: float) -> httpx.Timeout:
    return httpx.Timeout(seconds, connect=min(5.0, seconds))


def _send(http: httpx.Client, method: str, url: str, *, body: BaseModel | None = None,
          params: dict[str, Any] | None = None) -> httpx.Response:
    headers = {VERSION_HEADER: str(PROTOCOL_VERSION)}
    content = None
    if body is not None:
        content = gzip.compress(body.model_dump_json().encode(), compresslevel=5)
        headers |= {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    try:
        resp = http.request(method, url, content=content, params=params, headers=headers)
        _raise_for(resp)
        return resp
    except httpx.TimeoutException as exc:
        raise Offline("the cloud did not answer in time") from exc
    except (httpx.RemoteProtocolError, httpx.DecodingError) as exc:
        raise BadResponse(f"the cloud's answer was cut or damaged ({type(exc).__name__})") from exc
    except httpx.HTTPError as exc:
        raise Offline(f"cannot reach the cloud ({type(exc).__name__})") from exc


def _raise_for(resp: httpx.Response) -> None:
    if resp.status_code < 400:
        return
    code, message, details = None, None, None
    try:
        body = resp.json()
        err = body.get("error") if isinstance(body, dict) else None
        if isinstance(err, dict):
            code, message, details = err.get("code"), err.get("message"), err.get("details")
    except ValueError:
        pass
    if resp.status_code >= 500 or resp.status_code == 429:
        raise ServerBusy(message or f"the cloud answered {resp.status_code}",
                         details={"status": resp.status_code, "code": code})
    raise error_for_code(str(code or f"HTTP_{resp.status_code}"), message,
                         status=resp.status_code,
                         details=details if isinstance(details, dict) else None)


def _message(resp: httpx.Response, cls: type[M]) -> M:
    try:
        data = resp.json()
    except (ValueError, httpx.DecodingError) as exc:
        raise BadResponse("the cloud's answer is not JSON") from exc
    if not isinstance(data, dict):
        raise BadResponse("the cloud's answer is not a JSON object")
    check_version(data.get("version"))
    try:
        return cls.model_validate(data)
    except ValueError as exc:
        raise BadResponse(f"the cloud's answer is not a valid {cls.__name__}") from exc


def enroll(till: TillOutbox, home: Path, cloud_url: str, code: str, *,
           transport: httpx.BaseTransport | None = None, timeout: float = 15.0) -> state.Enrollment:
    """Trade ``code`` for a device token and remember the link in ``home``."""
    oldest = till.outbox_after(0, 1)  # pruning always keeps the newest event
    first = oldest[0].seq if oldest else 1
    request = EnrollRequest(code=code.strip(), device_uid=state.device_uid(home),
                            app_version=_APP_VERSION, outbox_first_seq=max(1, first))
    with httpx.Client(base_url=cloud_url.rstrip("/"), transport=transport,
                      timeout=_timeout(timeout)) as http:
        msg = _message(_send(http, "POST", "/api/v1/sync/enroll", body=request),
                       EnrollResponse)
    enrolled = state.Enrollment(
        cloud_url=cloud_url.rstrip("/"), device_id=str(msg.device_id),
        device_token=msg.device_token, tenant_id=str(msg.tenant_id), store=msg.store,
        till=msg.till, enrolled_at=datetime.now(UTC).isoformat(), jwks=msg.jwks)
    state.save(home, enrolled)
    log.info("sync_enrolled", device=str(msg.device_id), store=msg.store.get("code"),
             till=msg.till.get("code"))
    return enrolled


@dataclass(frozen=True)
class PushResult:
    sent: int
    acked_through: int
    gaps: list[tuple[int, int]]


@dataclass(frozen=True)
class BootstrapResult:
    products: int
    users: int
    skipped: int
    cursor: str


class SyncClient:
    """One till's link to its cloud; cheap to build, holds one HTTP connection pool."""

    def __init__(self, till: TillPorts, enrollment: state.Enrollment, *, home: Path | None = None,
                 transport: httpx.BaseTransport | None = None, timeout: float = 15.0,
                 batch_size: int = 500, page_size: int = 1000) -> None:
        self.till = till
        self.enrollment = enrollment
        self.home = home
        self.batch_size = batch_size
        self.page_size = page_size
        self._http = httpx.Client(
            base_url=enrollment.cloud_url, transport=transport, timeout=_timeout(timeout),
            headers={"Authorization": f"Bearer {enrollment.device_token}",
                     "Accept-Encoding": "gzip"})
        self._server_acked: int | None = None

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- status ----------------------------------------------------------------------------------

    def status(self) -> DeviceStatus:
        msg = _message(_send(self._http, "GET", "/api/v1/sync/status"), DeviceStatus)
        self._server_acked = msg.acked_through
        return msg

    # -- push ------------------------------------------------------------------------------------

    def push_once(self) -> PushResult:
        """Send the next batch after what the cloud holds; acknowledge what it confirms."""
        local = self.till.outbox_stats()
        start = local.acked_through if self._server_acked is None else self._server_acked
        events = self.till.outbox_after(start, self.batch_size)
        if not events:
            return PushResult(0, start, [])
        request = PushRequest.model_validate({
            "device_id": self.enrollment.device_id, "batch_id": uuid7(),
            "events": [Event.model_validate({
                "event_id": e.event_id, "seq": e.seq, "type": e.type,
                "aggregate_id": e.aggregate_id, "created_at": e.created_at,
                "payload": e.payload}) for e in events]})
        msg = _message(_send(self._http, "POST", "/api/v1/sync/push", body=request),
                       PushResponse)
        self._server_acked = msg.acked_through
        up_to = min(msg.acked_through, events[-1].seq)
        if up_to > local.acked_through:
            self.till.ack_outbox(up_to)
        if msg.gaps:
            log.warning("sync_gaps_reported", gaps=msg.gaps[:5], acked_through=msg.acked_through)
        return PushResult(len(events), msg.acked_through, list(msg.gaps))

    def push_all(self, *, max_batches: int = 1000) -> int:
        """Push until the outbox is drained (or ``max_batches``); returns events sent."""
        sent = 0
        for _ in range(max_batches):
            res = self.push_once()
            sent += res.sent
            if res.sent == 0 or res.acked_through < 0:
                break
            if res.gaps and res.acked_through < res.gaps[0][0] - 1:
                break
        return sent

    def pending(self) -> int:
        return self.till.outbox_stats().pending

    # -- pull ------------------------------------------------------------------------------------

    def pull_once(self) -> tuple[Applied, bool]:
        """Apply the next feed page; returns what changed and whether more pages wait."""
        cursor = self.till.catalog_cursor()
        params = {"limit": self.page_size} | ({"cursor": cursor} if cursor else {})
        page = _message(_send(self._http, "GET", "/api/v1/sync/pull", params=params),
                        PullResponse)
        applied = apply_changes(self.till, page.changes, cursor=page.cursor, home=self.home)
        return applied, page.has_more

    def pull_all(self, *, max_pages: int = 10_000) -> int:
        """Bootstrap if this till never pulled, else follow the feed to its end."""
        if self.till.catalog_cursor() is None:
            return self.bootstrap().products
        changed = 0
        for _ in range(max_pages):
            applied, more = self.pull_once()
            changed += applied.upserts + applied.deletes + applied.users
            if not more:
                break
        return changed

    # -- bootstrap -------------------------------------------------------------------------------

    def bootstrap(self, progress: Callable[[int, int], None] | None = None) -> BootstrapResult:
        """Replace the catalog with the cloud's snapshot, then remember its feed cursor."""
        try:
            with self._http.stream("GET", "/api/v1/sync/snapshot",
                                   headers={VERSION_HEADER: str(PROTOCOL_VERSION)}) as resp:
                if resp.status_code >= 400:
                    resp.read()
                    _raise_for(resp)
                header, products, users, skipped = snapshot_reader(
                    _lines(resp.iter_bytes()), reader=self.till.product_reader(),
                    progress=progress)
                # Records were checked by the till's reader while read; its bulk load (one
                # transaction, indexes and search built at the end) takes them.
                inserted = self.till.load_snapshot(products)
        except SyncError:
            raise
        except httpx.TimeoutException as exc:
            raise Offline("the snapshot download timed out") from exc
        except (httpx.RemoteProtocolError, httpx.DecodingError) as exc:
            raise BadResponse("the snapshot download was cut or damaged") from exc
        except httpx.HTTPError as exc:
            raise Offline(f"cannot download the snapshot ({type(exc).__name__})") from exc
        if users:
            apply_users(self.till, users)
        self.till.apply_products([], [], cursor=header.cursor)
        if progress is not None:
            progress(inserted + len(users), inserted + len(users))
        log.info("sync_bootstrapped", products=inserted, users=len(users),
                 skipped=len(skipped), cursor=header.cursor)
        return BootstrapResult(inserted, len(users), len(skipped), header.cursor)


def _lines(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """NDJSON lines from a byte stream (the last line must end with a newline)."""
    rest = b""
    for chunk in chunks:
        rest += chunk
        *done, rest = rest.split(b"\n")
        yield from (line for line in done if line)


def describe(error: SyncError) -> dict[str, Any]:
    return {"code": error.code, "message": error.message, "details": error.details}

