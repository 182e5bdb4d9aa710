"""ZPL II (Zebra): label builders, a parser that reads labels back, and ``~HS`` status."""

from __future__ import annotations
