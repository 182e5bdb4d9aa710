"""Raster bit images (``GS v 0``) for logos; conversion to 1-bit rows comes from python-escpos."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["raster", "raster_image"]

GS = b"\x1d"


def raster(width_bytes: int, height: int, data: bytes, *, mode: int = 0) -> bytes:
    """``GS v 0 m xL xH yL yH d1..dk``: rows of ``width_bytes`` bytes, 1 bit = black, MSB left."""
    if not 0 <= mode <= 3:
        raise ValueError("raster mode must be 0..3")
    if width_bytes <= 0 or height <= 0 or len(data) != width_bytes * height:
        raise ValueError("raster data must be width_bytes * height bytes")
    if width_bytes > 0xFFFF or height > 0xFFFF:
        raise ValueError("raster image too large")
    return (GS + b"v0" + bytes([mode, width_bytes & 0xFF, width_bytes >> 8, height & 0xFF,
                                height >> 8]) + data)


def raster_image(source: str | Path | Any, *, max_width: int, center: bool = True) -> bytes:
    """A PIL image or image file as ``GS v 0`` bytes, scaled down to fit ``max_width`` dots."""
    # optional (python-escpos and its Pillow, desktop extra), slow to import: logos only
    from escpos.image import EscposImage
    from PIL import Image

    img = Image.open(source) if isinstance(source, str | Path) else source
    if img.width > max_width:
        ratio = max_width / img.width
        img = img.resize((max_width, max(1, round(img.height * ratio))))
    im = EscposImage(img)
    if center:
        im.center(max_width)
    return raster(im.width_bytes, im.height, im.to_raster_format())
