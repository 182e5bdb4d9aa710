"""Every error as a sentence a cashier can act on: what happened — what to do now.

Nothing here ever shows a traceback or an exception name: unknown failures become "the sale is
kept, press Retry, call support with this code", and the details go to the log.

:data:`_PROBLEMS` is the whole mapping, one row per error class. :func:`explain` walks the
error's class hierarchy (its MRO), so a subclass without a row of its own gets its nearest
ancestor's sentence — e.g. every :class:`~desktop.devices.errors.DeviceError` without a row
says "the device reported an error". A new error the cashier can act on gets one row here.
Sentences are translated when shown (the cashier may switch language), so each row holds a
function, and every text stays a literal ``translate("Problems", …)`` call for ``lupdate``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from desktop.core import errors as till
from desktop.devices import errors as dev
from desktop.devices.fiscal import errors as fiscal
from desktop.devices.printers.status import PrinterState
from desktop.store.errors import StoreBusy, StoreError
from desktop.ui.locale import time_text, translate
from desktop.ui.status import DeviceHealth, Health, SyncState
from shared.errors import TillbridgeError

__all__ = ["Problem", "explain", "fiscal_text", "printer_text", "sync_text"]


@dataclass(frozen=True)
class Problem:
    """What to show: the text, and whether a Retry button makes sense."""

    text: str
    retry: bool = False
    code: str = ""


@dataclass(frozen=True)
class _Row:
    """One row of the table: the sentence for an error (translated when called), whether a
    Retry button makes sense, and whether the error's code goes with it (support reads it)."""

    text: Callable[[Any], str]
    retry: bool = False
    coded: bool = True


def _pin(exc: till.InvalidPin) -> str:
    left = exc.details.get("attempts_left")
    if isinstance(left, int):
        return translate(
            "Problems", "Wrong PIN — %n attempt(s) left before the account locks.", None, left
        )
    return translate("Problems", "Wrong PIN — try again.")


def _not_for_sale(_: Any) -> str:
    return translate("Problems", "This product is not for sale on this till — call a manager.")


def _no_answer(_: Any) -> str:
    return translate(
        "Problems", "The device does not answer — check its power and cable, then press Retry."
    )


