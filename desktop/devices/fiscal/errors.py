"""Fiscal errors: business rules of a legal document, each with its own stable code.

Device faults (paper out, cover open, fiscal memory full, 24 h without Z…) are raised as members
of the device tree in :mod:`desktop.devices.errors` carrying a ``FISCAL_*`` code, so callers can
still tell transient from permanent. Everything a cashier or an API client can get wrong is here::

    FiscalError                                   (TillbridgeError)
    ├── FiscalInvalid              422 FISCAL_INVALID_DOCUMENT       malformed lines/amounts
    │   ├── PaymentMismatch        422 FISCAL_PAYMENT_MISMATCH       payments ≠ total
    │   ├── OriginalNotFound       422 FISCAL_ORIGINAL_NOT_FOUND     return without valid original
    │   ├── ReturnExceedsOriginal  422 FISCAL_RETURN_EXCEEDS_ORIGINAL
    │   └── VatNotProgrammed       422 FISCAL_VAT_NOT_PROGRAMMED     device lacks a needed rate
    ├── ShiftNotOpen               400 FISCAL_SHIFT_NOT_OPEN
    ├── ShiftAlreadyOpen           400 FISCAL_SHIFT_ALREADY_OPEN
    ├── ShiftTooLong               409 FISCAL_SHIFT_TOO_LONG         24 h passed: Z report first
    ├── OfflineBlocked             409 FISCAL_OFFLINE_BLOCKED        offline rules forbid issuing
    │   ├── OfflineCodesExhausted  409 FISCAL_OFFLINE_CODES_EXHAUSTED
    │   └── OfflineLimitExceeded   409 FISCAL_OFFLINE_LIMIT_EXCEEDED 36 h / 168 h per month
    ├── ReceiptInDoubt             409 FISCAL_RECEIPT_IN_DOUBT       cannot tell if it was issued
    ├── ReceiptVoided              409 FISCAL_RECEIPT_VOIDED         explicitly abandoned
    ├── DocumentConflict           409 FISCAL_DOCUMENT_CONFLICT      same id, different content
    ├── DocumentNotFound           404 RESOURCE_NOT_FOUND
    └── NotConfigured              503 FISCAL_NOT_CONFIGURED         no fiscal device set up
"""

from __future__ import annotations

from typing import Any

from shared.errors import TillbridgeError

__all__ = [
    "DocumentConflict",
    "DocumentNotFound",
    "FiscalError",
    "FiscalInvalid",
    "NotConfigured",
    "OfflineBlocked",
    "OfflineCodesExhausted",
    "OfflineLimitExceeded",
    "OriginalNotFound",
    "PaymentMismatch",
    "ReceiptInDoubt",
    "ReceiptVoided",
    "ReturnExceedsOriginal",
    "ShiftAlreadyOpen",
    "ShiftNotOpen",
    "ShiftTooLong",
    "VatNotProgrammed",
]


class FiscalError(TillbridgeError):
    """Fiscal operation refused."""

    code = "FISCAL_ERROR"
    http = 409

    def __init__(self, message: str | None = None, *, code: str | None = None,
                 field: str | None = None, details: dict[str, Any] | None = None,
                 status: int | None = None) -> None:
        super().__init__(message, code=code, field=field, details=details,
                         status=status or self.http)


class FiscalInvalid(FiscalError):
    """The fiscal document is not valid."""

    code = "FISCAL_INVALID_DOCUMENT"
    http = 422


class PaymentMismatch(FiscalInvalid):
    """The payments do not add up to the receipt total."""

    code = "FISCAL_PAYMENT_MISMATCH"


class OriginalNotFound(FiscalInvalid):
    """A return must name the fiscal number of a receipt this till issued."""

    code = "FISCAL_ORIGINAL_NOT_FOUND"


class ReturnExceedsOriginal(FiscalInvalid):
    """The return gives back more than the original receipt sold."""

    code = "FISCAL_RETURN_EXCEEDS_ORIGINAL"


class VatNotProgrammed(FiscalInvalid):
    """The fiscal device has no tax group programmed for this VAT rate."""

    code = "FISCAL_VAT_NOT_PROGRAMMED"


class ShiftNotOpen(FiscalError):
    """The fiscal shift is not open."""

    code = "FISCAL_SHIFT_NOT_OPEN"
    http = 400


class ShiftAlreadyOpen(FiscalError):
    """The fiscal shift is already open."""

    code = "FISCAL_SHIFT_ALREADY_OPEN"
    http = 400


class ShiftTooLong(FiscalError):
    """The shift is older than 24 hours: close it with a Z report before selling."""

    code = "FISCAL_SHIFT_TOO_LONG"


class OfflineBlocked(FiscalError):
    """The fiscal server is unreachable and offline rules forbid issuing this document."""

    code = "FISCAL_OFFLINE_BLOCKED"


class OfflineCodesExhausted(OfflineBlocked):
    """No reserved offline fiscal codes are left: sales are blocked until the server is back."""

    code = "FISCAL_OFFLINE_CODES_EXHAUSTED"


class OfflineLimitExceeded(OfflineBlocked):
    """The legal offline time (36 h in a row, 168 h a month) is used up: sales are blocked."""

    code = "FISCAL_OFFLINE_LIMIT_EXCEEDED"


class ReceiptInDoubt(FiscalError):
    """It is not known whether the device issued this receipt; it will not be sent again."""

    code = "FISCAL_RECEIPT_IN_DOUBT"


class ReceiptVoided(FiscalError):
    """This receipt was voided and will never be issued."""

    code = "FISCAL_RECEIPT_VOIDED"


class DocumentConflict(FiscalError):
    """A document with this id exists with different content."""

    code = "FISCAL_DOCUMENT_CONFLICT"


class DocumentNotFound(FiscalError):
    """Fiscal document not found."""

    code = "RESOURCE_NOT_FOUND"
    http = 404


class NotConfigured(FiscalError):
    """No fiscal device is configured on this till."""

    code = "FISCAL_NOT_CONFIGURED"
    http = 503
