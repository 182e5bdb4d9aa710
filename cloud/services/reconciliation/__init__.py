"""Reconciliation: compare a shop's backend orders with what its analytics recorded."""

from __future__ import annotations
