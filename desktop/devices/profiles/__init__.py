"""Printer model profiles as versioned package data, loaded lazily (never at import).

A profile says what a model can do: columns, head dots, code pages and their ``ESC t`` ids,
cutter, drawer pins, whether it answers real-time status; for label printers the language
(ZPL/TSPL), DPI and width. Asking for a feature a model lacks raises ``CapabilityNotSupported``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from desktop.devices.errors import CapabilityNotSupported

__all__ = [
    "LabelProfile",
    "ReceiptProfile",
    "UsbPrinterId",
    "label_profile",
    "label_profiles",
    "receipt_profile",
    "receipt_profiles",
    "usb_id_table",
]


@dataclass(frozen=True)
class ReceiptProfile:
    id: str
    name: str
    vendor: str
    paper_mm: int
    columns: int
    dots: int
    codepages: dict[str, int]
    text_codepage: dict[str, str] = field(default_factory=dict)
    cutter: tuple[str, ...] = ("full", "partial")
    drawer_pins: tuple[int, ...] = (2, 5)
    realtime_status: bool = True
    qr: bool = True
    barcode_min_module: int = 2
    verified: bool = False

    def require(self, feature: str) -> None:
        """Raise ``CapabilityNotSupported`` unless the model has ``feature``."""
        ok = {"qr": self.qr, "status": self.realtime_status, "cut": bool(self.cutter),
              "drawer": bool(self.drawer_pins)}.get(feature, False)
        if not ok:
            raise CapabilityNotSupported(f"{self.name} has no {feature}")


@dataclass(frozen=True)
class LabelProfile:
    id: str
    name: str
    vendor: str
    language: str  # "zpl" | "tspl"
    dpi: int = 203
    max_width_mm: float = 104
    tspl_codepage: str = "UTF-8"
    tspl_font: str = "3"
    verified: bool = False


@cache
def _load(filename: str) -> dict[str, Any]:
    raw = resources.files(__package__).joinpath(filename).read_text(encoding="utf-8")
    doc: dict[str, Any] = json.loads(raw)
    if doc.get("version") != 1:
        raise ValueError(f"{filename}: unsupported profile version {doc.get('version')}")
    return doc


def _merged(filename: str, model_id: str) -> dict[str, Any]:
    doc = _load(filename)
    try:
        model = doc["models"][model_id]
    except KeyError:
        raise CapabilityNotSupported(f"unknown printer profile {model_id!r}") from None
    return {**doc["defaults"], **model, "id": model_id}


@cache
def receipt_profile(model_id: str) -> ReceiptProfile:
    d = _merged("receipt_printers.json", model_id)
    d["cutter"] = tuple(d.get("cutter", ()))
    d["drawer_pins"] = tuple(d.get("drawer_pins", ()))
    return ReceiptProfile(**d)


@cache
def label_profile(model_id: str) -> LabelProfile:
    return LabelProfile(**_merged("label_printers.json", model_id))


def receipt_profiles() -> list[str]:
    return sorted(_load("receipt_printers.json")["models"])


def label_profiles() -> list[str]:
    return sorted(_load("label_printers.json")["models"])


@dataclass(frozen=True)
class UsbPrinterId:
    """A row of the USB id table; ``product_id`` None matches any printer of the vendor."""

    vendor_id: int
    product_id: int | None
    vendor: str
    model: str
    kind: str
    profile: str
    verified: bool = False


@cache
def usb_id_table() -> tuple[UsbPrinterId, ...]:
    doc = _load("usb_ids.json")
    return tuple(
        UsbPrinterId(int(d["vendor_id"], 16),
                     int(d["product_id"], 16) if d.get("product_id") else None,
                     d["vendor"], d.get("model", ""), d["kind"], d["profile"],
                     bool(d.get("verified", False)))
        for d in doc["devices"])
