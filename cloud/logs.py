"""Structured logs (structlog): one JSON line per event with request id, tenant and actor.

The request middleware binds ``request_id``; authentication binds ``tenant_id`` and ``actor``
(``user:<id>`` / ``api_key:<id>``) through contextvars, so every line of a request carries
them. A last processor redacts values whose key looks secret, so a careless
``log.info(..., password=...)`` still writes nothing sensitive.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

__all__ = ["configure_logging", "redact"]

_SECRET_KEY = re.compile(r"(password|passwd|secret|token|authorization|api[_-]?key|cookie|"
                         r"mfa_?code|private)", re.IGNORECASE)
_configured: dict[str, Any] = {}


def redact(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in list(event):
        if key != "event" and _SECRET_KEY.search(key):
            event[key] = "[redacted]"
    return event


def _stderr_logger(*_args: Any) -> structlog.PrintLogger:
    # Looked up per logger, so a replaced sys.stderr (pytest capture, daemons) is honoured.
    return structlog.PrintLogger(sys.stderr)


def configure_logging(*, debug: bool = False, json: bool = True) -> None:
    """Configure structlog for the process (idempotent): JSON lines unless ``LOG_FORMAT`` is
    ``console``; ``debug`` lowers the level to DEBUG."""
    render_json = json
    wanted = {"debug": debug, "json": render_json}
    if _configured == wanted:
        return
    renderer: Any = (structlog.processors.JSONRenderer() if render_json
                     else structlog.dev.ConsoleRenderer(
                         colors=False, exception_formatter=structlog.dev.plain_traceback))
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact,
            structlog.processors.format_exc_info if render_json
            else structlog.processors.StackInfoRenderer(),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.DEBUG if debug else logging.INFO),
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=False,
    )
    _configured.clear()
    _configured.update(wanted)
