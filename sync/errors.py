"""The sync engine's exception tree and its stable error codes (shared by till and cloud).

::

    SyncError (TillbridgeError)
     ├── TransientSyncError            retry with backoff
     │    ├── Offline                  SYNC_OFFLINE            no connection, timeout, reset
     │    ├── ServerBusy               SYNC_SERVER_BUSY        5xx, 429
     │    └── BadResponse              SYNC_BAD_RESPONSE       truncated / undecodable answer
     └── PermanentSyncError            a person must act; retrying the same thing cannot help
          ├── NotEnrolled              SYNC_NOT_ENROLLED       no device token on this till
          ├── EnrollmentInvalid        SYNC_ENROLLMENT_INVALID code unknown, used or expired
          ├── DeviceUnauthorized       SYNC_DEVICE_UNAUTHORIZED wrong or unknown device token
          ├── DeviceRevoked            SYNC_DEVICE_REVOKED     the back office revoked the till
          ├── DeviceMismatch           SYNC_DEVICE_MISMATCH    the body names another device
          ├── VersionUnsupported       SYNC_VERSION_UNSUPPORTED protocol version not understood
          ├── BatchInvalid             SYNC_BATCH_INVALID      malformed batch or event payload
          ├── SeqConflict              SYNC_SEQ_CONFLICT       a seq already holds another event
          ├── EventConflict            SYNC_EVENT_CONFLICT     an event id re-sent, different
          └── CursorInvalid            SYNC_CURSOR_INVALID     a feed cursor we never handed out

A refused batch stores nothing: the cloud rolls the whole transaction back.
"""

from __future__ import annotations

from shared.errors import TillbridgeError

__all__ = [
    "BadResponse",
    "BatchInvalid",
    "CursorInvalid",
    "DeviceMismatch",
    "DeviceRevoked",
    "DeviceUnauthorized",
    "EnrollmentInvalid",
    "EventConflict",
    "NotEnrolled",
    "Offline",
    "PermanentSyncError",
    "SeqConflict",
    "ServerBusy",
    "SyncError",
    "TransientSyncError",
    "VersionUnsupported",
    "error_for_code",
]


class SyncError(TillbridgeError):
    """Sync failed."""

    code = "SYNC_ERROR"
    status = 500

    def __init__(self, message: str | None = None, **kwargs: object) -> None:
        kwargs.setdefault("status", type(self).status)
        super().__init__(message, **kwargs)  # type: ignore[arg-type]


class TransientSyncError(SyncError):
    """The cloud could not be reached or answered badly; try again later."""

    code = "SYNC_TRANSIENT"
    status = 503


class Offline(TransientSyncError):
    """The cloud is unreachable (no connection, timeout or reset)."""

    code = "SYNC_OFFLINE"


class ServerBusy(TransientSyncError):
    """The cloud answered with a temporary error."""

    code = "SYNC_SERVER_BUSY"


class BadResponse(TransientSyncError):
    """The cloud's answer was truncated or could not be decoded."""

    code = "SYNC_BAD_RESPONSE"


class PermanentSyncError(SyncError):
    """Sync cannot continue until a person acts."""

    code = "SYNC_PERMANENT"
    status = 400


class NotEnrolled(PermanentSyncError):
    """This till is not enrolled with a cloud (run `tillbridge-till enroll`)."""

    code = "SYNC_NOT_ENROLLED"
    status = 409


class EnrollmentInvalid(PermanentSyncError):
    """The enrollment code is unknown, already used or expired."""

    code = "SYNC_ENROLLMENT_INVALID"
    status = 400


class DeviceUnauthorized(PermanentSyncError):
    """The device token is missing, wrong or unknown."""

    code = "SYNC_DEVICE_UNAUTHORIZED"
    status = 401


class DeviceRevoked(PermanentSyncError):
    """This till's device token was revoked by the back office; enroll it again."""

    code = "SYNC_DEVICE_REVOKED"
    status = 401


class DeviceMismatch(PermanentSyncError):
    """The request names a device other than the one its token belongs to."""

    code = "SYNC_DEVICE_MISMATCH"
    status = 403


class VersionUnsupported(PermanentSyncError):
    """The sync protocol version is not supported by this side."""

    code = "SYNC_VERSION_UNSUPPORTED"
    status = 400


class BatchInvalid(PermanentSyncError):
    """The batch is malformed; nothing from it was stored."""

    code = "SYNC_BATCH_INVALID"
    status = 422


class SeqConflict(PermanentSyncError):
    """A seq in the batch already holds a different event (seq went backwards)."""

    code = "SYNC_SEQ_CONFLICT"
    status = 409


class EventConflict(PermanentSyncError):
    """An event id in the batch is already stored with different content."""

    code = "SYNC_EVENT_CONFLICT"
    status = 409


class CursorInvalid(PermanentSyncError):
    """The feed cursor is not one the cloud handed out."""

    code = "SYNC_CURSOR_INVALID"
    status = 422


_BY_CODE: dict[str, type[SyncError]] = {
    cls.code: cls for cls in (
        Offline, ServerBusy, BadResponse, NotEnrolled, EnrollmentInvalid, DeviceUnauthorized,
        DeviceRevoked, DeviceMismatch, VersionUnsupported, BatchInvalid, SeqConflict,
        EventConflict, CursorInvalid)
}


def error_for_code(code: str, message: str | None = None, *, status: int | None = None,
                   details: dict[str, object] | None = None) -> SyncError:
    """The exception a cloud error ``code`` stands for (``ServerBusy``/generic otherwise)."""
    cls = _BY_CODE.get(code)
    if cls is None:
        if status is not None and (status >= 500 or status == 429):
            return ServerBusy(message, details={"code": code, **(details or {})})
        if status in (401, 403):
            return DeviceUnauthorized(message, details={"code": code, **(details or {})})
        return PermanentSyncError(message, code=code, details=details)
    return cls(message, details=details)
