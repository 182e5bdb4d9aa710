"""Running an emulator as a process: block until SIGTERM or Ctrl-C."""

from __future__ import annotations

import signal
import threading

__all__ = ["wait_for_stop"]


def wait_for_stop() -> None:
    """Return once the process is asked to stop (SIGTERM) or interrupted."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
