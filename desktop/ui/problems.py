"""Every error as a sentence a cashier can act on: what happened — what to do now.

Nothing here ever shows a traceback or an exception name: unknown failures become "the sale is
kept, press Retry, call support with this code", and the details go to the log.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def _till(exc: till.TillError) -> Problem | None:
    d = exc.details
    if isinstance(exc, till.UnknownBarcode):
        return Problem(
            translate(
                "Problems",
                "Unknown barcode {code} — check the number or find the product by name (F2).",
            ).format(code=d.get("barcode", d.get("code", "")))
        )
    if isinstance(exc, till.MalformedWeightedBarcode):
        return Problem(
            translate(
                "Problems",
                "The scale label cannot be read — weigh the item again and print a new label.",
            )
        )
    if isinstance(exc, till.UnknownProduct | till.ProductInactive):
        return Problem(
            translate("Problems", "This product is not for sale on this till — call a manager.")
        )
    if isinstance(exc, till.InvalidQuantity):
        return Problem(
            translate(
                "Problems",
                "Enter a valid quantity: whole pieces, or up to 3 decimals for weight and length.",
            )
        )
    if isinstance(exc, till.InvalidDiscount):
        return Problem(
            translate(
                "Problems",
                "This discount is not possible — it must be more than 0 and not "
                "more than the amount.",
            )
        )
    if isinstance(exc, till.InvalidPrice):
        return Problem(translate("Problems", "Enter a valid price."))
    if isinstance(exc, till.CartEmpty):
        return Problem(translate("Problems", "The sale is empty — scan a product first."))
    if isinstance(exc, till.CartHasPayments):
        return Problem(
            translate(
                "Problems",
                "Payments are already taken — finish the payment or remove the "
                "payments (Esc) before changing the sale.",
            )
        )
    if isinstance(exc, till.LineNotFound):
        return Problem(translate("Problems", "Choose a line in the sale first (arrow keys)."))
    if isinstance(exc, till.InsufficientPayment):
        return Problem(
            translate("Problems", "The payment does not cover the total — take another payment.")
        )
    if isinstance(exc, till.Overpayment):
        return Problem(
            translate(
                "Problems",
                "A card payment cannot be more than the amount due — enter a smaller amount.",
            )
        )
    if isinstance(exc, till.InvalidPayment):
        return Problem(
            translate("Problems", "Check the card reference: letters and digits only, up to 32.")
        )
    if isinstance(exc, till.InsufficientCash):
        return Problem(
            translate(
                "Problems",
                "There is not enough cash in the drawer for this — refund by card "
                "or put cash in first (F8).",
            )
        )
    if isinstance(exc, till.ShiftClosed):
        return Problem(translate("Problems", "No shift is open — press F9 to open a shift."))
    if isinstance(exc, till.ShiftExpired):
        return Problem(
            translate(
                "Problems",
                "The shift is open longer than the law allows — close it with a Z "
                "report (F9) and open a new one.",
            )
        )
    if isinstance(exc, till.ShiftAlreadyOpen):
        return Problem(translate("Problems", "A shift is already open on this till."))
    if isinstance(exc, till.ReceiptNotFound):
        return Problem(
            translate(
                "Problems",
                "No sale with this receipt number on this till — check the number "
                "printed on the receipt.",
            )
        )
    if isinstance(exc, till.ReturnExceedsSale):
        return Problem(
            translate("Problems", "That is more than the receipt sold (minus earlier returns).")
        )
    if isinstance(exc, till.InvalidRefund):
        return Problem(
            translate(
                "Problems",
                "A card refund can only go back to a card the sale was paid with — refund in cash.",
            )
        )
    if isinstance(exc, till.InvalidPin):
        left = d.get("attempts_left")
        if isinstance(left, int):
            return Problem(
                translate(
                    "Problems",
                    "Wrong PIN — %n attempt(s) left before the account locks.",
                    None,
                    left,
                )
            )
        return Problem(translate("Problems", "Wrong PIN — try again."))
    if isinstance(exc, till.AccountLocked):
        return Problem(
            translate("Problems", "Too many wrong PINs — ask a manager to unlock the account.")
        )
    if isinstance(exc, till.PermissionDenied):
        return Problem(translate("Problems", "A manager must approve this."))
    if isinstance(exc, till.NotLoggedIn):
        return Problem(translate("Problems", "Log in with your PIN first."))
    if isinstance(exc, till.AgeVerificationRequired):
        return Problem(translate("Problems", "Age-restricted product — check the customer's ID."))
    return None


def _device(exc: dev.DeviceError) -> Problem:
    if isinstance(exc, dev.PaperOut):
        return Problem(
            translate("Problems", "Printer out of paper — replace the roll and press Retry."), True
        )
    if isinstance(exc, dev.CoverOpen):
        return Problem(
            translate("Problems", "Printer cover is open — close it and press Retry."), True
        )
    if isinstance(exc, dev.DeviceOffline | dev.DeviceTimeout):
        return Problem(
            translate(
                "Problems",
                "The device does not answer — check its power and cable, then press Retry.",
            ),
            True,
        )
    if isinstance(exc, dev.DeviceBusy):
        return Problem(
            translate("Problems", "The device is busy — wait a moment and press Retry."), True
        )
    return Problem(
        translate(
            "Problems",
            "The device reported an error — check its display, then press Retry. "
            "If it repeats, call support (code {code}).",
        ).format(code=exc.code),
        True,
    )


def _fiscal(exc: fiscal.FiscalError) -> Problem:
    if isinstance(exc, fiscal.ShiftNotOpen):
        return Problem(
            translate(
                "Problems",
                "The fiscal day is not open — check the fiscal device, then press Retry.",
            ),
            True,
        )
    if isinstance(exc, fiscal.ShiftTooLong):
        return Problem(
            translate("Problems", "The fiscal device needs a Z report — close the shift (F9).")
        )
    if isinstance(exc, fiscal.ReceiptInDoubt):
        return Problem(
            translate(
                "Problems",
                "The fiscal device did not confirm the receipt — it will not be "
                "sent twice. Check the device and press Retry.",
            ),
            True,
        )
    if isinstance(exc, fiscal.OfflineBlocked):
        return Problem(
            translate(
                "Problems",
                "The fiscal service is offline too long — connect the till to the "
                "internet, then press Retry.",
            ),
            True,
        )
    if isinstance(exc, fiscal.VatNotProgrammed):
        return Problem(
            translate(
                "Problems",
                "The fiscal device lacks a VAT rate of this sale — call the service engineer.",
            )
        )
    if isinstance(exc, fiscal.OriginalNotFound):
        return Problem(
            translate(
                "Problems",
                "The original sale has no fiscal receipt on this device — refund "
                "it at the till where it was sold.",
            )
        )
    if isinstance(exc, fiscal.NotConfigured):
        return Problem(
            translate(
                "Problems", "No fiscal device is configured — a manager can set one up in Settings."
            )
        )
    return Problem(
        translate(
            "Problems", "The fiscal device refused the document — call support (code {code})."
        ).format(code=exc.code)
    )


def explain(exc: BaseException) -> Problem:
    """The cashier's sentence for ``exc`` (never the exception's own text when unknown)."""
    if isinstance(exc, till.TillError):
        found = _till(exc)
        if found is not None:
            return Problem(found.text, found.retry, exc.code)
    if isinstance(exc, dev.DeviceError):
        return _device(exc)
    if isinstance(exc, fiscal.FiscalError):
        return _fiscal(exc)
    if isinstance(exc, StoreBusy):
        return Problem(
            translate("Problems", "The till is busy saving — press Retry."), True, exc.code
        )
    if isinstance(exc, StoreError):
        return Problem(
            translate(
                "Problems",
                "The till could not save — the disk may be full or damaged. What "
                "is already sold is kept; call support.",
            ),
            True,
            exc.code,
        )
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
