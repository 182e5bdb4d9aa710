"""The till core's error tree: every refusal has a stable ``code`` and an HTTP status.

The docstring of each class is its default message. The store's own errors
(:mod:`desktop.store.errors`) sit beside this tree under ``TillbridgeError``.

::

    TillError                               TILL_ERROR
    ├── CatalogError
    │   ├── UnknownBarcode                  TILL_UNKNOWN_BARCODE          404
    │   ├── MalformedWeightedBarcode        TILL_MALFORMED_WEIGHTED_BARCODE
    │   ├── UnknownProduct                  TILL_UNKNOWN_PRODUCT          404
    │   ├── ProductInactive                 TILL_PRODUCT_INACTIVE         409
    │   └── InvalidCatalogData              TILL_INVALID_CATALOG_DATA
    ├── CartError
    │   ├── InvalidQuantity                 TILL_INVALID_QUANTITY
    │   ├── InvalidPrice                    TILL_INVALID_PRICE
    │   ├── InvalidDiscount                 TILL_INVALID_DISCOUNT
    │   ├── AgeVerificationRequired         TILL_AGE_VERIFICATION_REQUIRED 409
    │   ├── CartNotFound                    TILL_CART_NOT_FOUND           404
    │   ├── LineNotFound                    TILL_LINE_NOT_FOUND           404
    │   ├── CartEmpty                       TILL_CART_EMPTY               409
    │   └── CartHasPayments                 TILL_CART_HAS_PAYMENTS        409
    ├── PaymentError
    │   ├── InvalidPayment                  TILL_INVALID_PAYMENT
    │   ├── Overpayment                     TILL_OVERPAYMENT
    │   ├── InsufficientPayment             TILL_INSUFFICIENT_PAYMENT
    │   └── InsufficientCash                TILL_INSUFFICIENT_CASH        409
    ├── ShiftError
    │   ├── ShiftClosed                     TILL_SHIFT_CLOSED             409
    │   ├── ShiftExpired                    TILL_SHIFT_EXPIRED            409
    │   ├── ShiftAlreadyOpen                TILL_SHIFT_ALREADY_OPEN       409
    │   └── ShiftNotFound                   TILL_SHIFT_NOT_FOUND          404
    ├── ReturnError
    │   ├── ReceiptNotFound                 TILL_RECEIPT_NOT_FOUND        404
    │   ├── ReturnExceedsSale               TILL_RETURN_EXCEEDS_SALE
    │   └── InvalidRefund                   TILL_INVALID_REFUND
    ├── AuthError
    │   ├── NotLoggedIn                     TILL_NOT_LOGGED_IN            401
    │   ├── InvalidPin                      TILL_INVALID_PIN              401
    │   ├── AccountLocked                   TILL_ACCOUNT_LOCKED           423
    │   ├── PermissionDenied                TILL_PERMISSION_DENIED        403
    │   └── UserExists                      TILL_USER_EXISTS              409
    ├── FiscalConflict                      TILL_FISCAL_CONFLICT          409
    └── InvalidSettings                     TILL_INVALID_SETTINGS

Statuses not listed are 422.
"""

from __future__ import annotations

from typing import Any, ClassVar

from shared.errors import TillbridgeError

__all__ = [
    "AccountLocked",
    "AgeVerificationRequired",
    "AuthError",
    "CartEmpty",
    "CartError",
    "CartHasPayments",
    "CartNotFound",
    "CatalogError",
    "FiscalConflict",
    "InsufficientCash",
    "InsufficientPayment",
    "InvalidCatalogData",
    "InvalidDiscount",
    "InvalidPayment",
    "InvalidPin",
    "InvalidPrice",
    "InvalidQuantity",
    "InvalidRefund",
    "InvalidSettings",
    "LineNotFound",
    "MalformedWeightedBarcode",
    "NotLoggedIn",
    "Overpayment",
    "PaymentError",
    "PermissionDenied",
    "ProductInactive",
    "ReceiptNotFound",
    "ReturnError",
    "ReturnExceedsSale",
    "ShiftAlreadyOpen",
    "ShiftClosed",
    "ShiftError",
    "ShiftExpired",
    "ShiftNotFound",
    "TillError",
    "UnknownBarcode",
    "UnknownProduct",
    "UserExists",
]


class TillError(TillbridgeError):
    """The till refused the request."""

    code = "TILL_ERROR"
    http_status: ClassVar[int] = 422

    def __init__(
        self,
        message: str | None = None,
        *,
        details: dict[str, Any] | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message, details=details, field=field, status=self.http_status)


# -- catalog ---------------------------------------------------------------------------------


class CatalogError(TillError):
    """The catalog cannot answer this request."""

    code = "TILL_CATALOG_ERROR"


class UnknownBarcode(CatalogError):
    """No active product has this barcode."""

    code = "TILL_UNKNOWN_BARCODE"
    http_status = 404


class MalformedWeightedBarcode(CatalogError):
    """The scale barcode is malformed (length, digits or check digit)."""

    code = "TILL_MALFORMED_WEIGHTED_BARCODE"


class UnknownProduct(CatalogError):
    """No product has this SKU or id."""

    code = "TILL_UNKNOWN_PRODUCT"
    http_status = 404


