"""1,000 ZPL price labels per job: labels/s vs a plain f-string doing the same fields.

The baseline writes the same name, price, SKU and barcode with fixed coordinates and no
escaping, no layout from label size/DPI, no price formatting or unit price.
"""

from __future__ import annotations

from decimal import Decimal

from bench._harness import timed
from desktop.devices.printers.labels import LabelContent, LabelSpec, render_labels
from desktop.devices.profiles import label_profile
from desktop.devices.protocols.escpos.barcode import ean13_check_digit


def run(size: int) -> tuple[dict[str, object], dict[str, float]]:
    spec = LabelSpec.for_profile(label_profile("zebra-zd420"), 58, 40)
    tspl_spec = LabelSpec.for_profile(label_profile("tsc-te200"), 58, 40)
    items = []
    for i in range(size):
        digits = f"48200000{i:04d}"
        items.append((LabelContent(
            "product", name=f"Товар №{i} «Молоко 2,5%»", price=3000 + i, currency="UAH",
            language="uk", unit="l", unit_quantity=Decimal("0.9"),
            barcode=digits + ean13_check_digit(digits), sku=f"SKU-{i}"), 1))

    def ours() -> None:
        render_labels(spec, items)

    def ours_tspl() -> None:
        render_labels(tspl_spec, items)

    def baseline() -> None:
        out = []
        for c, q in items:
            out.append(
                f"^XA^CI28^PW464^LL320^FO16,16^A0N,28,28^FD{c.name}^FS"
                f"^FO16,80^A0N,56,56^FD{(c.price or 0) / 100:.2f} грн^FS"
                f"^FO16,150^A0N,22,22^FD{c.sku}^FS"
                f"^FO16,200^BY2^BEN,80,Y,N^FD{(c.barcode or '')[:12]}^FS^PQ{q}^XZ")
        "\n".join(out).encode("utf-8")

    t_ours = min(timed(ours) for _ in range(3))
    t_tspl = min(timed(ours_tspl) for _ in range(3))
    t_base = min(timed(baseline) for _ in range(3))
    return (
        {"labels": size, "template": "product", "size_mm": [58, 40], "dpi": 203},
        {
            "zpl_labels_per_s": size / t_ours,
            "tspl_labels_per_s": size / t_tspl,
            "baseline_labels_per_s": size / t_base,
            "ratio_zpl_vs_fstring": t_ours / t_base,
        },
    )
