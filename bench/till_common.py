"""Helpers shared by the till benchmarks."""

from __future__ import annotations

import logging
import sys

import structlog

__all__ = ["quiet_logs"]


def quiet_logs() -> None:
    """Warnings only, on stderr: a benchmark times the till, not rendering its info logs."""
    if not structlog.is_configured():
        structlog.configure(
            wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
            logger_factory=lambda *_: structlog.PrintLogger(sys.stderr),
            cache_logger_on_first_use=False)
