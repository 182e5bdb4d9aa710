"""Stock ledger: levels per product per location, movements, reservations with expiry."""

from __future__ import annotations
