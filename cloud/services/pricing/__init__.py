"""Pricing: rule engine (pure) and the rule store; discount thresholds live with the catalog
policy (``cloud.services.catalog.thresholds``) that stores them."""

from __future__ import annotations
