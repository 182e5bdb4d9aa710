"""How long a retrying worker waits: exponential backoff with jitter, one policy for the till.

The wait before retry ``n`` (``n = 0`` for the first retry after a failure) is::

    delay(n) = min(cap, base · 2^n) · U(low, high)

with ``U`` uniform. The step doubles until it reaches ``cap``; the jitter spreads many tills
(or printers) that failed together so they do not retry in step. Two spreads are in use:

* :data:`EQUAL_JITTER` ``(0.5, 1.0)``: half the step fixed, half random — the sync runner and
  the fiscalisation worker (``Backoff(0.5, 60.0)`` and ``Backoff(0.5, 30.0)``);
* :data:`TEN_PERCENT` ``(0.9, 1.1)``: the step ±10 % — the print queue (``base 1 s, cap 30 s``,
  configurable), whose first wait is ``base`` itself.

:class:`BackoffPolicy` is the pure formula; :class:`Backoff` counts a worker's consecutive
failures and is reset by its next success. The exponent stops growing at 30, far past any cap.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["EQUAL_JITTER", "TEN_PERCENT", "Backoff", "BackoffPolicy"]

EQUAL_JITTER = (0.5, 1.0)
"""Half the step fixed, half random."""
TEN_PERCENT = (0.9, 1.1)
"""The step ±10 %."""
_MAX_EXPONENT = 30


@dataclass(frozen=True)
class BackoffPolicy:
    """``delay(n) = min(cap, base · 2^n) · U(low, high)`` (see the module docstring)."""

    base: float = 0.5
    cap: float = 60.0
    jitter: tuple[float, float] = EQUAL_JITTER

    def step(self, attempt: int) -> float:
        """The wait before jitter: ``min(cap, base · 2^attempt)``."""
        return min(self.cap, self.base * (1 << min(max(0, attempt), _MAX_EXPONENT)))

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """The jittered wait before retry ``attempt`` (``rng`` for repeatable tests)."""
        low, high = self.jitter
        draw = rng.uniform(low, high) if rng is not None else random.uniform(low, high)
        return self.step(attempt) * draw


class Backoff:
    """A worker's consecutive failures: :meth:`next` is the next wait, :meth:`reset` on success."""

    def __init__(self, base: float = 0.5, cap: float = 60.0, *,
                 rng: random.Random | None = None,
                 jitter: tuple[float, float] = EQUAL_JITTER) -> None:
        self.policy = BackoffPolicy(base, cap, jitter)
        self.attempt = 0
        self._rng = rng or random.Random()

    @property
    def base(self) -> float:
        return self.policy.base

    @property
    def cap(self) -> float:
        """The longest wait; also what a worker waits after a failure retrying cannot fix."""
        return self.policy.cap

    def next(self) -> float:
        wait = self.policy.delay(self.attempt, self._rng)
        self.attempt = min(self.attempt + 1, _MAX_EXPONENT)
        return wait

    def reset(self) -> None:
        self.attempt = 0
