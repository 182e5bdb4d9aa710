"""Label templates decode back to the fields a shopper reads."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.devices.printers.labels import (
    LabelContent,
    LabelSpec,
    TemplateError,
    render_labels,
    unit_price,
)
from desktop.devices.profiles import label_profile
from desktop.devices.protocols.tspl.parse import parse as parse_tspl
from desktop.devices.protocols.zpl.parse import parse as parse_zpl

ZEBRA = LabelSpec.for_profile(label_profile("zebra-zd420"), 58, 40)
TSC = LabelSpec.for_profile(label_profile("tsc-te200"), 58, 40)

CHEESE = LabelContent("product", name="Сир «Гауда» ^XZ", price=12550, currency="UAH",
                      language="uk", unit="kg", unit_quantity=Decimal("0.5"),
                      barcode="4006381333931", sku="SKU-7", qr="https://shop.example/p/7")


def test_product_label_zpl_fields() -> None:
    """GIVEN a weighed product WHEN rendered as ZPL THEN name, price, price per kg, SKU,
    EAN-13 and QR read back, inside the 58x40 mm label at 203 dpi."""
    parsed = parse_zpl(render_labels(ZEBRA, [(CHEESE, 3)]).decode())
    (label,) = parsed.labels
    assert label.texts() == ["Сир «Гауда» ^XZ", "125,50 грн", "251,00 грн/кг", "SKU-7"]
    assert label.of_kind("ean13")[0].data == "4006381333931"
    assert label.of_kind("qr")[0].data == "https://shop.example/p/7"
    assert label.copies == 3 and (label.width, label.length) == (464, 320)
    assert all(f.x < label.width and f.y < label.length for f in label.fields)


def test_non_ean_barcode_uses_code128_and_300_dpi_scales() -> None:
    spec = LabelSpec.for_profile(label_profile("zebra-zd421-300"), 58, 40)
    c = LabelContent("product", name="Cutie", price=999, currency="RON", language="ro",
                     barcode="ABC-123")
    (label,) = parse_zpl(render_labels(spec, [(c, 1)]).decode()).labels
    assert label.of_kind("code128")[0].data == "ABC-123"
    assert label.width == round(58 * 300 / 25.4)
    assert label.texts() == ["Cutie", "9,99 lei"]


def test_shelf_label_has_old_price() -> None:
    c = LabelContent("shelf", name="Ulei", price=1299, old_price=1599, currency="RON",
                     language="ro", unit="l", unit_quantity=Decimal("0.9"))
    (label,) = parse_zpl(render_labels(ZEBRA, [(c, 1)]).decode()).labels
    assert label.texts() == ["Ulei", "12,99 lei", "14,43 lei/l", "15,99 lei"]


def test_tspl_product_label() -> None:
    (label,) = parse_tspl(render_labels(TSC, [(CHEESE, 2)]).decode())
    assert label.texts() == ["Сир «Гауда» ^XZ", "125,50 грн", "251,00 грн/кг", "SKU-7"]
    assert [(f.kind, f.data) for f in label.fields if f.kind != "text"] == [
        ("barcode", "400638133393"), ("qr", "https://shop.example/p/7")]
    assert label.copies == 2


def test_batch_is_one_stream_with_one_format_per_product() -> None:
    items = [(LabelContent("product", name=f"P{i}", price=100 + i), 1 + i % 2)
             for i in range(100)]
    parsed = parse_zpl(render_labels(ZEBRA, items).decode())
    assert len(parsed.labels) == 100
    assert parsed.total_copies == sum(q for _, q in items)


def test_custom_template_fills_and_escapes() -> None:
    tpl = "^XA^FO10,10^A0N,30,30^FH_^FD{name}^FS^FO10,50^A0N,20,20^FD{sku}^FS^XZ"
    c = LabelContent("custom", custom_template=tpl,
                     values=(("name", "Vin ^XZ~HS roșu_1"), ("sku", "S-1")))
    parsed = parse_zpl(render_labels(ZEBRA, [(c, 4)]).decode())
    assert parsed.host_status_requests == 0
    (label,) = parsed.labels
    assert label.texts() == ["Vin  XZ HS roșu_1", "S-1"] and label.copies == 4


def test_custom_template_problems_are_template_errors() -> None:
    with pytest.raises(TemplateError, match="without data: sku"):
        render_labels(ZEBRA, [(LabelContent("custom", custom_template="^XA^FD{sku}^FS^XZ"), 1)])
    with pytest.raises(TemplateError, match="ZPL template"):
        render_labels(ZEBRA, [(LabelContent("custom", custom_template="PRINT 1"), 1)])
    with pytest.raises(TemplateError):
        render_labels(ZEBRA, [])


def test_unit_price_rounds_half_up() -> None:
    assert unit_price(12550, Decimal("0.5")) == 25100
    assert unit_price(1000, Decimal("0.3")) == 3333
    assert unit_price(1, Decimal("0.2")) == 5
    with pytest.raises(TemplateError):
        unit_price(100, Decimal(0))
