"""ReceiptDocument → ESC/POS bytes for one printer profile.

Text is normalised to the chosen code page *before* layout (so width is exact and ș/ț become
ş/ţ on cedilla-only pages), laid out to the profile's 32/42/48 columns, then encoded. Totals
are bold and double height (same width, so columns still hold).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from desktop.devices.errors import CapabilityNotSupported
from desktop.devices.printers import layout
from desktop.devices.printers.document import ReceiptDocument
from desktop.devices.printers.i18n import words
from desktop.devices.profiles import ReceiptProfile
from desktop.devices.protocols.escpos import barcode as bc
from desktop.devices.protocols.escpos import text as tx
from desktop.devices.protocols.escpos.codepages import Charset, choose_codepage
from desktop.devices.protocols.escpos.paper import CutMode, cut, drawer_pulse

__all__ = ["ReceiptRenderer"]

_LEFT, _CENTER = tx.align(tx.Align.LEFT), tx.align(tx.Align.CENTER)
_TALL = tx.size(1, 2)


class ReceiptRenderer:
    """Renders documents for one printer; cheap to call per receipt (tables are cached)."""

    def __init__(self, profile: ReceiptProfile, *, logo: bytes | None = None,
                 cut_mode: CutMode = CutMode.PARTIAL, time_zone: str = "UTC",
                 drawer_pin: int = 2) -> None:
        self.profile = profile
        self.width = profile.columns
        self.logo = logo
        self.cut_mode = CutMode(cut_mode) if profile.cutter else CutMode.NONE
        if self.cut_mode is not CutMode.NONE and self.cut_mode.value not in profile.cutter:
            self.cut_mode = CutMode(profile.cutter[0])
        self.zone = ZoneInfo(time_zone)
        self.drawer_pin = drawer_pin
        self.qr_size = 4 if profile.dots <= 384 else 5

    def charset(self, language: str) -> Charset:
        preferred = [self.profile.text_codepage[language]] \
            if language in self.profile.text_codepage else []
        return choose_codepage(self.profile.codepages, language, preferred)

    # -- building blocks -------------------------------------------------------------------
    def _lines(self, out: list[bytes], cs: Charset, lines: list[str]) -> None:
        for ln in lines:
            out.append(cs.encode(ln))
            out.append(b"\n")

    def _centered(self, out: list[bytes], cs: Charset, text: str, *, bold: bool = False) -> None:
        out.append(_CENTER)
        if bold:
            out.append(tx.BOLD_ON)
        self._lines(out, cs, layout.wrap(cs.normalize(text), self.width))
        if bold:
            out.append(tx.BOLD_OFF)
        out.append(_LEFT)

    def _row(self, out: list[bytes], cs: Charset, left: str, right: str) -> None:
        self._lines(out, cs, layout.columns(cs.normalize(left), cs.normalize(right), self.width))

    def _barcode(self, number: str) -> bytes:
        try:
            payload = bc.code128_payload(number)
        except ValueError:
            return b""
        module = min(3, self.profile.dots // bc.code128_modules(payload))
        if module < self.profile.barcode_min_module:
            return b""  # does not fit this paper; the number is printed as text already
        return _CENTER + bc.barcode_code128(number, height=48, width=module) + b"\n" + _LEFT

    def _finish(self, out: list[bytes], open_drawer: bool) -> bytes:
        if open_drawer:
            if not self.profile.drawer_pins:
                raise CapabilityNotSupported(f"{self.profile.name} has no drawer port")
            out.append(drawer_pulse(self.drawer_pin))
        out.append(tx.feed(4))
        out.append(cut(self.cut_mode))
        return b"".join(out)

    # -- documents -------------------------------------------------------------------------
    def render(self, doc: ReceiptDocument) -> bytes:
        lang, cur, w = doc.language, doc.currency, words(doc.language)
        cs = self.charset(lang)
        out: list[bytes] = [tx.INIT, tx.select_codepage(cs.escpos_id)]
        if self.logo:
            out += [_CENTER, self.logo, _LEFT]
        if doc.is_copy:
            self._centered(out, cs, w["copy"], bold=True)
        for i, line in enumerate(doc.header_lines):
            self._centered(out, cs, line, bold=i == 0)
        for fid in doc.fiscal_ids:
            self._centered(out, cs, f"{fid.label} {fid.value}")
        if doc.title:
            self._centered(out, cs, doc.title, bold=True)
        rule = cs.encode(layout.rule(self.width)) + b"\n"
        out.append(rule)
        if doc.cashier:
            self._row(out, cs, f"{w['cashier']}: {doc.cashier}", "")
        zone = ZoneInfo(doc.time_zone) if doc.time_zone else self.zone
        stamp = doc.issued_at.astimezone(zone).strftime("%d.%m.%Y %H:%M")
        self._row(out, cs, f"{w['receipt']} {doc.receipt_number}", stamp)
        out.append(rule)

        def money(v: int) -> str:
            return layout.amount(v, cur, lang)

        for item in doc.lines:
            self._lines(out, cs, layout.wrap(cs.normalize(item.name), self.width))
            unit = w.get(f"unit_{item.unit}", item.unit)
            qty = layout.quantity(item.quantity, lang)
            left = f"  {qty}{' ' + unit if unit else ''} x {money(item.unit_price)}"
            right = f"{money(item.total)}{' ' + item.vat_letter if item.vat_letter else ''}"
            self._row(out, cs, left, right)
            if item.discount:
                self._row(out, cs, f"  {w['discount']}", money(-item.discount))
        out.append(rule)
        if doc.discounts or doc.rounding:
            self._row(out, cs, w["subtotal"], money(doc.subtotal))
            for adj in doc.discounts:
                self._row(out, cs, adj.label, money(adj.amount))
            if doc.rounding:
                self._row(out, cs, w["rounding"], money(doc.rounding))
        out += [tx.BOLD_ON, _TALL]
        self._row(out, cs, w["total"], money(doc.total))
        out += [tx.SIZE_NORMAL, tx.BOLD_OFF]
        for g in doc.vat:
            rate = layout.quantity(g.rate, lang)
            self._row(out, cs, f"{w['vat']} {g.letter} {rate}%", money(g.amount))
        for p in doc.payments:
            self._row(out, cs, p.label or w[p.kind], money(p.amount))
        if doc.change:
            self._row(out, cs, w["change"], money(doc.change))
        out.append(rule)
        for line in doc.footer_lines:
            self._centered(out, cs, line)
        if doc.fiscal_qr_url:
            self.profile.require("qr")
            out += [_CENTER, bc.qr(doc.fiscal_qr_url, size=self.qr_size), b"\n", _LEFT]
        if doc.print_barcode:
            out.append(self._barcode(doc.receipt_number))
        if doc.is_copy:
            self._centered(out, cs, w["copy"], bold=True)
        return self._finish(out, doc.open_drawer)

    def render_text(self, text: str, *, language: str = "uk", is_copy: bool = False,
                    open_drawer: bool = False) -> bytes:
        """Free text (one paragraph per line, wrapped to the paper), then feed and cut."""
        cs = self.charset(language)
        out: list[bytes] = [tx.INIT, tx.select_codepage(cs.escpos_id)]
        if is_copy:
            self._centered(out, cs, words(language)["copy"], bold=True)
        for para in text.splitlines() or [""]:
            self._lines(out, cs, layout.wrap(cs.normalize(para), self.width))
        return self._finish(out, open_drawer)

    def render_drawer(self) -> bytes:
        """Only the drawer pulse."""
        if not self.profile.drawer_pins:
            raise CapabilityNotSupported(f"{self.profile.name} has no drawer port")
        return tx.INIT + drawer_pulse(self.drawer_pin)
