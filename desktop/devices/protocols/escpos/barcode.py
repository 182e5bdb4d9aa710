"""ESC/POS barcodes (``GS k``) and native QR codes (``GS ( k``).

CODE128 data goes as function B (``GS k 73 n data``) with ``{B``/``{C`` subset switches: runs of
four or more digits use subset C (two digits per symbol) so receipt numbers fit 58 mm paper.
"""

from __future__ import annotations

import re
from enum import IntEnum

__all__ = [
    "Hri",
    "QrError",
    "barcode_code128",
    "barcode_ean13",
    "code128_modules",
    "code128_payload",
    "ean13_check_digit",
    "qr",
]

GS = b"\x1d"


class Hri(IntEnum):
    """``GS H n``: where the human-readable digits go."""

    OFF = 0
    ABOVE = 1
    BELOW = 2
    BOTH = 3


class QrError(IntEnum):
    """``GS ( k`` fn 69 error-correction levels."""

    L = 48
    M = 49
    Q = 50
    H = 51


_DIGIT_RUN = re.compile(r"\d{4,}")


def _setup(height: int, width: int, hri: Hri) -> bytes:
    if not 1 <= height <= 255:
        raise ValueError(f"barcode height must be 1..255, got {height}")
    if not 1 <= width <= 6:
        raise ValueError(f"barcode module width must be 1..6, got {width}")
    return GS + b"H" + bytes([Hri(hri)]) + GS + b"h" + bytes([height]) + GS + b"w" + bytes([width])


def code128_payload(text: str) -> bytes:
    """``GS k 73`` data: ``{B`` text with ``{C`` digit pairs for long digit runs."""
    if not text or any(not 32 <= ord(c) < 127 for c in text):
        raise ValueError("CODE128 text must be non-empty printable ASCII")
    out = bytearray()
    mode = ""
    pos = 0
    for m in _DIGIT_RUN.finditer(text):
        start, end = m.span()
        if (end - start) % 2:  # odd run: leave the first digit in B
            start += 1
        if start > pos:
            if mode != "B":
                out += b"{B"
                mode = "B"
            out += text[pos:start].replace("{", "{{").encode("ascii")
        if mode != "C":
            out += b"{C"
            mode = "C"
        out += bytes(int(text[i:i + 2]) for i in range(start, end, 2))
        pos = end
    if pos < len(text):
        if mode != "B":
            out += b"{B"
        out += text[pos:].replace("{", "{{").encode("ascii")
    if len(out) > 255:
        raise ValueError("CODE128 payload longer than 255 bytes")
    return bytes(out)


def code128_modules(payload: bytes) -> int:
    """Width in modules (start + symbols + check + stop + quiet zones) of a ``GS k 73`` payload."""
    symbols = 0
    i = 0
    while i < len(payload):
        if payload[i] == 0x7B and i + 1 < len(payload):  # "{X": a switch or an escaped "{"
            symbols += 1
            i += 2
            continue
        symbols += 1
        i += 1
    # the first "{B"/"{C" is the start symbol, counted above; + check symbol, stop (13), 2x10 quiet
    return 11 * (symbols + 1) + 13 + 20


def barcode_code128(text: str, *, height: int = 64, width: int = 2,
                    hri: Hri = Hri.BELOW) -> bytes:
    """Print ``text`` as CODE128 (function B, m = 73)."""
    data = code128_payload(text)
    return _setup(height, width, hri) + GS + b"k" + bytes([73, len(data)]) + data


def ean13_check_digit(digits12: str) -> str:
    """The EAN-13 check digit of 12 digits."""
    if len(digits12) != 12 or not digits12.isdigit():
        raise ValueError("EAN-13 needs 12 digits before the check digit")
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits12))
    return str((10 - total % 10) % 10)


def barcode_ean13(code: str, *, height: int = 64, width: int = 2,
                  hri: Hri = Hri.BELOW) -> bytes:
    """Print an EAN-13 (function B, m = 67); a wrong check digit is refused."""
    if len(code) == 12:
        code += ean13_check_digit(code)
    if len(code) != 13 or not code.isdigit() or ean13_check_digit(code[:12]) != code[12]:
        raise ValueError(f"not a valid EAN-13: {code!r}")
    return _setup(height, width, hri) + GS + b"k" + bytes([67, 13]) + code.encode("ascii")


def _fn(fn: int, data: bytes, m: bytes = b"") -> bytes:
    n = len(data) + len(m) + 2
    return GS + b"(k" + bytes([n & 0xFF, n >> 8, 0x31, fn]) + m + data


def qr(data: str, *, size: int = 4, ec: QrError = QrError.M, model: int = 2) -> bytes:
    """Native QR: model, module size, error correction, store, print (fn 65/67/69/80/81)."""
    if not 1 <= size <= 16:
        raise ValueError(f"QR module size must be 1..16, got {size}")
    if model not in (1, 2):
        raise ValueError("QR model must be 1 or 2")
    payload = data.encode("utf-8")
    if not payload or len(payload) > 7089:
        raise ValueError("QR data must be 1..7089 bytes")
    return (_fn(65, bytes([48 + model, 0])) + _fn(67, bytes([size]))
            + _fn(69, bytes([QrError(ec)])) + _fn(80, payload, b"0") + _fn(81, b"", b"0"))
