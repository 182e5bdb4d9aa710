"""When to retry a failed job: a strategy object that returns a :class:`RetryDecision`.

Default: ``base * factor ** attempt`` seconds (seed 002: 2, 4, 8 s for attempts 1, 2, 3), with a
proportional jitter so a burst of failures does not come back as a burst, capped at
``max_delay``. The jitter source is injectable so tests are deterministic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from cloud.jobs.errors import PermanentJobError

__all__ = ["RetryDecision", "RetryStrategy"]


@dataclass(frozen=True)
class RetryDecision:
    """Run the job again at ``run_at`` (``delay`` seconds after the failure)."""

    run_at: datetime
    delay: float


@dataclass(frozen=True)
class RetryStrategy:
    """Exponential backoff with jitter; ``None`` from :meth:`decide` means give up."""

    base: float = 1.0
    factor: float = 2.0
    jitter: float = 0.1
    max_delay: float = 3600.0
    retry_exceptions: tuple[type[BaseException], ...] = (Exception,)
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.base < 0 or self.factor < 1 or not 0 <= self.jitter <= 1 or self.max_delay < 0:
            raise ValueError("base >= 0, factor >= 1, 0 <= jitter <= 1, max_delay >= 0")

    def with_overrides(self, *, base: float | None = None,
                       factor: float | None = None) -> RetryStrategy:
        """The same strategy with a job's own delay and multiplier, where it has them."""
        changes: dict[str, float] = {}
        if base is not None:
            changes["base"] = base
        if factor is not None:
            changes["factor"] = factor
        return replace(self, **changes) if changes else self

    def delay_for(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        delay = min(self.base * self.factor ** attempt, self.max_delay)
        if self.jitter:
            delay *= 1 + self.rng.uniform(-self.jitter, self.jitter)
        return max(0.0, delay)

    def decide(self, *, attempt: int, max_retries: int, error: BaseException,
               now: datetime) -> RetryDecision | None:
        """Retry after attempt ``attempt`` failed with ``error``, or ``None`` to stop."""
        if isinstance(error, PermanentJobError) or not isinstance(error, self.retry_exceptions):
            return None
        if attempt > max_retries:  # attempts = 1 first run + max_retries retries
            return None
        delay = self.delay_for(attempt)
        return RetryDecision(run_at=now + timedelta(seconds=delay), delay=delay)
