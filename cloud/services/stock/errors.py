"""Stock errors (seed 001 codes).

::

    StockError (TillbridgeError)
    ├── StockInsufficient      BIZ_STOCK_INSUFFICIENT   409
    ├── LocationNotFound       VAL_REFERENCE_INVALID    422
    ├── ReservationNotFound    RES_NOT_FOUND            404
    └── ReservationClosed      RES_DELETED              410 (released or expired already)
"""

from __future__ import annotations

from shared.errors import TillbridgeError

__all__ = ["LocationNotFound", "ReservationClosed", "ReservationNotFound", "StockError",
           "StockInsufficient"]


class StockError(TillbridgeError):
    """The stock operation could not be carried out."""


class StockInsufficient(StockError):
    """Insufficient stock for quantity."""

    code = "BIZ_STOCK_INSUFFICIENT"


class LocationNotFound(StockError):
    """No such stock location."""

    code = "VAL_REFERENCE_INVALID"


class ReservationNotFound(StockError):
    """Reservation not found."""

    code = "RES_NOT_FOUND"


class ReservationClosed(StockError):
    """The reservation was already released or has expired."""

    code = "RES_DELETED"
