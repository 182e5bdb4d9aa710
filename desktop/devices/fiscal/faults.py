"""Deterministic crash points for the crash-matrix tests (a hook in our own code, not a mock).

``TILLBRIDGE_FISCAL_KILL_AT=<point>[:<n>]`` makes the process SIGKILL itself the ``n``-th time
(default first) it reaches ``<point>``. The points, in the order a document passes them:

* ``intent_recorded``  the intent is durable in the journal, nothing sent yet
* ``request_sent``     the committing request (Datecs close/cash, Checkbox POST) left the till
                       and its answer has not been read
* ``answer_received``  the device's answer was read, the journal not yet updated
* ``z_intent_recorded`` / ``z_answer_received``  the same two moments for a Z report

The variable is read at each checkpoint (never at import), so a parent process can set it for a
child only. Unset, a checkpoint costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal
import threading

__all__ = ["ENV", "POINTS", "checkpoint"]

ENV = "TILLBRIDGE_FISCAL_KILL_AT"
POINTS = ("intent_recorded", "request_sent", "answer_received", "z_intent_recorded",
          "z_answer_received")

_hits: dict[str, int] = {}
_lock = threading.Lock()


def checkpoint(point: str) -> None:
    """Die here, without cleanup, when the environment asks for it."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    name, _, nth = spec.partition(":")
    if name != point:
        return
    with _lock:
        _hits[point] = _hits.get(point, 0) + 1
        count = _hits[point]
    if count == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