_PROBLEMS: dict[type[BaseException], _Row] = {
    # -- the till core: the code goes with the sentence ------------------------------------------
    till.UnknownBarcode: _Row(lambda e: translate(
        "Problems", "Unknown barcode {code} — check the number or find the product by name (F2)."
    ).format(code=e.details.get("barcode", e.details.get("code", "")))),
    till.MalformedWeightedBarcode: _Row(lambda _: translate(
        "Problems", "The scale label cannot be read — weigh the item again and print a new label."
    )),
    till.UnknownProduct: _Row(_not_for_sale),
    till.ProductInactive: _Row(_not_for_sale),
    till.InvalidQuantity: _Row(lambda _: translate(
        "Problems",
        "Enter a valid quantity: whole pieces, or up to 3 decimals for weight and length.",
    )),
    till.InvalidDiscount: _Row(lambda _: translate(
        "Problems",
        "This discount is not possible — it must be more than 0 and not more than the amount.",
    )),
    till.InvalidPrice: _Row(lambda _: translate("Problems", "Enter a valid price.")),
    till.CartEmpty: _Row(lambda _: translate(
        "Problems", "The sale is empty — scan a product first.")),
    till.CartHasPayments: _Row(lambda _: translate(
        "Problems",
        "Payments are already taken — finish the payment or remove the "
        "payments (Esc) before changing the sale.",
    )),
    till.LineNotFound: _Row(lambda _: translate(
        "Problems", "Choose a line in the sale first (arrow keys).")),
    till.InsufficientPayment: _Row(lambda _: translate(
        "Problems", "The payment does not cover the total — take another payment.")),
    till.Overpayment: _Row(lambda _: translate(
        "Problems",
        "A card payment cannot be more than the amount due — enter a smaller amount.",
    )),
    till.InvalidPayment: _Row(lambda _: translate(
        "Problems", "Check the card reference: letters and digits only, up to 32.")),
    till.InsufficientCash: _Row(lambda _: translate(
        "Problems",
        "There is not enough cash in the drawer for this — refund by card "
        "or put cash in first (F8).",
    )),
    till.ShiftClosed: _Row(lambda _: translate(
        "Problems", "No shift is open — press F9 to open a shift.")),
    till.ShiftExpired: _Row(lambda _: translate(
        "Problems",
        "The shift is open longer than the law allows — close it with a Z "
        "report (F9) and open a new one.",
    )),
    till.ShiftAlreadyOpen: _Row(lambda _: translate(
        "Problems", "A shift is already open on this till.")),
    till.ReceiptNotFound: _Row(lambda _: translate(
        "Problems",
        "No sale with this receipt number on this till — check the number "
        "printed on the receipt.",
    )),
    till.ReturnExceedsSale: _Row(lambda _: translate(
        "Problems", "That is more than the receipt sold (minus earlier returns).")),
    till.InvalidRefund: _Row(lambda _: translate(
        "Problems",
        "A card refund can only go back to a card the sale was paid with — refund in cash.",
    )),
    till.InvalidPin: _Row(_pin),
    till.AccountLocked: _Row(lambda _: translate(
        "Problems", "Too many wrong PINs — ask a manager to unlock the account.")),
    till.PermissionDenied: _Row(lambda _: translate("Problems", "A manager must approve this.")),
    till.NotLoggedIn: _Row(lambda _: translate("Problems", "Log in with your PIN first.")),
    till.AgeVerificationRequired: _Row(lambda _: translate(
        "Problems", "Age-restricted product — check the customer's ID.")),
    # -- devices: Retry once the cashier fixed it ------------------------------------------------
    dev.PaperOut: _Row(lambda _: translate(
        "Problems", "Printer out of paper — replace the roll and press Retry."),
        retry=True, coded=False),
    dev.CoverOpen: _Row(lambda _: translate(
        "Problems", "Printer cover is open — close it and press Retry."),
        retry=True, coded=False),
    dev.DeviceOffline: _Row(_no_answer, retry=True, coded=False),
    dev.DeviceTimeout: _Row(_no_answer, retry=True, coded=False),
    dev.DeviceBusy: _Row(lambda _: translate(
        "Problems", "The device is busy — wait a moment and press Retry."),
        retry=True, coded=False),
    dev.DeviceError: _Row(lambda e: translate(
        "Problems",
        "The device reported an error — check its display, then press Retry. "
        "If it repeats, call support (code {code}).",
    ).format(code=e.code), retry=True, coded=False),
    # -- the fiscal device -----------------------------------------------------------------------
    fiscal.ShiftNotOpen: _Row(lambda _: translate(
        "Problems", "The fiscal day is not open — check the fiscal device, then press Retry."),
        retry=True, coded=False),
    fiscal.ShiftTooLong: _Row(lambda _: translate(
        "Problems", "The fiscal device needs a Z report — close the shift (F9)."), coded=False),
    fiscal.ReceiptInDoubt: _Row(lambda _: translate(
        "Problems",
        "The fiscal device did not confirm the receipt — it will not be "
        "sent twice. Check the device and press Retry.",
    ), retry=True, coded=False),
    fiscal.OfflineBlocked: _Row(lambda _: translate(
        "Problems",
        "The fiscal service is offline too long — connect the till to the "
        "internet, then press Retry.",
    ), retry=True, coded=False),
    fiscal.VatNotProgrammed: _Row(lambda _: translate(
        "Problems",
        "The fiscal device lacks a VAT rate of this sale — call the service engineer.",
    ), coded=False),
    fiscal.OriginalNotFound: _Row(lambda _: translate(
        "Problems",
        "The original sale has no fiscal receipt on this device — refund "
        "it at the till where it was sold.",
    ), coded=False),
    fiscal.NotConfigured: _Row(lambda _: translate(
        "Problems", "No fiscal device is configured — a manager can set one up in Settings."),
        coded=False),
    fiscal.FiscalError: _Row(lambda e: translate(
        "Problems", "The fiscal device refused the document — call support (code {code})."
    ).format(code=e.code), coded=False),
    # -- the till's own store --------------------------------------------------------------------
    StoreBusy: _Row(lambda _: translate(
        "Problems", "The till is busy saving — press Retry."), retry=True),
    StoreError: _Row(lambda _: translate(
        "Problems",
        "The till could not save — the disk may be full or damaged. What "
        "is already sold is kept; call support.",
    ), retry=True),
}


