from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from cloud.schemas.reconciliation import JobParams
from cloud.services.reconciliation.params import resolve_range

TODAY = date(2026, 3, 31)


def test_days_count_back_from_today() -> None:
    rng = resolve_range(JobParams(days=30), TODAY)
    assert (rng.start, rng.end, rng.days) == (date(2026, 3, 2), TODAY, 30)


def test_start_date_wins_over_days_and_end_defaults_to_today() -> None:
    rng = resolve_range(JobParams(days=5, start_date="2026-01-01"), TODAY)  # type: ignore[arg-type]
    assert (rng.start, rng.end, rng.days) == (date(2026, 1, 1), TODAY, 90)


@pytest.mark.parametrize("body", [
    {"days": 0}, {"days": 366}, {"max_retries": 6}, {"max_retries": -1},
    {"start_date": "2026/01/01"}, {"start_date": "2026-02-30"}, {"end_date": "31-01-2026"},
    {"start_date": 20260101}, {"start_date": "2026-02-01", "end_date": "2026-01-01"},
    {"start_date": "2024-01-01", "end_date": "2025-12-31"}, {"unknown": 1},
])
def test_bad_job_config_is_refused(body: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        JobParams.model_validate(body)


def test_future_start_is_refused_at_resolution() -> None:
    with pytest.raises(ValueError, match="future"):
        resolve_range(JobParams.model_validate({"start_date": "2026-04-01"}), TODAY)


def test_end_before_derived_start_is_refused() -> None:
    params = JobParams.model_validate({"start_date": "2026-03-10"})
    assert resolve_range(params, TODAY).days == 22
    with pytest.raises(ValueError):
        resolve_range(JobParams.model_validate({"start_date": "2026-03-10"}), date(2026, 3, 9))
