"""Device emulators that speak the real wire protocols (TCP printers, pty fiscal devices)."""

from __future__ import annotations
