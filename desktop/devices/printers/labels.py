"""Label templates → ZPL or TSPL: price label, shelf label and a free template.

Positions are computed from the label size in mm and the printer's DPI (203 dpi = 8 dots/mm,
300 dpi ≈ 11.8), so the same template fits 58x40 and 100x50 labels. A batch (many products,
each with a quantity) becomes one job: one format per product with ``^PQ``/``PRINT 1,n``.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from decimal import Decimal

from desktop.devices.printers.i18n import words
from desktop.devices.profiles import LabelProfile
from desktop.devices.protocols.escpos.barcode import ean13_check_digit
from desktop.devices.protocols.tspl import build as tspl
from desktop.devices.protocols.zpl import build as zpl
from shared.money import format_money, round_half_up

__all__ = ["LabelContent", "LabelSpec", "TemplateError", "render_labels", "unit_price"]

_LOCALES = {"uk": "uk", "ro": "ro", "en": "en", "ru": "uk"}


class TemplateError(ValueError):
    """The label data does not fit the template (missing field, bad template)."""


@dataclass(frozen=True)
class LabelSpec:
    """The media and language of one label printer."""

    width_mm: float
    height_mm: float
    dpi: int
    language: str  # "zpl" | "tspl"
    tspl_codepage: str = "UTF-8"
    tspl_font: str = "3"

    @classmethod
    def for_profile(cls, profile: LabelProfile, width_mm: float, height_mm: float,
                    dpi: int | None = None) -> LabelSpec:
        return cls(width_mm, height_mm, dpi or profile.dpi, profile.language,
                   profile.tspl_codepage, profile.tspl_font)

    def dots(self, mm: float) -> int:
        return round(mm * self.dpi / 25.4)


@dataclass(frozen=True)
class LabelContent:
    """What one label shows. ``template`` is "product", "shelf" or "custom"."""

    template: str
    name: str = ""
    price: int | None = None
    currency: str = "UAH"
    language: str = "uk"
    unit: str | None = None  # "kg" | "l" | "pcs"
    unit_quantity: Decimal | None = None  # net contents in ``unit`` (0.5 for 500 g)
    barcode: str | None = None
    sku: str | None = None
    qr: str | None = None
    old_price: int | None = None
    custom_template: str | None = None
    values: tuple[tuple[str, str], ...] = ()


def unit_price(price: int, unit_quantity: Decimal) -> int:
    """Price per 1 kg / 1 l / 1 piece, rounded half up to the minor unit."""
    if unit_quantity <= 0:
        raise TemplateError("unit quantity must be positive")
    return round_half_up(Decimal(price) / unit_quantity)


def _money(c: LabelContent, minor: int) -> str:
    # plain spaces: label fonts do not all have U+00A0
    text = format_money(minor, c.currency, _LOCALES.get(c.language, "en"))
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _unit_line(c: LabelContent) -> str | None:
    """"25,10 lei/kg"; none for pieces sold one by one (it would repeat the price)."""
    if c.price is None or not c.unit:
        return None
    if c.unit == "pcs" and c.unit_quantity in (None, Decimal(1)):
        return None
    per = unit_price(c.price, c.unit_quantity or Decimal(1))
    unit = words(c.language).get(f"unit_{c.unit}", c.unit)
    return f"{_money(c, per)}/{unit}"


def _barcode_kind(code: str) -> str:
    if code.isdigit() and len(code) == 13 and ean13_check_digit(code[:12]) == code[12]:
        return "ean13"
    if code.isdigit() and len(code) == 12:
        return "ean13"
    return "code128"


def _zpl(spec: LabelSpec, c: LabelContent, copies: int) -> str:
    w, h = spec.dots(spec.width_mm), spec.dots(spec.height_mm)
    m = spec.dots(2)
    parts = [zpl.start(w, h)]
    shelf = c.template == "shelf"
    name_h = spec.dots(4.5 if shelf else 3.5)
    qr_side = spec.dots(min(18, spec.height_mm * 0.4)) if c.qr else 0
    text_w = w - 2 * m - (qr_side + m if c.qr else 0)
    y = m
    parts.append(zpl.text(m, y, c.name, height=name_h, block_width=text_w, lines=2))
    y += 2 * name_h + m // 2
    if c.price is not None:
        price_h = spec.dots(10 if shelf else 7)
        parts.append(zpl.text(m, y, _money(c, c.price), height=price_h))
        y += price_h + m // 2
    small = spec.dots(2.8)
    unit = _unit_line(c)
    if unit:
        parts.append(zpl.text(m, y, unit, height=small))
        y += small + m // 3
    if shelf and c.old_price:
        parts.append(zpl.text(m, y, _money(c, c.old_price), height=small))
        y += small + m // 3
    if c.sku:
        parts.append(zpl.text(m, y, c.sku, height=small))
        y += small + m // 3
    if c.barcode:
        bar_h = max(spec.dots(6), h - y - spec.dots(5))
        bar_h = min(bar_h, spec.dots(15))
        module = 2 if spec.dpi < 300 else 3
        if _barcode_kind(c.barcode) == "ean13":
            parts.append(zpl.ean13(m, y, c.barcode[:12], height=bar_h, module=module))
        else:
            parts.append(zpl.code128(m, y, c.barcode, height=bar_h, module=module))
    if c.qr:
        mag = max(1, min(10, qr_side // 29))
        parts.append(zpl.qr(w - m - qr_side, m, c.qr, magnification=mag))
    parts.append(zpl.end(copies))
    return "".join(parts)


def _tspl(spec: LabelSpec, c: LabelContent, copies: int) -> str:
    w, h = spec.dots(spec.width_mm), spec.dots(spec.height_mm)
    m = spec.dots(2)
    font = spec.tspl_font
    lines = tspl.header(spec.width_mm, spec.height_mm, codepage=spec.tspl_codepage)
    y = m
    lines.append(tspl.text(m, y, c.name, font=font))
    y += spec.dots(5)
    if c.price is not None:
        mul = 3 if c.template == "shelf" else 2
        lines.append(tspl.text(m, y, _money(c, c.price), font=font, xmul=mul, ymul=mul))
        y += spec.dots(3.2 * mul)
    unit = _unit_line(c)
    if unit:
        lines.append(tspl.text(m, y, unit, font=font))
        y += spec.dots(4)
    if c.template == "shelf" and c.old_price:
        lines.append(tspl.text(m, y, _money(c, c.old_price), font=font))
        y += spec.dots(4)
    if c.sku:
        lines.append(tspl.text(m, y, c.sku, font=font))
        y += spec.dots(4)
    if c.barcode:
        bar_h = min(spec.dots(15), max(spec.dots(6), h - y - spec.dots(5)))
        if _barcode_kind(c.barcode) == "ean13":
            lines.append(tspl.barcode(m, y, c.barcode[:12], kind="EAN13", height=bar_h))
        else:
            lines.append(tspl.barcode(m, y, c.barcode, kind="128", height=bar_h))
    if c.qr:
        lines.append(tspl.qrcode(w - m - spec.dots(16), m, c.qr, cell=4))
    lines.append(tspl.print_(copies))
    return "\r\n".join(lines) + "\r\n"


def _custom(spec: LabelSpec, c: LabelContent, copies: int) -> str:
    tpl = c.custom_template or ""
    if spec.language == "zpl" and not ("^XA" in tpl and "^XZ" in tpl):
        raise TemplateError("a ZPL template must contain ^XA … ^XZ")
    if spec.language == "tspl" and "PRINT" not in tpl.upper():
        raise TemplateError("a TSPL template must contain PRINT")
    values = dict(c.values)
    names = {f for _, f, _, _ in string.Formatter().parse(tpl) if f is not None}
    missing = sorted(n for n in names if n not in values)
    if missing:
        raise TemplateError(f"template fields without data: {', '.join(missing)}")
    bad = [n for n in names if not n.isidentifier()]
    if bad:
        raise TemplateError(f"template fields must be plain names: {', '.join(bad)}")
    if spec.language == "zpl":
        clean = {k: v.translate({ord("^"): " ", ord("~"): " "}) for k, v in values.items()}
        clean = {k: zpl.escape(v).replace("_5F", "_") for k, v in clean.items()}
        body = tpl.format(**clean)
        if copies > 1:
            body = body.replace("^XZ", f"^PQ{copies}^XZ")
        return body
    clean = {k: tspl.escape(v) for k, v in values.items()}
    body = tpl.format(**clean)
    if copies > 1:
        body = body.replace("PRINT 1\r\n", f"PRINT 1,{copies}\r\n")
    return body


def render_labels(spec: LabelSpec, batch: list[tuple[LabelContent, int]]) -> bytes:
    """One job's bytes for ``[(label, copies), ...]``."""
    if not batch:
        raise TemplateError("nothing to print")
    out: list[str] = []
    for content, copies in batch:
        if content.template == "custom":
            out.append(_custom(spec, content, copies))
        elif content.template in ("product", "shelf"):
            out.append((_zpl if spec.language == "zpl" else _tspl)(spec, content, copies))
        else:
            raise TemplateError(f"unknown label template {content.template!r}")
    text = "\n".join(out) if spec.language == "zpl" else "".join(out)
    if spec.language == "tspl" and spec.tspl_codepage not in ("UTF-8", "utf-8"):
        return text.encode(f"cp{spec.tspl_codepage}", errors="replace")
    return text.encode("utf-8")
