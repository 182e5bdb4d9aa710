"""Receipt rendering, asserted on what the decoded paper shows."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from desktop.devices.errors import CapabilityNotSupported
from desktop.devices.printers.config import PrinterConfig
from desktop.devices.printers.document import ReceiptDocument, ReceiptLine
from desktop.devices.printers.drivers import ReceiptDriver
from desktop.devices.printers.receipt import ReceiptRenderer
from desktop.devices.printers.samples import sample_receipt
from desktop.devices.profiles import ReceiptProfile, receipt_profile
from desktop.devices.protocols.escpos.decode import decode
from desktop.devices.protocols.escpos.image import raster_image
from desktop.devices.protocols.escpos.paper import CutMode
from desktop.devices.transports import DummyTransport

UK_EXPECTED = [
    "ТОВ «Тілбрідж Маркет»",
    "м. Київ, вул. Січових Стрільців, 1",
    "ПН 123456789012",
    "ФН ПРРО 4000123456",
    "ФІСКАЛЬНИЙ ЧЕК",
    "-" * 48,
    "Касир: Іванна Ґудзь",
    "Чек № S01-T01-0001-0001         15.01.2026 10:30",
    "-" * 48,
    "Хліб «Український» житній",
    "  1 шт x 32,50                           32,50 А",
    "Ґринджоли дитячі «Їжачок»",
    "  1 шт x 899,00                         899,00 А",
    "Сир твердий «Гауда» вагова",
    "  0,345 кг x 429,90                     148,32 А",
    "Пігулки від кашлю",
    "  2 шт x 87,40                          174,80 Б",
    "-" * 48,
    "СУМА                                    1 254,62",
    "ПДВ А 20%                                 179,97",
    "ПДВ Б 7%                                   11,44",
    "Готівка                                 1 300,00",
    "Решта                                      45,38",
    "-" * 48,
    "Дякуємо за покупку!",
]


def _page(profile: str, doc: ReceiptDocument, **kw):  # type: ignore[no-untyped-def]
    out = decode(ReceiptRenderer(receipt_profile(profile), **kw).render(doc))
    assert len(out.pages) == 1
    return out.pages[0]


def test_ukrainian_receipt_on_wpc1251_reads_back_exactly() -> None:
    """GIVEN a Ukrainian sale WHEN rendered for an 80 mm WPC1251 printer
    THEN the paper shows every line, the fiscal QR, the number barcode and a partial cut."""
    page = _page("generic-80", sample_receipt("uk"))
    assert page.text == UK_EXPECTED
    assert page.qr_codes == ["https://cabinet.tax.gov.ua/cashregs/check?fn=4000123456"]
    assert [(b.kind, b.data) for b in page.barcodes] == [("CODE128", "S01-T01-0001-0001")]
    assert page.cut == "partial"
    total = next(ln for ln in page.lines if ln.text.startswith("СУМА"))
    assert total.bold and total.height == 2 and total.width == 1


def test_romanian_receipt_keeps_diacritics_as_cedilla_forms() -> None:
    """GIVEN a Romanian sale with ș/ț (comma below) WHEN printed on a WPC1250 printer
    THEN they read back as ş/ţ (never '?') and ă/â/î stay."""
    page = _page("generic-80-42", sample_receipt("ro"))
    text = "\n".join(page.text)
    assert "?" not in text
    assert "Str. Ştefan cel Mare 5, Iaşi" in page.text
    assert "Casier: Ţuţu Ştefănescu" in page.text
    assert "Pâine ţărănească feliată" in page.text
    assert "TOTAL                               122,55" in page.text
    assert "Vă mulţumim!" in page.text
    assert page.qr_codes == ["https://anaf.ro/bon?id=RO12345678-000123"]
    assert all(len(ln.text) <= 42 for ln in page.lines)


def test_cp866_model_prints_ukrainian_with_lookalikes() -> None:
    """GIVEN a 58 mm model configured for CP866 WHEN printing Ukrainian
    THEN і/І become Latin i/I, Ґ becomes Г, nothing is '?', and 32 columns hold."""
    page = _page("xprinter-xp-58", sample_receipt("uk"))
    assert "Касир: Iванна Гудзь" in page.text
    assert "?" not in "".join(page.text)
    assert all(len(ln.text) <= 32 for ln in page.lines)
    assert page.cut is None  # this model has no cutter


def test_copy_is_marked_top_and_bottom() -> None:
    page = _page("generic-80", sample_receipt("uk", is_copy=True))
    assert page.text[0] == "*** КОПІЯ ***" and page.text[-1] == "*** КОПІЯ ***"
    page_ro = _page("generic-80", sample_receipt("ro", is_copy=True))
    assert page_ro.text.count("*** COPIE ***") == 2


def test_full_cut_and_drawer_pulse() -> None:
    doc = sample_receipt("uk").model_copy(update={"open_drawer": True})
    page = _page("generic-80", doc, cut_mode=CutMode.FULL, drawer_pin=5)
    assert page.cut == "full" and page.drawer_pulses == [5]


def test_missing_capabilities_raise() -> None:
    no_qr = ReceiptProfile(**{**receipt_profile("generic-80").__dict__, "qr": False})
    with pytest.raises(CapabilityNotSupported):
        ReceiptRenderer(no_qr).render(sample_receipt("uk"))
    no_drawer = ReceiptProfile(**{**receipt_profile("generic-80").__dict__, "drawer_pins": ()})
    with pytest.raises(CapabilityNotSupported):
        ReceiptRenderer(no_drawer).render_drawer()


def test_logo_raster_comes_first_and_fits_the_head() -> None:
    logo = raster_image(Image.new("1", (800, 40), 0), max_width=576)
    page = _page("generic-80", sample_receipt("uk"), logo=logo)
    assert page.images == [(576, 29)]


names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzșțăîІіЇїҐґ «»-0123456789", min_size=1,
                max_size=150)


@settings(max_examples=40, deadline=None)
@given(st.lists(names, min_size=1, max_size=5), st.sampled_from(["generic-58", "generic-80-42",
                                                                 "generic-80"]),
       st.integers(min_value=1, max_value=10**9))
def test_no_line_ever_exceeds_the_paper(names: list[str], profile: str, price: int) -> None:
    lines = [ReceiptLine(name=n, quantity=Decimal("1234.567"), unit="kg", unit_price=price,
                         total=price * 1234, vat_letter="A", discount=price // 3)
             for n in names]
    total = sum(ln.total for ln in lines)
    doc = ReceiptDocument(receipt_number="S01-T01-0001-0001", lines=lines, subtotal=total,
                          total=total, issued_at=datetime(2026, 1, 1, tzinfo=UTC),
                          cashier="Ш" * 80, header_lines=["Х" * 100], language="ro")
    width = receipt_profile(profile).columns
    page = _page(profile, doc)
    assert all(len(ln.text) <= width for ln in page.lines)
    for n in names:  # every name is printed in full, only wrapped
        flat = "".join(page.text).replace(" ", "")
        assert ReceiptRenderer(receipt_profile(profile)).charset("ro").normalize(n) \
            .replace(" ", "") in flat


def test_plain_text_job_wraps_and_cuts() -> None:
    r = ReceiptRenderer(receipt_profile("generic-58"))
    page = decode(r.render_text("===== ЧЕК =====\n" + "слово " * 20, language="uk")).pages[0]
    assert page.text[0] == "===== ЧЕК ====="
    assert all(len(ln.text) <= 32 for ln in page.lines)
    assert page.cut is None


def test_printer_logo_from_config(tmp_path: Path) -> None:
    """GIVEN a printer configured with a logo file WHEN it renders THEN the raster comes first;
    a broken image file prints without a logo instead of failing the receipt."""
    good = tmp_path / "logo.png"
    Image.new("L", (200, 60), 0).save(good)
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"not an image")
    base = {"id": "p", "name": "P", "type": "thermal", "connection": "file", "device": "/x"}
    with_logo = ReceiptDriver(PrinterConfig.model_validate({**base, "logo_path": str(good)}),
                              DummyTransport())
    page = decode(with_logo.renderer.render(sample_receipt("uk"))).pages[0]
    assert page.images == [(576, 60)] and "logo" in with_logo.config.capabilities
    broken = ReceiptDriver(PrinterConfig.model_validate({**base, "logo_path": str(bad)}),
                           DummyTransport())
    assert decode(broken.renderer.render(sample_receipt("uk"))).pages[0].images == []
    with pytest.raises(ValueError, match="no image file"):
        PrinterConfig.model_validate({**base, "logo_path": str(tmp_path / "none.png")})