class ProductInactive(CatalogError):
    """The product exists but is not for sale."""

    code = "TILL_PRODUCT_INACTIVE"
    http_status = 409


class InvalidCatalogData(CatalogError):
    """Catalog data is invalid; nothing was imported."""

    code = "TILL_INVALID_CATALOG_DATA"


# -- cart ------------------------------------------------------------------------------------


class CartError(TillError):
    """The cart cannot be changed as asked."""

    code = "TILL_CART_ERROR"


class InvalidQuantity(CartError):
    """The quantity must be positive; pieces must be whole; at most 3 decimals."""

    code = "TILL_INVALID_QUANTITY"


class InvalidPrice(CartError):
    """The price must be a non-negative amount in minor units."""

    code = "TILL_INVALID_PRICE"


class InvalidDiscount(CartError):
    """The discount is out of range or would make an amount negative."""

    code = "TILL_INVALID_DISCOUNT"


class AgeVerificationRequired(CartError):
    """This product is age-restricted: confirm the customer's age first."""

    code = "TILL_AGE_VERIFICATION_REQUIRED"
    http_status = 409


class CartNotFound(CartError):
    """No open cart has this id."""

    code = "TILL_CART_NOT_FOUND"
    http_status = 404


class LineNotFound(CartError):
    """The cart has no active line with this number."""

    code = "TILL_LINE_NOT_FOUND"
    http_status = 404


class CartEmpty(CartError):
    """The cart has no lines to sell."""

    code = "TILL_CART_EMPTY"
    http_status = 409


class CartHasPayments(CartError):
    """The cart already has payments: remove them before changing lines or discounts."""

    code = "TILL_CART_HAS_PAYMENTS"
    http_status = 409


# -- payments --------------------------------------------------------------------------------


class PaymentError(TillError):
    """The payment cannot be accepted."""

    code = "TILL_PAYMENT_ERROR"


class InvalidPayment(PaymentError):
    """The payment is malformed (amount, type or card reference)."""

    code = "TILL_INVALID_PAYMENT"


class Overpayment(PaymentError):
    """A non-cash payment may not exceed the amount due."""

    code = "TILL_OVERPAYMENT"


class InsufficientPayment(PaymentError):
    """The payments do not cover the total; the sale stays open."""

    code = "TILL_INSUFFICIENT_PAYMENT"


class InsufficientCash(PaymentError):
    """The cash drawer does not hold enough cash for this."""

    code = "TILL_INSUFFICIENT_CASH"
    http_status = 409


# -- shifts ----------------------------------------------------------------------------------


class ShiftError(TillError):
    """The shift does not allow this."""

    code = "TILL_SHIFT_ERROR"
    http_status = 409


class ShiftClosed(ShiftError):
    """No shift is open on this till: open a shift first."""

    code = "TILL_SHIFT_CLOSED"


class ShiftExpired(ShiftError):
    """The shift is older than the legal maximum: close it (Z report) before selling."""

    code = "TILL_SHIFT_EXPIRED"


class ShiftAlreadyOpen(ShiftError):
    """A shift is already open on this till."""

    code = "TILL_SHIFT_ALREADY_OPEN"


class ShiftNotFound(ShiftError):
    """No shift has this number."""

    code = "TILL_SHIFT_NOT_FOUND"
    http_status = 404


# -- returns ---------------------------------------------------------------------------------


class ReturnError(TillError):
    """The return cannot be made as asked."""

    code = "TILL_RETURN_ERROR"


class ReceiptNotFound(ReturnError):
    """No completed receipt has this number or id on this till."""

    code = "TILL_RECEIPT_NOT_FOUND"
    http_status = 404


class ReturnExceedsSale(ReturnError):
    """More would be returned than was sold minus earlier returns."""

    code = "TILL_RETURN_EXCEEDS_SALE"


class InvalidRefund(ReturnError):
    """Refunds must match the return total, by the original payment type or cash."""

    code = "TILL_INVALID_REFUND"


# -- users -----------------------------------------------------------------------------------


class AuthError(TillError):
    """Authentication or authorisation failed."""

    code = "TILL_AUTH_ERROR"
    http_status = 401


class NotLoggedIn(AuthError):
    """Log in with a PIN first."""

    code = "TILL_NOT_LOGGED_IN"


class InvalidPin(AuthError):
    """Unknown user or wrong PIN."""

    code = "TILL_INVALID_PIN"


class AccountLocked(AuthError):
    """Too many wrong PINs: the account is locked for a while."""

    code = "TILL_ACCOUNT_LOCKED"
    http_status = 423


class PermissionDenied(AuthError):
    """This action needs a store manager's approval."""

    code = "TILL_PERMISSION_DENIED"
    http_status = 403


class UserExists(AuthError):
    """A user with this login already exists."""

    code = "TILL_USER_EXISTS"
    http_status = 409


# -- fiscal and settings ---------------------------------------------------------------------


class FiscalConflict(TillError):
    """A different fiscal result is already recorded for this document."""

    code = "TILL_FISCAL_CONFLICT"
    http_status = 409


class InvalidSettings(TillError):
    """The till settings are invalid."""

    code = "TILL_INVALID_SETTINGS"
