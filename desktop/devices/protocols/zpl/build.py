"""ZPL II builders: each returns one command group as text (UTF-8 with ``^CI28``).

Field data goes through ``^FH_`` hex escapes so a product name can never end a field or start a
command (``^``, ``~`` and ``_`` become ``_5E``, ``_7E``, ``_5F``); control characters are dropped.
"""

from __future__ import annotations

__all__ = [
    "box",
    "code128",
    "ean13",
    "end",
    "escape",
    "qr",
    "start",
    "text",
]

_ESCAPES = {ord("_"): "_5F", ord("^"): "_5E", ord("~"): "_7E"}
_ESCAPES.update({c: "" for c in [*range(0x20), 0x7F]})


def escape(data: str) -> str:
    """Field data safe inside ``^FH_^FD…^FS``."""
    return data.translate(_ESCAPES)


def _pos(x: int, y: int) -> str:
    if x < 0 or y < 0 or x > 32000 or y > 32000:
        raise ValueError("field origin out of range")
    return f"^FO{x},{y}"


def start(width_dots: int, length_dots: int) -> str:
    """``^XA`` with UTF-8 (``^CI28``), print width and label length in dots."""
    if not (1 <= width_dots <= 32000 and 1 <= length_dots <= 32000):
        raise ValueError("label size out of range")
    return f"^XA^CI28^PW{width_dots}^LL{length_dots}^LH0,0"


def end(copies: int = 1) -> str:
    """``^PQn^XZ``: print ``copies`` of this label and close the format."""
    if not 1 <= copies <= 99_999_999:
        raise ValueError("copies must be 1..99999999")
    return f"^PQ{copies}^XZ"


def text(x: int, y: int, data: str, *, height: int, width: int | None = None,
         block_width: int | None = None, lines: int = 1, justify: str = "L") -> str:
    """Scalable font 0 text; with ``block_width`` a ``^FB`` block wraps up to ``lines`` lines."""
    w = width or height
    fb = f"^FB{block_width},{lines},0,{justify},0" if block_width else ""
    return f"{_pos(x, y)}^A0N,{height},{w}{fb}^FH_^FD{escape(data)}^FS"


def code128(x: int, y: int, data: str, *, height: int, module: int = 2,
            readable: bool = True) -> str:
    """``^BC`` Code 128; ``>`` starts an invocation code in ^BC data, so it is doubled (``><``)."""
    if not data or any(not 32 <= ord(c) < 127 for c in data):
        raise ValueError("Code 128 data must be printable ASCII")
    body = escape(data.replace(">", "><"))
    flag = "Y" if readable else "N"
    return f"{_pos(x, y)}^BY{module}^BCN,{height},{flag},N,N^FH_^FD{body}^FS"


def ean13(x: int, y: int, digits12: str, *, height: int, module: int = 2) -> str:
    """``^BE`` EAN-13 from 12 digits; the printer adds the check digit."""
    if len(digits12) != 12 or not digits12.isdigit():
        raise ValueError("^BE takes the 12 digits before the check digit")
    return f"{_pos(x, y)}^BY{module}^BEN,{height},Y,N^FD{digits12}^FS"


def qr(x: int, y: int, data: str, *, magnification: int = 4, ec: str = "M") -> str:
    """``^BQN,2,m`` QR model 2; data ``<EC>A,<text>`` (automatic input mode)."""
    if ec not in "HQML" or len(ec) != 1:
        raise ValueError("QR error correction must be H, Q, M or L")
    if not 1 <= magnification <= 10:
        raise ValueError("QR magnification must be 1..10")
    return f"{_pos(x, y)}^BQN,2,{magnification}^FH_^FD{ec}A,{escape(data)}^FS"


def box(x: int, y: int, w: int, h: int, thickness: int = 2) -> str:
    """``^GB`` a rectangle or, with one side equal to the thickness, a rule."""
    return f"{_pos(x, y)}^GB{w},{h},{thickness}^FS"
