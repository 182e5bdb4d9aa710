"""Guess printer kind and profile from the names a device announces."""

from __future__ import annotations

__all__ = ["guess_kind_and_profile"]

_LABEL_WORDS = ("zebra", "zpl", "zd4", "gk420", "gx4", "tsc", "tspl", "label", "godex", "te200",
                "xp-365", "xp-460")
_TSPL_WORDS = ("tsc", "tspl", "te200", "xp-365", "xp-460")


def guess_kind_and_profile(*texts: str) -> tuple[str, str]:
    """("label", "generic-zpl"), ("thermal", "generic-58") … from make/model strings."""
    blob = " ".join(t for t in texts if t).lower()
    if any(w in blob for w in _LABEL_WORDS):
        return "label", "generic-tspl" if any(w in blob for w in _TSPL_WORDS) else "generic-zpl"
    if "58" in blob and "80" not in blob:
        return "thermal", "generic-58"
    return "thermal", "generic-80"
