"""Read ZPL back into labels and fields (tests, the emulator, the demo).

Understands the subset our builders and common templates use: ``^XA ^XZ ^FO ^FT ^A ^FB ^FH ^FD
^FS ^BY ^BC ^BE ^BQ ^GB ^CI ^PW ^LL ^PQ`` and the ``~HS`` request. Unknown commands are kept
by name so a test can still see them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from desktop.devices.protocols.escpos.barcode import ean13_check_digit

__all__ = ["Field", "Label", "ParsedZpl", "parse"]

_CMD = re.compile(r"([\^~])([A-Z@][A-Z0-9@]?)")
_HEX = re.compile(r"_([0-9A-Fa-f]{2})")


@dataclass(frozen=True)
class Field:
    """One printed field: ``kind`` is text, code128, ean13, qr or box."""

    kind: str
    x: int
    y: int
    data: str
    height: int = 0


@dataclass
class Label:
    fields: list[Field] = field(default_factory=list)
    copies: int = 1
    width: int = 0
    length: int = 0
    charset: int | None = None
    unknown: list[str] = field(default_factory=list)

    def texts(self) -> list[str]:
        return [f.data for f in self.fields if f.kind == "text"]

    def of_kind(self, kind: str) -> list[Field]:
        return [f for f in self.fields if f.kind == kind]


@dataclass
class ParsedZpl:
    labels: list[Label] = field(default_factory=list)
    host_status_requests: int = 0

    @property
    def total_copies(self) -> int:
        return sum(lb.copies for lb in self.labels)


def _unhex(data: str, indicator: str) -> str:
    if indicator != "_":
        pattern = re.compile(re.escape(indicator) + r"([0-9A-Fa-f]{2})")
    else:
        pattern = _HEX
    raw = bytearray()
    pos = 0
    for m in pattern.finditer(data):
        raw += data[pos:m.start()].encode("utf-8")
        raw.append(int(m.group(1), 16))
        pos = m.end()
    raw += data[pos:].encode("utf-8")
    return raw.decode("utf-8", "replace")


def _first(params: str, default: int = 0) -> int:
    nums = _ints(params)
    return nums[0] if nums else default


def _ints(params: str) -> list[int]:
    out = []
    for p in params.split(","):
        p = p.strip()
        out.append(int(p) if p.lstrip("-").isdigit() else 0)
    return out


def parse(text: str) -> ParsedZpl:
    """Every ``^XA…^XZ`` format in ``text`` with its fields."""
    result = ParsedZpl()
    label: Label | None = None
    x = y = 0
    font_h = 0
    barcode: tuple[str, int] | None = None
    hex_indicator: str | None = None
    # Field data runs to ^FS and may contain anything but a caret; split on commands otherwise.
    pos = 0
    while True:
        m = _CMD.search(text, pos)
        if not m:
            break
        prefix, cmd = m.group(1), m.group(2)
        if cmd == "FD":
            end = text.find("^FS", m.end())
            end = len(text) if end < 0 else end
            data = text[m.end():end]
            pos = end
            if hex_indicator:
                data = _unhex(data, hex_indicator)
            if label is not None:
                label.fields.append(_field(barcode, x, y, font_h, data))
            barcode, hex_indicator = None, None
            continue
        nxt = _CMD.search(text, m.end())
        params = text[m.end():nxt.start() if nxt else len(text)].strip()
        pos = m.end()
        key = prefix + cmd
        if key == "~HS":
            result.host_status_requests += 1
        elif key == "^XA":
            label = Label()
        elif key == "^XZ":
            if label is not None:
                result.labels.append(label)
            label = None
        elif label is None:
            continue
        elif cmd in ("FO", "FT"):
            x, y = [*_ints(params), 0, 0][:2]
        elif cmd.startswith("A") and cmd != "A@":
            # ^A0N,h,w: the font letter is the second char of the command
            nums = _ints(params[1:].lstrip(",")) if params[:1].isalpha() else _ints(params)
            font_h = nums[0] if nums else 0
        elif cmd == "FH":
            hex_indicator = params[:1] or "_"
        elif cmd == "BC":
            barcode = ("code128", _first(params[1:].lstrip(",")))
        elif cmd == "BE":
            barcode = ("ean13", _first(params[1:].lstrip(",")))
        elif cmd == "BQ":
            barcode = ("qr", 0)
        elif cmd == "GB":
            label.fields.append(Field("box", x, y, params))
        elif cmd == "CI":
            label.charset = _first(params)
        elif cmd == "PW":
            label.width = _first(params)
        elif cmd == "LL":
            label.length = _first(params)
        elif cmd == "PQ":
            label.copies = max(1, _first(params, 1))
        elif cmd not in ("FS", "LH", "BY", "FB", "CF"):
            label.unknown.append(cmd)
    return result


def _field(barcode: tuple[str, int] | None, x: int, y: int, font_h: int, data: str) -> Field:
    if barcode is None:
        return Field("text", x, y, data, font_h)
    kind, height = barcode
    if kind == "code128":
        return Field(kind, x, y, data.replace("><", ">"), height)
    if kind == "ean13":
        digits = data[:12]
        ok = len(digits) == 12 and digits.isdigit()
        full = digits + ean13_check_digit(digits) if ok else data
        return Field(kind, x, y, full, height)
    # QR: "<EC><mode>,<data>"
    return Field(kind, x, y, data.split(",", 1)[1] if "," in data else data, height)
