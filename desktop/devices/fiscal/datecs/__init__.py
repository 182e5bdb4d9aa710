"""Datecs fiscal printers (Romania): framing, status bits, commands, link and driver."""

from __future__ import annotations

from desktop.devices.fiscal.datecs.driver import DatecsDriver, DatecsSettings
from desktop.devices.fiscal.datecs.frame import Variant

__all__ = ["DatecsDriver", "DatecsSettings", "Variant"]