def explain(exc: BaseException) -> Problem:
    """The cashier's sentence for ``exc`` (never the exception's own text when unknown): the
    row of the nearest class in its MRO, else "press Retry, call support with this code"."""
    for cls in type(exc).__mro__:
        row = _PROBLEMS.get(cls)
        if row is not None:
            code = getattr(exc, "code", "") if row.coded else ""
            return Problem(row.text(exc), row.retry, code)
    code = exc.code if isinstance(exc, TillbridgeError) else "SYS_INTERNAL_ERROR"
    return Problem(
        translate(
            "Problems",
            "Something went wrong — what is already sold is kept. Press Retry; "
            "if it happens again, call support (code {code}).",
        ).format(code=code),
        True,
        code,
    )


def printer_text(h: DeviceHealth) -> tuple[str, str]:
    """(short status-bar word, sentence to act on) for the receipt printer."""
    if h.health is Health.OFF:
        return translate("Problems", "not configured"), translate(
            "Problems", "No receipt printer is set up — a manager can add one in Settings (F11)."
        )
    state = h.state
    if state == PrinterState.PAPER_OUT:
        return translate("Problems", "out of paper"), translate(
            "Problems", "Printer out of paper — replace the roll and press Retry."
        )
    if state == PrinterState.COVER_OPEN:
        return translate("Problems", "cover open"), translate(
            "Problems", "Printer cover is open — close it and press Retry."
        )
    if state == PrinterState.OFFLINE:
        return translate("Problems", "offline"), translate(
            "Problems", "Printer does not answer — check its power and cable, then press Retry."
        )
    if state == PrinterState.PAPER_LOW:
        return translate("Problems", "paper low"), translate(
            "Problems", "Printer paper is running out — have a new roll ready."
        )
    if state == PrinterState.TESTING:
        return translate("Problems", "checking…"), ""
    if h.health is Health.ERROR:
        return translate("Problems", "error"), translate(
            "Problems", "Printer reports an error — check it, then press Retry."
        )
    return translate("Problems", "ready"), ""


def fiscal_text(h: DeviceHealth) -> tuple[str, str]:
    """(short word, sentence) for the fiscal device."""
    if h.health is Health.OFF:
        return translate("Problems", "not configured"), ""
    if h.state == "offline":
        return translate("Problems", "offline"), translate(
            "Problems",
            "Fiscal device does not answer — check its power and cable; "
            "receipts wait and are sent once it answers.",
        )
    if h.state == "in_doubt":
        return translate("Problems", "%n to check", None, h.queued), translate(
            "Problems",
            "Some receipts were not confirmed by the fiscal "
            "device — check the device, then press Retry.",
        )
    if h.state == "refused":  # documents the device refused: the detail says what to do
        return translate("Problems", "%n refused", None, h.queued), h.detail
    if h.health is Health.ERROR:
        return translate("Problems", "error"), translate(
            "Problems", "Fiscal device reports: {detail}"
        ).format(detail=h.detail)
    if h.health is Health.WARN:
        return translate("Problems", "warning"), h.detail
    return translate("Problems", "ready"), ""


def sync_text(s: SyncState) -> str:
    """``online · 3 waiting · 14:05`` style text for the sync slot (with the last error while
    the link is down: the cashier reads it to support on the phone)."""
    waiting = translate("Problems", "%n event(s) waiting", None, s.pending)
    if not s.configured:
        return translate("Problems", "not connected") + " · " + waiting
    state = translate("Problems", "online") if s.online else translate("Problems", "offline")
    last = (
        (" · " + translate("Problems", "last {time}").format(time=time_text(s.last_sync)))
        if s.last_sync
        else ""
    )
    error = s.error if len(s.error) <= 80 else s.error[:79] + "…"
    problem = (
        " · " + translate("Problems", "error: {detail}").format(detail=error) if error else ""
    )
    return f"{state} · {waiting}{last}{problem}"
