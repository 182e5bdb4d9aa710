from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from cloud.jobs.errors import PermanentJobError
from cloud.jobs.retry import RetryStrategy

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_default_backoff_is_two_to_the_attempt_seconds() -> None:
    strategy = RetryStrategy(jitter=0)
    delays = [strategy.decide(attempt=a, max_retries=3, error=RuntimeError(), now=NOW)
              for a in (1, 2, 3)]
    assert [d.delay for d in delays if d] == [2, 4, 8]  # seed 002 "Job Retry"
    assert delays[0] is not None and delays[0].run_at == NOW + timedelta(seconds=2)


def test_gives_up_after_max_retries() -> None:
    strategy = RetryStrategy(jitter=0)
    assert strategy.decide(attempt=4, max_retries=3, error=RuntimeError(), now=NOW) is None
    assert strategy.decide(attempt=1, max_retries=0, error=RuntimeError(), now=NOW) is None


def test_permanent_and_unlisted_errors_are_not_retried() -> None:
    strategy = RetryStrategy(retry_exceptions=(ConnectionError,))
    assert strategy.decide(attempt=1, max_retries=5, error=PermanentJobError(), now=NOW) is None
    assert strategy.decide(attempt=1, max_retries=5, error=ValueError(), now=NOW) is None
    assert strategy.decide(attempt=1, max_retries=5, error=ConnectionError(), now=NOW)


def test_jitter_stays_within_its_fraction_and_cap_applies() -> None:
    strategy = RetryStrategy(base=1, jitter=0.25, max_delay=10, rng=random.Random(3))
    for attempt in range(1, 6):
        delay = strategy.delay_for(attempt)
        nominal = min(2 ** attempt, 10)
        assert nominal * 0.75 <= delay <= nominal * 1.25


def test_per_job_overrides() -> None:
    strategy = RetryStrategy(jitter=0).with_overrides(base=0.5, factor=3)
    assert strategy.delay_for(2) == pytest.approx(4.5)
    assert RetryStrategy().with_overrides() == RetryStrategy()


def test_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        RetryStrategy(factor=0.5)
