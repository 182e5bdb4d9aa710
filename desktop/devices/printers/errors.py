"""Errors the hardware service raises towards the API, each with a stable seed-003 code.

::

    HardwareError (TillbridgeError)
    ├── PrinterNotFound        RESOURCE_NOT_FOUND    404  unknown printer id
    ├── JobNotFound            RESOURCE_NOT_FOUND    404  unknown job id
    ├── ProductNotFound        RESOURCE_NOT_FOUND    404  unknown product id
    ├── InvalidPrinterConfig   VALIDATION_ERROR      422  bad printer settings
    │   └── DeviceNotAllowed   INSUFFICIENT_PERMISSIONS 403 a file printer outside the
    │                                                    allowed device paths
    ├── InvalidPrintRequest    VALIDATION_ERROR      422  bad print data, quantity, format
    ├── WrongPrinterType       VALIDATION_ERROR      422  e.g. a label sent to a receipt printer
    ├── DuplicatePrinter       DUPLICATE_RESOURCE    409  name already used
    └── PrinterUnreachable     EXTERNAL_SERVICE_ERROR 502 nothing answers at that address

``details`` always carries ``field``, ``message`` and a machine ``reason``.
"""

from __future__ import annotations

from typing import Any

from shared.errors import TillbridgeError

__all__ = [
    "DeviceNotAllowed",
    "DuplicatePrinter",
    "HardwareError",
    "InvalidPrintRequest",
    "InvalidPrinterConfig",
    "JobNotFound",
    "PrinterNotFound",
    "PrinterUnreachable",
    "ProductNotFound",
    "WrongPrinterType",
]


class HardwareError(TillbridgeError):
    """Hardware request failed."""

    code = "VALIDATION_ERROR"
    reason = "invalid"

    def __init__(self, message: str, *, field: str | None = None, reason: str | None = None,
                 **extra: Any) -> None:
        details: dict[str, Any] = {"message": message, "reason": reason or self.reason}
        if field:
            details["field"] = field
        details.update(extra)
        super().__init__(message, field=field, details=details)


class PrinterNotFound(HardwareError):
    """Printer not found."""

    code = "RESOURCE_NOT_FOUND"
    reason = "unknown_printer"


class JobNotFound(HardwareError):
    """Print job not found."""

    code = "RESOURCE_NOT_FOUND"
    reason = "unknown_job"


class ProductNotFound(HardwareError):
    """Product not found."""

    code = "RESOURCE_NOT_FOUND"
    reason = "unknown_product"


class InvalidPrinterConfig(HardwareError):
    """Invalid printer settings."""

    reason = "invalid_printer_config"


class DeviceNotAllowed(InvalidPrinterConfig):
    """This till may not write to that device path."""

    code = "INSUFFICIENT_PERMISSIONS"
    reason = "device_not_allowed"


class InvalidPrintRequest(HardwareError):
    """Invalid print request."""

    reason = "invalid_print_request"


class WrongPrinterType(HardwareError):
    """This printer cannot print that."""

    reason = "wrong_printer_type"


class DuplicatePrinter(HardwareError):
    """A printer with that name exists."""

    code = "DUPLICATE_RESOURCE"
    reason = "duplicate_printer"


class PrinterUnreachable(HardwareError):
    """Nothing answers at the printer's address."""

    code = "EXTERNAL_SERVICE_ERROR"
    reason = "unreachable"
