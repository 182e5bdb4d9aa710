"""Product catalog: validation, persistence, import/export, and the change feed it writes."""

from __future__ import annotations
