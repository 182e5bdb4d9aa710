"""TSPL (TSC and clones): label builders, a parser for tests, and ``ESC ! ?`` status."""

from __future__ import annotations
