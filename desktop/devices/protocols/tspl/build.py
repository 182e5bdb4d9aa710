"""TSPL builders: one command per line (CR LF), coordinates in dots.

Text goes in double quotes; a quote inside is written ``\\["]`` (TSPL's escape) and control
characters are dropped, so data cannot end a command early.
"""

from __future__ import annotations

__all__ = ["bar", "barcode", "escape", "header", "print_", "qrcode", "text"]

_ESC = {ord('"'): '\\["]'}
_ESC.update({c: "" for c in [*range(0x20), 0x7F]})


def escape(data: str) -> str:
    return data.translate(_ESC)


def _mm(v: float) -> str:
    return f"{v:g}"


def header(width_mm: float, height_mm: float, *, gap_mm: float = 2.0,
           codepage: str | None = "UTF-8") -> list[str]:
    """``SIZE``, ``GAP``, ``DIRECTION``, ``CODEPAGE`` and ``CLS`` (CLS after SIZE)."""
    if not (5 <= width_mm <= 300 and 5 <= height_mm <= 1000):
        raise ValueError("label size out of range")
    out = [f"SIZE {_mm(width_mm)} mm,{_mm(height_mm)} mm", f"GAP {_mm(gap_mm)} mm,0 mm",
           "DIRECTION 0"]
    if codepage:
        out.append(f"CODEPAGE {codepage}")
    out.append("CLS")
    return out


def text(x: int, y: int, data: str, *, font: str = "3", xmul: int = 1, ymul: int = 1,
         rotation: int = 0) -> str:
    if rotation not in (0, 90, 180, 270):
        raise ValueError("rotation must be 0/90/180/270")
    return f'TEXT {x},{y},"{font}",{rotation},{xmul},{ymul},"{escape(data)}"'


def barcode(x: int, y: int, data: str, *, kind: str = "128", height: int = 60,
            readable: bool = True, narrow: int = 2, wide: int = 2) -> str:
    """``BARCODE x,y,"type",h,human,rot,narrow,wide,"data"`` (type "128" or "EAN13")."""
    if kind not in ("128", "EAN13", "EAN8", "39"):
        raise ValueError(f"unsupported TSPL barcode {kind}")
    return (f'BARCODE {x},{y},"{kind}",{height},{int(readable)},0,{narrow},{wide},'
            f'"{escape(data)}"')


def qrcode(x: int, y: int, data: str, *, ec: str = "M", cell: int = 4) -> str:
    if ec not in ("L", "M", "Q", "H"):
        raise ValueError("QR error correction must be L, M, Q or H")
    if not 1 <= cell <= 10:
        raise ValueError("QR cell width must be 1..10")
    return f'QRCODE {x},{y},{ec},{cell},A,0,"{escape(data)}"'


def bar(x: int, y: int, w: int, h: int) -> str:
    return f"BAR {x},{y},{w},{h}"


def print_(copies: int = 1) -> str:
    """``PRINT 1,copies``: one set, ``copies`` copies of each label."""
    if not 1 <= copies <= 999_999:
        raise ValueError("copies must be 1..999999")
    return f"PRINT 1,{copies}"
