"""Turn ESC/POS bytes back into what a person sees: text lines, barcodes, QR codes, cuts.

Tests and the demo assert on this view instead of on raw bytes; the emulator uses it to show
jobs. Text is decoded with the code page the stream selected (``ESC t n``, Epson ids).
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from dataclasses import dataclass, field

from desktop.devices.protocols.escpos.codepages import EPSON_CODEPAGES
from desktop.devices.protocols.escpos.tokens import tokenize

__all__ = ["Barcode", "Line", "Page", "Printout", "decode", "decode_code128"]

_BARCODE_TYPES = {0: "UPC-A", 1: "UPC-E", 2: "EAN13", 3: "EAN8", 4: "CODE39", 5: "ITF",
                  6: "CODABAR", 65: "UPC-A", 66: "UPC-E", 67: "EAN13", 68: "EAN8", 69: "CODE39",
                  70: "ITF", 71: "CODABAR", 72: "CODE93", 73: "CODE128"}


@dataclass(frozen=True)
class Line:
    """One printed line and the style it started with."""

    text: str
    align: int = 0
    bold: bool = False
    width: int = 1
    height: int = 1


@dataclass(frozen=True)
class Barcode:
    kind: str
    data: str


@dataclass
class Page:
    """Everything printed up to a cut (or the end of the stream)."""

    lines: list[Line] = field(default_factory=list)
    barcodes: list[Barcode] = field(default_factory=list)
    qr_codes: list[str] = field(default_factory=list)
    images: list[tuple[int, int]] = field(default_factory=list)
    drawer_pulses: list[int] = field(default_factory=list)
    cut: str | None = None

    @property
    def text(self) -> list[str]:
        """Printed lines without blank ones, right-stripped."""
        return [ln.text.rstrip() for ln in self.lines if ln.text.strip()]


@dataclass
class Printout:
    pages: list[Page] = field(default_factory=list)
    status_queries: list[int] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def cut_pages(self) -> list[Page]:
        """Pages that ended with a cut (complete receipts)."""
        return [p for p in self.pages if p.cut]


def decode_code128(data: bytes) -> str:
    """``GS k 73`` data (``{A``/``{B``/``{C`` switches) back to text."""
    out: list[str] = []
    mode = "B"
    i = 0
    while i < len(data):
        b = data[i]
        if b == 0x7B and i + 1 < len(data):
            nxt = chr(data[i + 1])
            if nxt in "ABC":
                mode = nxt
                i += 2
                continue
            if nxt == "{":
                out.append("{")
                i += 2
                continue
            i += 2  # FNC/shift codes carry no printed text
            continue
        out.append(f"{b:02d}" if mode == "C" else chr(b))
        i += 1
    return "".join(out)


class _State:
    def __init__(self, codepages: Mapping[int, str]) -> None:
        self.table = codepages
        self.reset()

    def reset(self) -> None:
        self.codec = "cp437"
        self.align = 0
        self.bold = False
        self.width = 1
        self.height = 1


def decode(data: bytes, *, codepages: Mapping[int, str] | None = None) -> Printout:
    """Decode a whole stream (a trailing incomplete command is ignored)."""
    table = dict(codepages or {v: k for k, v in EPSON_CODEPAGES.items()})
    st = _State(table)
    out = Printout()
    page = Page()
    buf: list[str] = []
    line_style: Line | None = None

    def flush(force: bool) -> None:
        nonlocal buf, line_style
        if buf or force:
            style = line_style or Line("", st.align, st.bold, st.width, st.height)
            page.lines.append(Line("".join(buf), style.align, style.bold, style.width,
                                   style.height))
        buf = []
        line_style = None

    def new_page(cut: str) -> None:
        nonlocal page
        flush(False)
        page.cut = cut
        out.pages.append(page)
        page = Page()

    tokens, _ = tokenize(data, final=True)
    qr_pending = ""
    for tok in tokens:
        raw = tok.raw
        if tok.kind == "text":
            if line_style is None:
                line_style = Line("", st.align, st.bold, st.width, st.height)
            buf.append(codecs.decode(raw, st.codec, errors="replace"))
            continue
        if tok.kind == "ctl":
            if raw == b"\n":
                flush(True)
            elif raw == b"\t":
                buf.append(" ")
            continue
        if tok.kind in ("unknown", "truncated"):
            out.unknown.append(tok.name)
            continue
        name = tok.name
        if name == "ESC @":
            st.reset()
        elif name == "ESC t":
            st.codec = table.get(raw[2], "cp437")
        elif name == "ESC a":
            st.align = raw[2] % 48 if raw[2] >= 48 else raw[2]
        elif name == "ESC E":
            st.bold = bool(raw[2] & 1)
        elif name == "ESC !":
            st.bold = bool(raw[2] & 0x08)
            st.height = 2 if raw[2] & 0x10 else 1
            st.width = 2 if raw[2] & 0x20 else 1
        elif name == "GS !":
            st.width, st.height = (raw[2] >> 4) + 1, (raw[2] & 0x0F) + 1
        elif name == "ESC d":
            flush(False)
            for _ in range(raw[2]):
                page.lines.append(Line(""))
        elif name == "GS V":
            new_page("partial" if raw[2] in (1, 49, 66, 98, 104) else "full")
        elif name in ("ESC i", "ESC m"):
            new_page("partial")
        elif name == "ESC p":
            page.drawer_pulses.append(2 if raw[2] in (0, 48) else 5)
        elif name == "GS k":
            flush(False)
            m = raw[2]
            payload = raw[3:-1] if m <= 6 else raw[4:]
            kind = _BARCODE_TYPES.get(m, f"type {m}")
            text = decode_code128(payload) if m == 73 else payload.decode("ascii", "replace")
            page.barcodes.append(Barcode(kind, text))
        elif name == "GS ( k" and len(raw) >= 8 and raw[5] == 0x31:
            fn = raw[6]
            if fn == 80:
                qr_pending = raw[8:].decode("utf-8", "replace")
            elif fn == 81:
                flush(False)
                page.qr_codes.append(qr_pending)
        elif name == "GS v":
            flush(False)
            page.images.append(((raw[4] | raw[5] << 8) * 8, raw[6] | raw[7] << 8))
        elif name == "DLE 04":
            out.status_queries.append(raw[2])
    flush(False)
    if page.lines or page.barcodes or page.qr_codes or page.images or page.drawer_pulses:
        out.pages.append(page)
    return out
