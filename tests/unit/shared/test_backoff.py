"""One backoff formula for the sync runner, the fiscalisation worker and the print queue.

GIVEN a policy ``min(cap, base·2^n)·U(low, high)``
WHEN a worker keeps failing, then succeeds
THEN its waits double up to the cap inside the jitter band, and the next failure starts over.
"""

from __future__ import annotations

import random

from desktop.devices.printers.worker import PRINT_RETRY
from shared.backoff import EQUAL_JITTER, TEN_PERCENT, Backoff, BackoffPolicy


def test_steps_double_up_to_the_cap() -> None:
    policy = BackoffPolicy(0.5, 8.0)
    assert [policy.step(n) for n in range(7)] == [0.5, 1, 2, 4, 8, 8, 8]
    assert policy.step(10_000) == 8.0  # the exponent stops growing, no overflow


def test_jitter_stays_inside_its_band() -> None:
    rng = random.Random(5)
    for jitter in (EQUAL_JITTER, TEN_PERCENT):
        policy = BackoffPolicy(1.0, 30.0, jitter)
        for n in range(8):
            wait = policy.delay(n, rng)
            assert policy.step(n) * jitter[0] <= wait <= policy.step(n) * jitter[1]


def test_print_queue_first_wait_is_its_base() -> None:
    assert PRINT_RETRY.step(0) == 1.0 and PRINT_RETRY.step(5) == 30.0
    assert PRINT_RETRY.jitter == TEN_PERCENT


def test_counter_resets_after_success() -> None:
    b = Backoff(0.5, 8.0, rng=random.Random(3))
    assert [round(b.policy.step(b.attempt + i), 3) for i in range(3)] == [0.5, 1, 2]
    for _ in range(5):
        b.next()
    assert b.attempt == 5 and b.cap == 8.0
    b.reset()
    assert b.attempt == 0 and b.next() <= 0.5
