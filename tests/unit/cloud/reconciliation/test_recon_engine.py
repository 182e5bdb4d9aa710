from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cloud.integrations.orders import IntegrationResponseError, OrderRecord, to_minor
from cloud.services.reconciliation.engine import natural_key, reconcile, wire_amount

D1, D2 = date(2026, 1, 1), date(2026, 1, 31)


def rec(i: str, minor: int, n: int = 1) -> OrderRecord:
    return OrderRecord(order_id=i, amount_minor=minor, currency="RON", occurrences=n)


def test_hand_worked_example() -> None:
    backend = [rec("1001", 10_000), rec("1002", 2_550), rec("1003", 999), rec("1004", 100)]
    ga4 = [rec("1001", 10_000), rec("1002", 2_500), rec("1004", 200, n=2), rec("X9", 700)]
    out = reconcile(backend, ga4, start_date=D1, end_date=D2)
    result = out.as_result(retry_attempt=1)
    assert result["missing_ids"] == ["1003"]
    assert result["missing_count"] == 1
    assert result["extra_ids"] == ["X9"]
    assert [(m["id"], m["backend_minor"], m["ga4_minor"]) for m in result["amount_mismatches"]] \
        == [("1002", 2_550, 2_500), ("1004", 100, 200)]
    assert result["duplicates"] == [{"id": "1004", "source": "ga4", "count": 2}]
    assert result["match_rate"] == 75.0  # 3 of 4 backend ids found
    assert result["total_backend_value"] == 136.49
    assert result["total_ga4_value"] == 134.0
    assert result["total_backend_minor"] == 13_649
    assert result["days_analyzed"] == 31
    assert result["date_range"] == {"start_date": "2026-01-01", "end_date": "2026-01-31"}
    assert (result["backend_records"], result["ga4_records"]) == (4, 4)
    assert result["retry_attempt"] == 1


def test_match_rate_rounds_half_up_to_two_places() -> None:
    backend = [rec(str(i), 1) for i in range(1050)]
    ga4 = backend[7:]
    assert str(reconcile(backend, ga4, start_date=D1, end_date=D1).match_rate) == "99.33"
    assert str(reconcile([rec("a", 1), rec("b", 1), rec("c", 1)], [rec("a", 1), rec("b", 1)],
                         start_date=D1, end_date=D1).match_rate) == "66.67"


def test_backend_duplicates_are_reported_and_summed() -> None:
    out = reconcile([rec("7", 100), rec("7", 100)], [rec("7", 200)], start_date=D1, end_date=D1)
    assert out.duplicates == [("7", "backend", 2)]
    assert out.mismatches == []


def test_empty_backend_is_a_full_match() -> None:
    assert float(reconcile([], [], start_date=D1, end_date=D1).match_rate) == 100.0


def test_reversed_range_is_refused() -> None:
    with pytest.raises(ValueError):
        reconcile([], [], start_date=D2, end_date=D1)


def test_currency_mismatch_is_warned() -> None:
    out = reconcile([rec("1", 1)], [OrderRecord("1", 1, "EUR")], start_date=D1, end_date=D1)
    assert out.warnings


def test_natural_order_of_ids() -> None:
    assert sorted(["10", "9", "A-1", "100"], key=natural_key) == ["9", "10", "100", "A-1"]


def test_to_minor_parses_decimal_text_never_float() -> None:
    assert to_minor("12.34", "RON") == 1234
    assert to_minor("1.2345E2", "RON") == 12345
    assert to_minor("12.345000001", "RON") == 1235
    assert to_minor("1000", "JPY") == 1000
    with pytest.raises(IntegrationResponseError):
        to_minor(12.34, "RON")  # type: ignore[arg-type]
    with pytest.raises(IntegrationResponseError):
        to_minor("abc", "RON")


def test_wire_amount_is_exact_or_refused() -> None:
    assert wire_amount(1_500_000) == 15000.0
    assert repr(wire_amount(123_456_789_012_34)) == "123456789012.34"
    with pytest.raises(ValueError):
        wire_amount(10**17 + 1)


ids = st.text(alphabet="0123456789", min_size=1, max_size=4)
amounts = st.integers(min_value=0, max_value=10**9)


@given(st.dictionaries(ids, amounts, max_size=40), st.dictionaries(ids, amounts, max_size=40))
def test_totals_decompose_exactly(back: dict[str, int], ana: dict[str, int]) -> None:
    out = reconcile([rec(k, v) for k, v in back.items()], [rec(k, v) for k, v in ana.items()],
                    start_date=D1, end_date=D1)
    missing = sum(back[i] for i in out.missing_ids)
    extra = sum(ana[i] for i in out.extra_ids)
    diffs = sum(m.difference_minor for m in out.mismatches)
    assert out.backend_total_minor - out.analytics_total_minor == missing - extra + diffs
    assert out.matched_ids + len(out.missing_ids) == len(back)
    assert set(out.missing_ids) == set(back) - set(ana)
