"""ESC/POS byte builders split by area (text, code pages, barcodes, images, paper/drawer, status)
and the decoder that turns bytes back into what a person sees on the paper."""

from __future__ import annotations
