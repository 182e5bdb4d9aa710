"""Pricing: rule engine (pure), discount thresholds, and the rule store."""

from __future__ import annotations
