"""Synced sales in the cloud: projection of till events (write side), lists, details and the
seed-003 fiscal reports (read side)."""

from __future__ import annotations
