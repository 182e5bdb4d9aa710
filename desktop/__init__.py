"""Tillbridge till agent: offline store, devices, local API and the cashier UI."""

from __future__ import annotations

__version__ = "0.1.0"
