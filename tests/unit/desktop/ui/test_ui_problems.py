"""Every failure becomes a sentence that says what to do, never an exception's own text."""

from __future__ import annotations

import pytest

from desktop.core import errors as till
from desktop.devices import errors as dev
from desktop.devices.fiscal import errors as fiscal
from desktop.devices.printers.status import PrinterState
from desktop.store.errors import StoreCorrupt
from desktop.ui.problems import explain, printer_text, sync_text
from desktop.ui.status import DeviceHealth, Health, SyncState

pytestmark = pytest.mark.qt


@pytest.mark.parametrize(("exc", "says", "retry"), [
    (till.UnknownBarcode(details={"barcode": "123"}), "Unknown barcode 123", False),
    (till.ShiftClosed(), "press F9 to open a shift", False),
    (till.ShiftExpired(), "close it with a Z report (F9)", False),
    (till.InsufficientCash(), "put cash in first (F8)", False),
    (till.InvalidPin(details={"attempts_left": 1}), "1 attempt left", False),
    (dev.PaperOut("paper out"), "Printer out of paper — replace the roll and press Retry.",
     True),
    (dev.CoverOpen("cover"), "close it and press Retry", True),
    (dev.DeviceOffline("refused"), "check its power and cable", True),
    (fiscal.ReceiptInDoubt(), "it will not be sent twice", True),
    (StoreCorrupt(), "What is already sold is kept", True),
    (RuntimeError("KeyError: 'x' at foo.py"), "call support (code SYS_INTERNAL_ERROR)", True),
])
def test_explain(english: None, exc: Exception, says: str, retry: bool) -> None:
    problem = explain(exc)
    assert says in problem.text
    assert problem.retry is retry
    assert "Error" not in problem.text and "Traceback" not in problem.text


def test_printer_words_and_advice(english: None) -> None:
    word, advice = printer_text(DeviceHealth(Health.ERROR, PrinterState.COVER_OPEN.value))
    assert word == "cover open" and "close it and press Retry" in advice
    word, advice = printer_text(DeviceHealth.not_configured())
    assert word == "not configured" and "Settings (F11)" in advice
    assert printer_text(DeviceHealth(Health.OK, "online")) == ("ready", "")


def test_sync_slot_before_and_after_the_sync_engine(english: None) -> None:
    assert sync_text(SyncState(configured=False, online=False, pending=1)) == \
        "not connected · 1 event waiting"
    assert sync_text(SyncState(configured=True, online=False, pending=12)).startswith(
        "offline · 12 events waiting")


def test_a_refused_document_is_shown_as_what_to_do_not_the_device_words(english: None) -> None:
    """The background fiscal worker keeps each refusal's error, so the status bar can say what
    the cashier does about it (here: call the engineer for a VAT rate)."""
    from desktop.documents.fiscalise import FiscalState
    from desktop.ui.problems import fiscal_text
    from desktop.ui.views.main_window import _with_refusals

    refusal = fiscal.VatNotProgrammed("TAX GROUP D NOT PROGRAMMED")
    work = FiscalState(True, True, True, 3, failed={"r1": refusal.message},
                       refusals={"r1": refusal})
    health = _with_refusals(DeviceHealth(Health.OK, "ok", name="Datecs"), work)
    word, advice = fiscal_text(health)
    assert (health.state, health.queued) == ("refused", 1)
    assert word == "1 refused"
    assert "call the service engineer" in advice and "NOT PROGRAMMED" not in advice
